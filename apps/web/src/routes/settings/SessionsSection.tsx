import { endSession } from '../../auth/session.ts';
import { MutationButton } from '../../components/MutationButton.tsx';
import { Notice } from '../../components/Notice.tsx';
import { formErrorsOf } from '../../lib/form-errors.ts';
import { messages } from '../../lib/messages.ts';
import { trpc } from '../../lib/trpc.ts';
import { describeDevice } from '../../lib/user-agent.ts';
import { SettingsSection } from './SettingsSection.tsx';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday"… */
function ago(iso: string): string {
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  if (seconds > -60) return 'just now';
  for (const [unit, size] of [
    ['minute', 60],
    ['hour', 3600],
    ['day', 86_400],
  ] as const) {
    const value = Math.round(seconds / size);
    if (unit === 'day' || Math.abs(value) < (unit === 'minute' ? 60 : 24)) {
      return relative.format(value, unit);
    }
  }
  return dateTime.format(new Date(iso));
}

export function SessionsSection() {
  const utils = trpc.useUtils();
  const sessions = trpc.tokens.list.useQuery();
  const revoke = trpc.tokens.revoke.useMutation({
    onSuccess: () => utils.tokens.list.invalidate(),
  });
  const logoutAll = trpc.auth.logoutAll.useMutation({
    onSuccess: () => endSession('logged-out-everywhere'),
  });
  const error = formErrorsOf(revoke.error ?? logoutAll.error).form;

  return (
    <SettingsSection
      title="Sessions"
      description="Every device where you are logged in. Revoke any you do not recognise."
    >
      {revoke.isSuccess ? <Notice kind="info">{messages.sessionRevoked}</Notice> : null}
      <Notice kind="error">{error}</Notice>
      {sessions.data ? (
        <ul className="sessions">
          {sessions.data.map((session) => (
            <li key={session.id} className="session">
              <div>
                <p className="session-device">
                  {describeDevice(session.userAgent)}
                  {session.current ? <span className="badge">This device</span> : null}
                </p>
                <p className="session-meta">
                  Last used {ago(session.lastUsedAt)} · Logged in{' '}
                  {dateTime.format(new Date(session.createdAt))}
                  {session.ip ? ` · ${session.ip}` : ''}
                </p>
              </div>
              {session.current ? null : (
                <button
                  type="button"
                  className="button secondary small"
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate({ id: session.id })}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : sessions.isError ? (
        <Notice kind="error">{messages.sessionsUnavailable}</Notice>
      ) : (
        <p className="muted">Loading sessions…</p>
      )}
      <div className="section-actions">
        <MutationButton
          mutation={logoutAll}
          label="Log out everywhere"
          pendingLabel="Logging out…"
        />
      </div>
    </SettingsSection>
  );
}
