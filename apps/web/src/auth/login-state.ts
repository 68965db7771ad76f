import { useHistoryState } from 'wouter/use-browser-location';
import type { EndReason } from './session.ts';

/** What RequireAuth passes along when it sends a visitor to /login (and on to /signup). */
export type LoginState = { from?: string | undefined; notice?: EndReason | undefined };

/** The state this page was opened with, if a redirect or link passed one. */
export function useLoginState(): LoginState | null {
  return useHistoryState<LoginState | null>();
}
