export type RestReply = { status: number; headers: Headers; text: string; body: unknown };

export type RestOptions = {
  json?: unknown;
  raw?: string;
  type?: string;
  /** Sent as `Authorization: Token <token>`. */
  token?: string;
  /** The whole Authorization header. */
  auth?: string;
};

/** A client of the REST face as curl is: one call, the status and the exact body. */
export function restClient(base: string) {
  return async function call(
    method: string,
    path: string,
    options: RestOptions = {},
  ): Promise<RestReply> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    if (options.raw !== undefined) body = options.raw;
    if (options.type) headers['content-type'] = options.type;
    if (options.token) headers.authorization = `Token ${options.token}`;
    if (options.auth !== undefined) headers.authorization = options.auth;
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
  };
}
