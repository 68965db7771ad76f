import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { LoginState } from '../routes/LoginPage.tsx';
import { useToken } from './session.ts';

/**
 * Layout route for /login and /signup: once there is a token (just logged in,
 * or logged in already, or in another tab) go where the user was headed.
 */
export function RedirectIfAuthenticated() {
  const token = useToken();
  const state = useLocation().state as LoginState | null;
  if (!token) return <Outlet />;
  return <Navigate to={safePath(state?.from)} replace />;
}

/** Only same-app paths: never an open redirect to another origin. */
function safePath(path: string | undefined): string {
  return path?.startsWith('/') && !path.startsWith('//') ? path : '/dashboard';
}
