import { type ReactNode, useRef, useState } from 'react';
import { endSession } from '../../auth/session.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { MutationButton } from '../../components/MutationButton.tsx';
import { Notice } from '../../components/Notice.tsx';
import { formErrorsOf } from '../../lib/form-errors.ts';
import { messages } from '../../lib/messages.ts';
import { ago, dateTime } from '../../lib/time.ts';
import { type Session, trpc } from '../../lib/trpc.ts';
import { describeDevice } from '../../lib/user-agent.ts';
import { SettingsSection } from './SettingsSection.tsx';

/**
 * How a session is named on its button and in its confirmation: the device,
 * and the start of its id (as `pnpm -s cli token list` shows it), which tells
 * apart two sessions of one browser.
 */
function sessionName(session: Session): string {
  return `${describeDevice(session.userAgent)} (ID ${session.id.slice(0, 6)})`;
}

export function SessionsSection() {
  const utils = trpc.useUtils();
  // Asked afresh by the Settings page, which shows this section once the answer is in.
  const sessions = trpc.tokens.list.useQuery();
  const [confirming, setConfirming] = useState<Session | 'everywhere' | null>(null);
  // Where focus goes once a session is gone: its row, and the button focus would return to, are not.
  const list = useRef<HTMLUListElement>(null);
  const revoke = trpc.tokens.revoke.useMutation({
    onSuccess: async () => {
      setConfirming(null);
      await utils.tokens.list.invalidate();
      list.current?.focus();
    },
  });
  const logoutAll = trpc.auth.logoutAll.useMutation({
    onSuccess: () => endSession('logged-out-everywhere'),
  });
  /** Cancel, Escape: a refusal shown in the dialog goes with it. */
  const close = () => {
    setConfirming(null);
    revoke.reset();
    logoutAll.reset();
  };
  const revoking = typeof confirming === 'object' ? confirming : null;

  return (
    <SettingsSection
      title="Sessions"
      description="Every device where you are logged in. Revoke any you do not recognise."
    >
      {revoke.isSuccess ? <Notice kind="info">{messages.sessionRevoked}</Notice> : null}
      {sessions.data ? (
        <ul className="sessions" ref={list} tabIndex={-1} aria-label="Your sessions">
          {sessions.data.map((session) => (
            <li key={session.id} className="session">
              <div>
                <p className="session-device">
                  {describeDevice(session.userAgent)}
                  {session.current ? <span className="badge">This device</span> : null}
                </p>
                <p className="session-meta">
                  {/* A JWT session's row is touched when its pair is renewed, not at each use. */}
                  {session.kind === 'jwt' ? 'Renewed' : 'Last used'} {ago(session.lastUsedAt)} ·
                  Logged in {dateTime.format(new Date(session.createdAt))}
                  {session.ip ? ` · ${session.ip}` : ''} · ID {session.id.slice(0, 6)}
                </p>
              </div>
              {session.current ? null : (
                <button
                  type="button"
                  className="button secondary small"
                  aria-label={`Revoke ${sessionName(session)}`}
                  onClick={() => setConfirming(session)}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <Notice kind="error">{messages.sessionsUnavailable}</Notice>
      )}
      <div className="section-actions">
        <button
          type="button"
          className="button secondary"
          onClick={() => setConfirming('everywhere')}
        >
          Log out everywhere…
        </button>
      </div>
      <Dialog
        open={revoking !== null}
        title="Log this session out?"
        description={
          revoking
            ? `${sessionName(revoking)}, logged in ${dateTime.format(new Date(revoking.createdAt))}${revoking.ip ? ` from ${revoking.ip}` : ''}, will have to log in again.`
            : ''
        }
        onClose={close}
      >
        <ConfirmActions
          error={revoke.error}
          onCancel={close}
          confirm={
            <MutationButton
              mutation={{
                isPending: revoke.isPending,
                mutate: () => revoking && revoke.mutate({ id: revoking.id }),
              }}
              label="Revoke"
              pendingLabel="Revoking…"
              tone="danger"
            />
          }
        />
      </Dialog>
      <Dialog
        open={confirming === 'everywhere'}
        title="Log out on every device?"
        description="Every device, this one included, will have to log in again."
        onClose={close}
      >
        <ConfirmActions
          error={logoutAll.error}
          onCancel={close}
          confirm={
            <MutationButton
              mutation={logoutAll}
              label="Log out everywhere"
              pendingLabel="Logging out…"
              tone="danger"
            />
          }
        />
      </Dialog>
    </SettingsSection>
  );
}

/** A confirmation's refusal, if any, then Cancel first (where focus lands when the dialog opens) and the action. */
function ConfirmActions(props: { error: unknown; onCancel: () => void; confirm: ReactNode }) {
  return (
    <>
      <Notice kind="error">{formErrorsOf(props.error).form}</Notice>
      <div className="section-actions">
        <button type="button" className="button secondary" onClick={props.onCancel}>
          Cancel
        </button>
        {props.confirm}
      </div>
    </>
  );
}
