import { isConnectionError } from '@tokenauth/db';
import { TRPCError } from '@trpc/server';
import { authenticate, refusalOf } from '../auth/authenticate.ts';
import { ClientGone } from '../auth/hashing-slots.ts';
import type { Authenticated } from '../auth/verify-token.ts';
import type { Context } from '../context.ts';
import { unauthorized } from '../errors.ts';
import { messages } from '../messages.ts';
import { drfError, drfRefusal } from '../rest/drf-errors.ts';
import type { Operation, RestAnswer, Route } from '../rest/operation.ts';
import { NotADictionary, requestData } from '../rest/request-data.ts';
import { type Exchange, HttpError, sendJson } from './exchange.ts';
import type { Face } from './pipeline.ts';
import { readBody } from './read-body.ts';

export type RestFaceOptions = {
  routes: Route[];
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
  if (isConnectionError(error)) {
    return { status: 503, body: { detail: messages.databaseUnavailable } };
  }
  const shaped = drfError(error);
  if (shaped.status === 500) ex.log.error({ err: error }, 'request failed');
  return shaped;
}

type Matched = { route: Route; params: Record<string, string> };

/**
 * Finds a path's route: served with and without the trailing slash, fixed
 * paths by one lookup, then those with `{parameters}` (one segment each).
 */
function routeMatcher(routes: Route[]): (path: string) => Matched | undefined {
  const trim = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
  const fixed = new Map<string, Route>();
  const patterns: { pattern: RegExp; names: string[]; route: Route }[] = [];
  for (const route of routes) {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    if (names.length === 0) {
      fixed.set(trim(route.path), route);
      continue;
    }
    const source = trim(route.path).replace(/[.+?^$()[\]\\|*]/g, '\\$&');
    patterns.push({
      pattern: new RegExp(`^${source.replace(/\\?\{\w+\\?\}/g, '([^/]+)')}$`),
      names,
      route,
    });
  }
  return (path) => {
    let decoded: string;
    try {
      // Matched decoded, as Django matches: %6De/ is me/.
      decoded = trim(path.includes('%') ? decodeURIComponent(path) : path);
    } catch {
      return undefined; // malformed percent-encoding: no such path
    }
    const route = fixed.get(decoded);
    if (route) return { route, params: {} };
    for (const { pattern, names, route } of patterns) {
      const values = pattern.exec(decoded);
      if (values) {
        return { route, params: Object.fromEntries(names.map((n, i) => [n, values[i + 1] ?? ''])) };
      }
    }
    return undefined;
  };
}

/**
 * Whether the Accept header takes JSON. DRF's browsable API (text/html) is
 * answered with JSON too: the docs page replaces it.
 */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined) return true;
  return accept.split(',').some((range) => {
    const type = range.split(';')[0]?.trim().toLowerCase() ?? '';
    return ['', '*/*', 'application/*', 'application/json', 'text/*', 'text/html'].includes(type);
  });
}

/** DRF's answer to OPTIONS: what the endpoint is and what it takes. */
function metadata(route: Route): RestAnswer {
  const operations = Object.values(route.methods);
  return {
    status: 200,
    body: {
      name: operations[0]?.summary ?? '',
      description: operations[0]?.description ?? '',
      renders: ['application/json'],
      parses: ['application/json', 'application/x-www-form-urlencoded'],
    },
    headers: ['allow', [...Object.keys(route.methods), 'OPTIONS'].join(', ')],
  };
}

/** A body that fails its schema: the face answers DRF's field errors. */
function checked(operation: Operation, data: Record<string, unknown>): unknown {
  if (!operation.body) return {};
  const result = operation.body.safeParse(data);
  if (result.success) return result.data;
  throw new TRPCError({ code: 'BAD_REQUEST', message: messages.invalidInput, cause: result.error });
}

/**
 * Djoser's and DRF's REST contract (shared/contracts/djoser-rest.md), on the
 * same domain functions as the tRPC procedures. Checks run in DRF's order:
 * content negotiation (406); authentication (a bad token is 401 even where
 * none is needed); the need for one (a method the endpoint does not serve
 * needs one where any of its methods does, as Djoser's viewsets default to
 * authenticated users; so anonymous PUT users/ is 401, GET token/login/
 * 405); the method (405); the request's data.
 */
export function restFace(options: RestFaceOptions): Face {
  const { maxBodySize } = options;
  const match = routeMatcher(options.routes);
  const needsToken = new Map(
    options.routes.map((r) => [r, Object.values(r.methods).some((o) => o.needsToken)]),
  );
  // A method an endpoint does not serve (OPTIONS, a 405) reads the header as its methods do.
  const ignoresAuthorization = new Map(
    options.routes.map((r) => [r, Object.values(r.methods).every((o) => o.ignoresAuthorization)]),
  );
  return {
    async handle(ex) {
      const found = match(ex.path);
      if (!found) throw new HttpError(404, messages.notFound);
      const { route, params } = found;
      const ctx = options.createContext(ex);
      try {
        if (!acceptsJson(ex.req.headers.accept)) {
          answer(ex, { status: 406, body: { detail: messages.notAcceptable } });
          return;
        }
        const method = ex.req.method ?? 'GET';
        // HEAD is GET without the body (node:http leaves it out).
        const served = method === 'HEAD' ? 'GET' : method;
        const operation = Object.hasOwn(route.methods, served)
          ? route.methods[served as keyof Route['methods']]
          : undefined;
        let auth: Authenticated | undefined;
        if (!(operation ? operation.ignoresAuthorization : ignoresAuthorization.get(route))) {
          const verified = await authenticate(ctx);
          if (verified.ok) auth = verified.auth;
          else if (verified.error !== 'notAuthenticated') throw refusalOf(verified);
        }
        if (!auth && (operation ? operation.needsToken : needsToken.get(route))) {
          throw unauthorized('notAuthenticated');
        }
        if (method === 'OPTIONS') {
          answer(ex, metadata(route));
          return;
        }
        if (!operation) {
          answer(ex, { status: 405, body: { detail: messages.methodNotAllowed(method) } });
          return;
        }
        const raw = operation.body ? await readBody(ex.req, maxBodySize) : '';
        let body: unknown;
        const read = () => {
          body ??= checked(operation, requestData(ex.req.headers['content-type'], raw));
          return body;
        };
        answer(ex, await operation.handle({ ctx, auth, params, body: read }));
      } catch (error) {
        answer(ex, answerOf(ex, error));
      }
    },
    refuse(ex, error) {
      answer(ex, answerOf(ex, error));
    },
  };
}
