import { Notice } from '../components/Notice.tsx';
import { messages } from '../lib/messages.ts';
import { trpc } from '../lib/trpc.ts';
import { ChangePasswordSection } from './settings/ChangePasswordSection.tsx';
import { ChangeUsernameSection } from './settings/ChangeUsernameSection.tsx';
import { DeleteAccountSection } from './settings/DeleteAccountSection.tsx';
import { EmailSection } from './settings/EmailSection.tsx';
import { SessionsSection } from './settings/SessionsSection.tsx';

/**
 * The sections come together once the account and the sessions are known
 * (asked at once), so that nothing below the sessions moves when they come.
 */
export function SettingsPage() {
  const me = trpc.auth.me.useQuery();
  // Afresh each time (the dashboard's copy may be older): a device just revoked shows gone.
  const sessions = trpc.tokens.list.useQuery(undefined, { staleTime: 0 });
  return (
    <main className="page" aria-busy={me.isPending || sessions.isPending}>
      <title>Settings · Tokenauth</title>
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="subtitle">Your account, your devices, your data.</p>
        </div>
      </div>
      {me.data && !sessions.isPending ? (
        <div className="stack">
          <ChangeUsernameSection username={me.data.username} />
          <EmailSection email={me.data.email} verified={me.data.emailVerified} />
          <ChangePasswordSection username={me.data.username} />
          <SessionsSection />
          <DeleteAccountSection username={me.data.username} />
        </div>
      ) : me.isError ? (
        <Notice kind="error">{messages.accountUnavailable}</Notice>
      ) : (
        <p className="muted">Loading your account…</p>
      )}
    </main>
  );
}
