/** The one module that touches localStorage: where the API token lives. */
const KEY = 'tokenauth.token';

export function readToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    // Storage can be disabled (privacy settings); then nobody stays logged in.
    return null;
  }
}

export function writeToken(token: string | null): void {
  try {
    if (token === null) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, token);
  } catch {
    // As above: without storage the session lasts until the page is closed.
  }
}

/** Calls back when another tab logs in or out. */
export function onTokenChangedElsewhere(callback: (token: string | null) => void): () => void {
  const listener = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) callback(readToken());
  };
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}
