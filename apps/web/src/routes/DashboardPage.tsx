import { Link } from 'react-router-dom';
import { endSession } from '../auth/session.ts';
import { MutationButton } from '../components/MutationButton.tsx';
import { Notice } from '../components/Notice.tsx';
import { messages } from '../lib/messages.ts';
import { trpc } from '../lib/trpc.ts';

const memberSince = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

export function DashboardPage() {
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

      <section className="card wide" aria-labelledby="account-title" aria-busy={me.isPending}>
        <h2 id="account-title">Account</h2>
        {me.data ? (
          <dl className="details">
            <div>
              <dt>Username</dt>
              <dd>{me.data.username}</dd>
            </div>
            <div>
              <dt>Email</dt>
              <dd>
                {me.data.email ? (
                  <>
                    {me.data.email}{' '}
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
                <time dateTime={me.data.createdAt}>
                  {memberSince.format(new Date(me.data.createdAt))}
                </time>
              </dd>
            </div>
          </dl>
        ) : me.isError ? (
          <>
            <Notice kind="error">{messages.accountUnavailable}</Notice>
            <button type="button" className="button secondary" onClick={() => void me.refetch()}>
              Try again
            </button>
          </>
        ) : (
          <p className="muted">Loading your account…</p>
        )}
      </section>
    </main>
  );
}
