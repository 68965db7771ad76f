import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AnyTRPCProcedure,
  type AnyTRPCRouter,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type inferRouterContext,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { getHTTPStatusCode } from '@trpc/server/http';
import { setHeaders } from './set-headers.ts';

type PlainCall = { path: string; type: 'query' | 'mutation'; procedure: AnyTRPCProcedure };

export type TrpcHandlerOptions<TRouter extends AnyTRPCRouter> = {
  router: TRouter;
  /** Where procedures are mounted, with the trailing slash: `/trpc/`. */
  basePath: string;
  maxBodySize: number;
  createContext(req: IncomingMessage): inferRouterContext<TRouter>;
  /** Headers to add to an answer, from the errors it carries (none on success). */
  errorHeaders(errors: TRPCError[]): Record<string, string>;
  onError(error: TRPCError, path: string | undefined, req: IncomingMessage): void;
};

/**
 * Answers a request. `headers`, as `[name, value, …]`, go out with every
 * answer: on plain calls, with the status line in one `writeHead`, which
 * costs less than a `setHeader` each.
 */
export type TrpcHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  headers?: readonly string[],
) => void;

const JSON_CONTENT_TYPE = 'application/json';
/** What every plain answer carries, as tRPC's adapter sends them. */
const PLAIN_HEADERS = ['content-type', JSON_CONTENT_TYPE, 'vary', 'trpc-accept, accept'];
const decoder = new TextDecoder(); // as Fetch's body.json(): drops a BOM, replaces bad UTF-8

/**
 * Serves a tRPC router over node:http.
 *
 * tRPC 11's Node adapter turns every request into a Fetch `Request` (Headers,
 * an AbortController, a body stream) and every answer back from a `Response`:
 * ~200 µs of CPU a request on our 2-core machine, twenty times the rest of
 * `auth.me` (ADR 0004). Plain calls, which are all our client sends (an
 * unbatched GET query or JSON POST mutation of a known procedure), are
 * answered here with tRPC's own procedure call, error shape and status
 * mapping. Everything else (batches, HEAD, unknown paths, wrong methods, other
 * content types, streaming) goes to tRPC's adapter, so the protocol and its
 * errors stay tRPC's; a test holds the two answers equal.
 */
export function createTrpcHandler<TRouter extends AnyTRPCRouter>(
  options: TrpcHandlerOptions<TRouter>,
): TrpcHandler {
  const { router, basePath, maxBodySize } = options;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure>;

  const standard = createStandardHandler(options);

  /** The call a request makes, when it is a plain one; undefined sends it to tRPC's adapter. */
  function plainCall(req: IncomingMessage): PlainCall | undefined {
    const url = req.url ?? '';
    if (!url.startsWith(basePath)) return undefined;
    const queryAt = url.indexOf('?');
    const path = url.slice(basePath.length, queryAt === -1 ? undefined : queryAt);
    const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
    if (!procedure) return undefined;
    const type = procedure._def.type;
    const method = req.method;
    if (!(type === 'query' && method === 'GET') && !(type === 'mutation' && method === 'POST')) {
      return undefined;
    }
    if (!req.headers['content-type']?.startsWith(JSON_CONTENT_TYPE)) return undefined;
    // tRPC's streaming responses are for batches, which are refused.
    if (req.headers['trpc-accept'] !== undefined || req.headers.accept?.includes('jsonl')) {
      return undefined;
    }
    if (queryAt !== -1) {
      // A query's input may ride in `?input=`; any other parameter (batch,
      // connectionParams) is tRPC's business.
      const params = new URLSearchParams(url.slice(queryAt + 1));
      if (type !== 'query' || [...params.keys()].some((key) => key !== 'input')) return undefined;
    }
    return { path, type, procedure };
  }

  async function handlePlain(
    req: IncomingMessage,
    res: ServerResponse,
    call: PlainCall,
    headers: readonly string[],
  ) {
    const input = lazyInput(() =>
      call.type === 'query' ? queryInput(req) : bodyInput(req, res, maxBodySize),
    );
    let ctx: inferRouterContext<TRouter> | undefined;
    try {
      ctx = options.createContext(req);
      // The procedure itself, as tRPC's adapter calls it (callTRPCProcedure
      // would add its router to the options each middleware level copies).
      const data = await call.procedure({
        path: call.path,
        type: call.type,
        ctx,
        getRawInput: input.read,
        signal: undefined,
        batchIndex: 0,
      });
      // transformTRPCResponse's shape for a success, without its object spreads.
      send(
        res,
        200,
        headers,
        JSON.stringify({ result: { data: config.transformer.output.serialize(data) } }),
      );
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      options.onError(error, call.path, req);
      const shape = getTRPCErrorShape({
        config,
        ctx,
        error,
        input: input.result(),
        path: call.path,
        type: call.type,
      });
      send(
        res,
        getHTTPStatusCode({ error: shape }),
        headers.concat(Object.entries(options.errorHeaders([error])).flat()),
        JSON.stringify(transformTRPCResponse(config, { error: shape })),
      );
    }
  }

  return (req, res, headers = []) => {
    const call = plainCall(req);
    if (!call) {
      setHeaders(res, headers);
      standard(req, res);
      return;
    }
    handlePlain(req, res, call, headers).catch((cause: unknown) => {
      // Only a bug gets here (an error formatter that throws): log it, answer 500.
      options.onError(getTRPCErrorFromUnknown(cause), call.path, req);
      if (!res.headersSent) res.writeHead(500, [...headers]);
      res.end();
    });
  };
}

