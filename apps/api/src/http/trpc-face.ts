import {
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type inferRouterContext,
  type TRPC_ERROR_CODE_KEY,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { getHTTPStatusCode } from '@trpc/server/http';
import { messages } from '../messages.ts';
import { errorHeaders } from './error-headers.ts';
import { applyHeaders, type Exchange, HttpError, send } from './exchange.ts';
import type { Face } from './pipeline.ts';
import { plainCall } from './plain-call.ts';
import { readBody } from './read-body.ts';

export type TrpcFaceOptions<TRouter extends AnyTRPCRouter> = {
  router: TRouter;
  /** Where procedures are mounted, with the trailing slash: `/trpc/`. */
  basePath: string;
  maxBodySize: number;
  /** The router's root config, for `getTRPCErrorShape` (trpc.ts). */
  config: Parameters<typeof getTRPCErrorShape>[0]['config'];
  createContext(ex: Exchange): inferRouterContext<TRouter>;
  /** Whether a call got as far as a procedure: one of its type exists at its path. */
  reachedProcedure(ctx: inferRouterContext<TRouter>): boolean;
  onError(error: TRPCError, path: string | undefined, ex: Exchange): void;
};

/** What call an answer is about, for the error shape. */
type Call = { path: string | undefined; type: 'query' | 'mutation' | 'unknown'; input?: unknown };

/** As tRPC's resolveResponse sets them on every answer (a test holds them equal). */
const ANSWER_HEADERS = ['content-type', 'application/json', 'vary', 'trpc-accept, accept'];

/** The tRPC codes of the refusals the pipeline and body reader make. */
const CODE_OF_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * Serves a tRPC router through tRPC's published APIs.
 *
 * A plain call (one query by GET, one mutation by POST: all our client
 * sends) is made with `callTRPCProcedure`, its answer shaped by
 * `getTRPCErrorShape`, `getHTTPStatusCode` and `transformTRPCResponse`, and
 * written in one `writeHead`. Everything else (an unknown path, a method
 * that does not fit the procedure, HEAD, batches, streaming) goes to tRPC's
 * Node adapter, which answers as tRPC does. The adapter turns each request
 * into a Fetch `Request` and back, several times the cost of `auth.me`
 * itself (ADR 0004); a test holds both answers equal.
 *
 * Bodies are read here, for both: one that is not JSON is refused with 415,
 * one over `maxBodySize` with 413, in the same words wherever it was going.
 */
export function trpcFace<TRouter extends AnyTRPCRouter>(options: TrpcFaceOptions<TRouter>): Face {
  const { router, basePath, maxBodySize, config } = options;

  function answerError(
    ex: Exchange,
    error: TRPCError,
    call: Call,
    ctx?: unknown,
    headers: readonly string[] = [],
  ): void {
    options.onError(error, call.path, ex);
    const shape = getTRPCErrorShape({ config, ctx, error, ...call, input: call.input });
    send(
      ex,
      getHTTPStatusCode({ error: shape }),
      ANSWER_HEADERS.concat(errorHeaders([error]), headers),
      JSON.stringify(transformTRPCResponse(config, { error: shape })),
    );
  }

  /** tRPC's own adapter, for everything but plain calls. */
  function adapter(ex: Exchange, body: string | undefined): Promise<void> {
    const { req, res } = ex;
    // The adapter takes a body already read from `req.body`, and picks its
    // parser by Content-Type; `curl -X POST …/auth.logout` sends none.
    if (body !== undefined) Object.assign(req, { body });
    req.headers['content-type'] ??= 'application/json';
    applyHeaders(ex);
    return nodeHTTPRequestHandler({
      req,
      res,
      router,
      path: ex.path.slice(basePath.length),
      // One procedure per request: a batch could make one request check a
      // thousand passwords.
      allowBatching: false,
      createContext: () => options.createContext(ex),
      responseMeta: ({ errors }) => ({
        headers: Object.fromEntries(pairs(errorHeaders(errors))),
      }),
      onError: ({ error, path }) => options.onError(error, path, ex),
    });
  }

  return {
    async handle(ex) {
      const { req } = ex;
      let body: string | undefined;
      if (req.method === 'POST') {
        const contentType = req.headers['content-type'];
        if (contentType !== undefined && !contentType.startsWith('application/json')) {
          throw new HttpError(415, messages.notJson);
        }
        body = await readBody(req, maxBodySize);
      }
      const call = plainCall(ex, basePath, body);
      if (!call) return adapter(ex, body);

      const ctx = options.createContext(ex);
      try {
        const data = await callTRPCProcedure({
          router,
          path: call.path,
          type: call.type,
          ctx,
          getRawInput: call.readInput,
          signal: undefined,
          batchIndex: 0,
        });
        // transformTRPCResponse's success shape, without its two object
        // spreads on a path every call takes (the differential test holds it).
        const result = { result: { data: config.transformer.output.serialize(data) } };
        send(ex, 200, ANSWER_HEADERS, JSON.stringify(result));
      } catch (cause) {
        if (!options.reachedProcedure(ctx)) return adapter(ex, body);
        answerError(ex, getTRPCErrorFromUnknown(cause), { ...call, input: call.input() }, ctx);
      }
    },
    refuse(ex, error) {
      const code = CODE_OF_STATUS[error.status] ?? 'INTERNAL_SERVER_ERROR';
      const trpcError = new TRPCError({ code, message: error.message });
      answerError(ex, trpcError, { path: undefined, type: 'unknown' }, undefined, error.headers);
    },
  };
}

/** `[a, 1, b, 2]` as `[[a, 1], [b, 2]]`. */
function pairs(list: readonly string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i < list.length; i += 2) result.push([list[i] ?? '', list[i + 1] ?? '']);
  return result;
}
