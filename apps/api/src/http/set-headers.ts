import type { ServerResponse } from 'node:http';

/** Sets headers given as `[name, value, …]`, one `setHeader` each. */
export function setHeaders(res: ServerResponse, headers: readonly string[]): void {
  for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i] ?? '', headers[i + 1] ?? '');
}
