import cors from 'cors';
import { messages } from '../messages.ts';
import { applyHeaders, HttpError } from './exchange.ts';
import type { Step } from './pipeline.ts';

/** Sent with every response: this API serves JSON to scripts, never pages to frame. */
const SECURITY_HEADERS = Object.entries({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
}).flat();

/**
 * The security headers and the request id, on every answer; with
 * `hstsMaxAgeSeconds`, Strict-Transport-Security too (for the app's HTML
 * page, http/web-app-face.ts adds its own policy).
 */
export function securityHeaders(hstsMaxAgeSeconds: number): Step {
  const headers =
    hstsMaxAgeSeconds > 0
      ? SECURITY_HEADERS.concat('strict-transport-security', `max-age=${hstsMaxAgeSeconds}`)
      : SECURITY_HEADERS;
  return (ex) => {
    ex.headers = headers.concat('x-request-id', ex.log.id);
    return undefined;
  };
}

/**
 * Cross-origin calls from `origins` (none by default: the web app is served
 * from the API's origin). Preflights are answered here.
 */
export function allowCors(origins: string[]): Step {
  const middleware = cors({
    origin: origins,
    // GET and POST for tRPC; the REST face's users/me/ takes PUT, PATCH and DELETE too.
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  });
  return (ex) => {
    // Only a preflight names the method it asks for; any other OPTIONS is a
    // request for the face to answer (the REST face's metadata, or its 401).
    if (ex.req.method === 'OPTIONS' && !ex.req.headers['access-control-request-method']) {
      return undefined;
    }
    let next = false;
    // The package answers a preflight with setHeader, so the exchange's
    // headers go on first; otherwise it only sets headers and goes on. With
    // fixed options it calls back synchronously.
    if (ex.req.method === 'OPTIONS') applyHeaders(ex);
    middleware(ex.req, ex.res, () => {
      next = true;
    });
    return !next;
  };
}

/** Refuses a body whose announced size is over `limit`, before reading any of it. */
export function limitBody(limit: number): Step {
  return (ex) => {
    if (Number(ex.req.headers['content-length'] ?? 0) > limit) {
      // The rest of the body is not read, so the connection cannot be reused.
      throw new HttpError(413, messages.payloadTooLarge(limit), ['connection', 'close']);
    }
    return undefined;
  };
}
