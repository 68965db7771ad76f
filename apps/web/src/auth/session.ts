import { useSyncExternalStore } from 'react';
import { onTokenChangedElsewhere, readToken, writeToken } from '../lib/token-storage.ts';
import { sessionOf } from './jwt-credentials.ts';

/** Why the last session ended, so the login page can say so. */
export type EndReason =
  | 'expired'
  | 'other-tab'
  // Ended on purpose by the user:
  | 'logged-out'
  | 'logged-out-everywhere'
  | 'deleted';

/** Whether the user ended the session themselves (then the next login starts afresh). */
export function endedByUser(reason: EndReason | null): boolean {
  return reason === 'logged-out' || reason === 'logged-out-everywhere' || reason === 'deleted';
}

let token = readToken();
let endReason: EndReason | null = null;
const listeners = new Set<() => void>();

function set(next: string | null, reason: EndReason | null): void {
  if (next === token) return;
  token = next;
  endReason = reason;
  for (const listener of listeners) listener();
}

onTokenChangedElsewhere((next) => {
  // Another tab renewed this session's JWT pair: the same session goes on here.
  if (next !== null && token !== null && sessionOf(next) === sessionOf(token)) token = next;
  else set(next, next === null ? 'other-tab' : null);
});

export function getToken(): string | null {
  return token;
}

export function startSession(newToken: string): void {
  writeToken(newToken);
  set(newToken, null);
}

/**
 * New credentials for the same session (a JWT pair renewed): stored, with
 * no one told, since nothing the app shows changes.
 */
export function renewSession(next: string): void {
  writeToken(next);
  token = next;
}

export function endSession(reason: EndReason): void {
  writeToken(null);
  set(null, reason);
}

/** Why the last session ended; null once a new one starts. */
export function lastEndReason(): EndReason | null {
  return endReason;
}

export function subscribeToSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const signedIn = () => token !== null;

/** Whether there is a session, re-rendering when one starts or ends here or in another tab. */
export function useSignedIn(): boolean {
  return useSyncExternalStore(subscribeToSession, signedIn);
}
