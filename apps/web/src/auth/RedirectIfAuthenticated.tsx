import type { ReactNode } from 'react';
import { Redirect } from 'wouter';
import { useLoginState } from './login-state.ts';
import { useSignedIn } from './session.ts';

/**
 * Wraps /login and /signup: once there is a token (just logged in, or logged
 * in already, or in another tab) go where the user was headed.
 */
export function RedirectIfAuthenticated({ children }: { children: ReactNode }) {
  const signedIn = useSignedIn();
  const state = useLoginState();
  if (!signedIn) return children;
  return <Redirect to={safePath(state?.from)} replace />;
}

/** Only same-app paths: never an open redirect to another origin. */
function safePath(path: string | undefined): string {
  return path?.startsWith('/') && !path.startsWith('//') ? path : '/dashboard';
}
