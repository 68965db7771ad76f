import { useSyncExternalStore } from 'react';
import { onTokenChangedElsewhere, readToken, writeToken } from '../lib/token-storage.ts';

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

onTokenChangedElsewhere((next) => set(next, next === null ? 'other-tab' : null));

export function getToken(): string | null {
  return token;
}

export function startSession(newToken: string): void {
  writeToken(newToken);
  set(newToken, null);
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

/** The current token, re-rendering when it changes here or in another tab. */
export function useToken(): string | null {
  return useSyncExternalStore(subscribeToSession, getToken);
}
