import { Link } from 'wouter';
import { endSession } from '../auth/session.ts';
import { MutationButton } from '../components/MutationButton.tsx';
import { Notice } from '../components/Notice.tsx';
import { PageLoading } from '../components/PageLoading.tsx';
import { messages } from '../lib/messages.ts';
import { ago, dateTime } from '../lib/time.ts';
import { type Session, trpc, type User } from '../lib/trpc.ts';
import { describeDevice } from '../lib/user-agent.ts';

const memberSince = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

/**
 * Shown in parts, each once its data is there and only below what is on
 * screen already, so nothing moves (a placeholder the size of the real text
 * cannot know where a phone will wrap it): the account with its header, then
 * the devices and the links. After login or signup the account is known at
 * once.
 */
export function DashboardPage() {
  // Seeded by the login or signup answer: no loading state right after either.
  const me = trpc.auth.me.useQuery();
  const sessions = trpc.tokens.list.useQuery();
  const logout = trpc.auth.logout.useMutation({
    // Whatever the server says (even "already revoked"), this device is done.
    meta: { handlesUnauthorized: true },
    onSettled: () => endSession('logged-out'),
  });

  if (me.isPending) {
    return <PageLoading title="Dashboard · Tokenauth" label="Loading your account…" />;
  }
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
        <section className="card wide" aria-labelledby="account-title">
          <h2 id="account-title">Account</h2>
          {me.data ? (
            <AccountDetails user={me.data} />
          ) : (
            <>
              <Notice kind="error">{messages.accountUnavailable}</Notice>
              <button type="button" className="button secondary" onClick={() => void me.refetch()}>
                Try again
              </button>
            </>
          )}
        </section>
        {sessions.isPending ? null : (
          <>
            <section className="card wide" aria-labelledby="devices-title">
              <h2 id="devices-title">Devices</h2>
              {sessions.data ? (
                <DeviceDetails sessions={sessions.data} />
              ) : (
                <Notice kind="error">{messages.sessionsUnavailable}</Notice>
              )}
            </section>
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
          </>
        )}
      </div>
    </main>
  );
}

function AccountDetails({ user }: { user: User }) {
  return (
    <dl className="details">
      <div>
        <dt>Username</dt>
        <dd>{user.username}</dd>
      </div>
      <div>
        <dt>Email</dt>
        <dd>
          {user.email ? (
            <>
              <span className="email">{user.email}</span>{' '}
              {user.emailVerified ? (
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
          <time dateTime={user.createdAt}>{memberSince.format(new Date(user.createdAt))}</time>
        </dd>
      </div>
    </dl>
  );
}

/** This device, the others signed in, and the last login: what a stolen token would show. */
function DeviceDetails({ sessions }: { sessions: Session[] }) {
  const current = sessions.find((session) => session.current);
  const others = sessions.filter((session) => !session.current).length;
  // The newest session is the last login, here or elsewhere.
  const last = sessions.reduce<Session | undefined>(
    (newest, session) => (newest && newest.createdAt > session.createdAt ? newest : session),
    undefined,
  );
  return (
    <dl className="details">
      <div>
        <dt>This device</dt>
        <dd>
          {current
            ? `${describeDevice(current.userAgent)}, logged in ${ago(current.createdAt)}`
            : describeDevice(navigator.userAgent)}
        </dd>
      </div>
      <div>
        <dt>Signed in elsewhere</dt>
        <dd>
          {others === 0
            ? 'No other device'
            : `${others} other ${others === 1 ? 'device' : 'devices'}`}{' '}
          · <Link to="/settings">Manage</Link>
        </dd>
      </div>
      {last ? (
        <div>
          <dt>Last login</dt>
          <dd>
            <time dateTime={last.createdAt}>{dateTime.format(new Date(last.createdAt))}</time>
            {last.current ? ' (this device)' : `, ${describeDevice(last.userAgent)}`}
            {last.ip ? ` from ${last.ip}` : ''}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
