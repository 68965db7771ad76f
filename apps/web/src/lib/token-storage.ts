/** The one module that touches localStorage: where the API token lives. */
const KEY = 'tokenauth.token';

export function readToken(): string | null {
  // Storage can be disabled (privacy settings); then nobody stays logged in.
  return readStoredToken() ?? null;
}

/** What storage holds now; undefined when it cannot be read (then a tab keeps its own copy). */
export function readStoredToken(): string | null | undefined {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return undefined;
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
