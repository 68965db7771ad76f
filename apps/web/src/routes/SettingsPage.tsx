import { Notice } from '../components/Notice.tsx';
import { messages } from '../lib/messages.ts';
import { trpc } from '../lib/trpc.ts';
import { ChangePasswordSection } from './settings/ChangePasswordSection.tsx';
import { ChangeUsernameSection } from './settings/ChangeUsernameSection.tsx';
import { DeleteAccountSection } from './settings/DeleteAccountSection.tsx';
import { EmailSection } from './settings/EmailSection.tsx';
import { SessionsSection } from './settings/SessionsSection.tsx';

/**
 * The account's sections once it is known, then the sessions and what
 * follows them once their list is (both asked at once): each part appears
 * below what is on screen, so nothing moves.
 */
export function SettingsPage() {
  const me = trpc.auth.me.useQuery();
  // Afresh each time (the dashboard's copy may be older): a device just revoked shows gone.
  const sessions = trpc.tokens.list.useQuery(undefined, { staleTime: 0 });
  return (
    <main className="page" aria-busy={me.isPending}>
      <title>Settings · Tokenauth</title>
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="subtitle">Your account, your devices, your data.</p>
        </div>
      </div>
      {me.data ? (
        <div className="stack">
          <ChangeUsernameSection username={me.data.username} />
          <EmailSection email={me.data.email} verified={me.data.emailVerified} />
          <ChangePasswordSection username={me.data.username} />
          {sessions.isPending ? null : (
            <>
              <SessionsSection />
              <DeleteAccountSection username={me.data.username} />
            </>
          )}
        </div>
      ) : me.isError ? (
        <Notice kind="error">{messages.accountUnavailable}</Notice>
      ) : (
        <p className="muted">Loading your account…</p>
      )}
    </main>
  );
}
