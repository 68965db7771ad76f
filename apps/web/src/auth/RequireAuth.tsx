import type { ReactNode } from 'react';
import { Redirect } from 'wouter';
import type { LoginState } from './login-state.ts';
import { endedByUser, lastEndReason, useSignedIn } from './session.ts';

/**
 * Wraps pages that need a session. Without a token it sends the visitor to
 * /login, remembering where they were going; the API still authorizes every
 * call, this only spares a round trip.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  if (useSignedIn()) return children;

  const reason = lastEndReason();
  const state: LoginState = {
    notice: reason ?? undefined,
    // After an explicit logout, the next login starts afresh on the dashboard.
    from: endedByUser(reason)
      ? undefined
      : window.location.pathname + window.location.search + window.location.hash,
  };
  return <Redirect to="/login" replace state={state} />;
}
