import { isConnectionError } from '@tokenauth/db';
import { authenticate } from '../auth/authenticate.ts';
import { ClientGone } from '../auth/hashing-slots.ts';
import type { Authenticated } from '../auth/verify-token.ts';
import type { Context } from '../context.ts';
import { unauthorized } from '../errors.ts';
import { messages } from '../messages.ts';
import { drfError, drfRefusal, type RestAnswer } from '../rest/drf-errors.ts';
import { NotADictionary, requestData } from '../rest/request-data.ts';
import type { Route } from '../rest/routes.ts';
import { type Exchange, HttpError, sendJson } from './exchange.ts';
import type { Face } from './pipeline.ts';
import { readBody } from './read-body.ts';

export type RestFaceOptions = {
  /** Endpoints by path, without the trailing slash (served with and without it). */
  routes: Record<string, Route>;
  maxBodySize: number;
  createContext(ex: Exchange): Context;
};

function answer(ex: Exchange, { status, body, headers = [] }: RestAnswer): void {
  if (body !== undefined) {
    sendJson(ex, status, body, headers);
    return;
  }
  // A 204: no body, no Content-Type, as DRF sends it.
  ex.res.writeHead(status, ex.headers.concat(headers));
  ex.res.end();
}

/** What an error thrown by a handler or the domain is, in DRF's shape. */
function answerOf(ex: Exchange, error: unknown): RestAnswer {
  if (error instanceof NotADictionary) {
    return { status: 400, body: { non_field_errors: [error.message] } };
  }
  if (error instanceof HttpError) return drfRefusal(error, ex.req.headers['content-type']);
  if (error instanceof ClientGone) return { status: 499, body: { detail: messages.clientGone } };
  if (isConnectionError(error))
    return { status: 503, body: { detail: messages.databaseUnavailable } };
  const shaped = drfError(error);
  if (shaped.status === 500) ex.log.error({ err: error }, 'request failed');
  return shaped;
}

/**
 * Djoser's and DRF's REST contract (shared/contracts/djoser-rest.md), on the
 * same domain functions as the tRPC procedures. Checks run in DRF's order:
 * authentication (a bad token is 401 even where none is needed), then the
 * need for one, then the method (405), then the request's data.
 */
export function restFace(options: RestFaceOptions): Face {
  const { routes, maxBodySize } = options;
  return {
    async handle(ex) {
      const path = ex.path.length > 1 && ex.path.endsWith('/') ? ex.path.slice(0, -1) : ex.path;
      const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
      if (!route) throw new HttpError(404, messages.notFound);
      const ctx = options.createContext(ex);
      try {
        const verified = await authenticate(ctx);
        let auth: Authenticated | undefined;
        if (verified.ok) auth = verified.auth;
        else if (verified.error !== 'notAuthenticated') throw unauthorized(verified.error);
        if (route.needsToken && !auth) throw unauthorized('notAuthenticated');

        const method = ex.req.method ?? 'GET';
        const handler = Object.hasOwn(route.methods, method) ? route.methods[method] : undefined;
        if (!handler) {
          answer(ex, { status: 405, body: { detail: `Method "${method}" not allowed.` } });
          return;
        }
        const body = method === 'GET' ? '' : await readBody(ex.req, maxBodySize);
        let data: Record<string, unknown> | undefined;
        const read = () => {
          data ??= requestData(ex.req.headers['content-type'], body);
          return data;
        };
        answer(ex, await handler({ ctx, auth, data: read }));
      } catch (error) {
        answer(ex, answerOf(ex, error));
      }
    },
    refuse(ex, error) {
      answer(ex, answerOf(ex, error));
    },
  };
}
