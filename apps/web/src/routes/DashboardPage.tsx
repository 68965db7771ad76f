import { Link } from 'wouter';
import { endSession } from '../auth/session.ts';
import { MutationButton } from '../components/MutationButton.tsx';
import { Notice } from '../components/Notice.tsx';
import { messages } from '../lib/messages.ts';
import { ago, dateTime } from '../lib/time.ts';
import { trpc } from '../lib/trpc.ts';
import { describeDevice } from '../lib/user-agent.ts';

const memberSince = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

export function DashboardPage() {
  // Seeded by the login or signup answer: no loading state right after either.
  const me = trpc.auth.me.useQuery();
  const logout = trpc.auth.logout.useMutation({
    // Whatever the server says (even "already revoked"), this device is done.
    meta: { handlesUnauthorized: true },
    onSettled: () => endSession('logged-out'),
  });

  return (
    <main className="page">
      <title>Dashboard · Tokenauth</title>
      <div className="page-header">
        <div>
          <h1>{me.data ? `Welcome, ${me.data.username}` : 'Welcome'}</h1>
          <p className="subtitle">Your account at a glance.</p>
        </div>
        <MutationButton mutation={logout} label="Log out" pendingLabel="Logging out…" />
      </div>

      <div className="dashboard">
        <section className="card wide" aria-labelledby="account-title" aria-busy={me.isPending}>
          <h2 id="account-title">Account</h2>
          {me.isError ? (
            <>
              <Notice kind="error">{messages.accountUnavailable}</Notice>
              <button type="button" className="button secondary" onClick={() => void me.refetch()}>
                Try again
              </button>
            </>
          ) : (
            <dl className="details">
              <div>
                <dt>Username</dt>
                <dd>{me.data ? me.data.username : <Pending />}</dd>
              </div>
              <div>
                <dt>Email</dt>
                <dd>
                  {!me.data ? (
                    <Pending />
                  ) : me.data.email ? (
                    <>
                      <span className="email">{me.data.email}</span>{' '}
                      {me.data.emailVerified ? (
                        <span className="badge">Confirmed</span>
                      ) : (
                        <Link to="/settings">Not confirmed: confirm it</Link>
                      )}
                    </>
                  ) : (
                    <span className="muted">Not set</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Member since</dt>
                <dd>
                  {me.data ? (
                    <time dateTime={me.data.createdAt}>
                      {memberSince.format(new Date(me.data.createdAt))}
                    </time>
                  ) : (
                    <Pending />
                  )}
                </dd>
              </div>
            </dl>
          )}
        </section>
        <DevicesCard />
        <section className="card wide" aria-labelledby="actions-title">
          <h2 id="actions-title">Manage your account</h2>
          <ul className="links">
            <li>
              <Link to="/settings">Change your username or email</Link>
            </li>
            <li>
              <Link to="/settings">Change your password</Link>
            </li>
            <li>
              <Link to="/settings">See and revoke your sessions</Link>
            </li>
            <li>
              <Link to="/settings">Delete your account</Link>
            </li>
          </ul>
        </section>
      </div>
    </main>
  );
}

/** This device, the others signed in, and the last login: what a stolen token would show. */
function DevicesCard() {
  const sessions = trpc.tokens.list.useQuery();
  const current = sessions.data?.find((session) => session.current);
  const others = (sessions.data?.length ?? 1) - 1;
  // The newest session is the last login, here or elsewhere.
  const last = sessions.data?.reduce((a, b) => (a.createdAt > b.createdAt ? a : b));
  return (
    <section className="card wide" aria-labelledby="devices-title" aria-busy={sessions.isPending}>
      <h2 id="devices-title">Devices</h2>
      {sessions.isError ? (
        <Notice kind="error">{messages.sessionsUnavailable}</Notice>
      ) : (
        <dl className="details">
          <div>
            <dt>This device</dt>
            <dd>
              {current ? (
                `${describeDevice(current.userAgent)}, logged in ${ago(current.createdAt)}`
              ) : (
                <Pending />
              )}
            </dd>
          </div>
          <div>
            <dt>Signed in elsewhere</dt>
            <dd>
              {sessions.data ? (
                <>
                  {others === 0
                    ? 'No other device'
                    : `${others} other ${others === 1 ? 'device' : 'devices'}`}{' '}
                  · <Link to="/settings">Manage</Link>
                </>
              ) : (
                <Pending />
              )}
            </dd>
          </div>
          <div>
            <dt>Last login</dt>
            <dd>
              {last ? (
                <>
                  <time dateTime={last.createdAt}>{dateTime.format(new Date(last.createdAt))}</time>
                  {last.current ? ' (this device)' : `, ${describeDevice(last.userAgent)}`}
                  {last.ip ? ` from ${last.ip}` : ''}
                </>
              ) : (
                <Pending />
              )}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}

/**
 * A value still on its way: a line of the same height, so that nothing moves
 * when it comes (the section says it is busy).
 */
function Pending() {
  return <span className="muted">…</span>;
}
