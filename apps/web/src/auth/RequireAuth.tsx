import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { LoginState } from './login-state.ts';
import { endedByUser, lastEndReason, useToken } from './session.ts';

/**
 * Layout route for pages that need a session. Without a token it sends the
 * visitor to /login, remembering where they were going; the API still
 * authorizes every call, this only spares a round trip.
 */
export function RequireAuth() {
  const token = useToken();
  const location = useLocation();
  if (token) return <Outlet />;

  const reason = lastEndReason();
  const state: LoginState = {
    notice: reason ?? undefined,
    // After an explicit logout, the next login starts afresh on the dashboard.
    from: endedByUser(reason) ? undefined : location.pathname + location.search + location.hash,
  };
  return <Navigate to="/login" replace state={state} />;
}