/** A plain call's answer: status line, headers and JSON body in one write. */
function send(res: ServerResponse, status: number, headers: readonly string[], body: string) {
  res.writeHead(
    status,
    headers.concat(PLAIN_HEADERS, 'content-length', String(Buffer.byteLength(body))),
  );
  res.end(body);
}

/** tRPC's own Node adapter with the same options: what answers everything but plain calls. */
export function createStandardHandler<TRouter extends AnyTRPCRouter>(
  options: TrpcHandlerOptions<TRouter>,
) {
  return createHTTPHandler({
    router: options.router,
    basePath: options.basePath,
    maxBodySize: options.maxBodySize,
    // One procedure per request: a batch could make one request check a
    // thousand passwords.
    allowBatching: false,
    createContext: ({ req }) => options.createContext(req),
    responseMeta: ({ errors }) => ({ headers: options.errorHeaders(errors) }),
    onError: ({ error, path, req }) => options.onError(error, path, req),
  });
}

/**
 * The raw input, read once when the procedure first asks for it (a procedure
 * without input never reads the body); errors worded as tRPC words them.
 */
function lazyInput(read: () => Promise<unknown>) {
  let promise: Promise<unknown> | undefined;
  let value: unknown;
  return {
    read: () => {
      promise ??= read().then(
        (input) => {
          value = input;
          return input;
        },
        (cause: unknown) => {
          if (cause instanceof TRPCError) throw cause;
          const message = cause instanceof Error ? cause.message : 'Invalid input';
          throw new TRPCError({ code: 'BAD_REQUEST', message, cause });
        },
      );
      return promise;
    },
    /** The input, if it was read and parsed. */
    result: () => value,
  };
}

/** `?input=<JSON>`, as a GET query carries its input. */
async function queryInput(req: IncomingMessage): Promise<unknown> {
  const search = (req.url ?? '').split('?', 2)[1];
  const raw = search === undefined ? null : new URLSearchParams(search).get('input');
  return raw ? JSON.parse(raw) : undefined;
}

const clientGone = () =>
  new TRPCError({ code: 'CLIENT_CLOSED_REQUEST', message: 'The client went away.' });

/** The JSON body, refused past `limit` bytes (the connection then closes). */
function bodyInput(req: IncomingMessage, res: ServerResponse, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (req.destroyed) {
      reject(clientGone());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        res.setHeader('connection', 'close');
        stop(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      req.off('data', onData).off('close', onClose);
      try {
        resolve(JSON.parse(decoder.decode(Buffer.concat(chunks))));
      } catch (error) {
        reject(error);
      }
    };
    const onClose = () => stop(clientGone());
    req.on('data', onData).once('end', onEnd).once('close', onClose);
  });
}
