import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLog } from './request-logger.ts';

/** One request on its way through the pipeline (http/pipeline.ts). */
export type Exchange = {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path, without the query string. */
  path: string;
  log: RequestLog;
  /**
   * What every answer carries (security headers, the request id), as
   * `[name, value, …]`: written with the status line in one `writeHead`,
   * which costs less than a `setHeader` each.
   */
  headers: string[];
};

/**
 * A refusal that the pipeline or a shared helper decides (413, 415, 404…):
 * the face that serves the path words it in its own shape.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra headers, as `[name, value, …]`. */
    readonly headers: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Sends a complete answer: status line, headers and body in one write. */
export function send(ex: Exchange, status: number, headers: readonly string[], body: string): void {
  ex.res.writeHead(
    status,
    ex.headers.concat(headers, 'content-length', String(Buffer.byteLength(body))),
  );
  ex.res.end(body);
}

const JSON_HEADERS = ['content-type', 'application/json'];

/** Sends `body` as JSON. */
export function sendJson(
  ex: Exchange,
  status: number,
  body: unknown,
  headers: readonly string[] = [],
): void {
  send(ex, status, JSON_HEADERS.concat(headers), JSON.stringify(body));
}

/** Puts the exchange's headers on the response, for code that writes its own answer. */
export function applyHeaders(ex: Exchange): void {
  const { headers, res } = ex;
  for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i] ?? '', headers[i + 1] ?? '');
}
