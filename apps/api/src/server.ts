import { randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Db } from '@tokenauth/db';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import cors from 'cors';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { createContextInner } from './context.ts';
import { env } from './env.ts';
import { messages, RetryAfter } from './errors.ts';
import { clientIp } from './http/client-ip.ts';
import { logger as defaultLogger, serializeError } from './logger.ts';
import { createRateLimits, type RateLimits } from './rate-limit.ts';
import { appRouter } from './routers/app.ts';

export type ServerOptions = {
  logger?: Logger;
  /** Defaults to limits from the environment, stored in `db`. */
  limits?: RateLimits;
  corsOrigins?: string[];
  trustProxy?: number;
  maxBodySize?: number;
};

const HEALTH_TIMEOUT_MS = 2000;
const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** Sent with every response: this API serves JSON to scripts, never pages to frame. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** `GET /health`: 200 when the database answers within two seconds, 503 otherwise. */
async function health(handle: Db, res: ServerResponse, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('database ping timed out')), HEALTH_TIMEOUT_MS);
  });
  try {
    await Promise.race([handle.ping(), timeout]);
    sendJson(res, 200, { status: 'ok' });
  } catch (error) {
    log.warn({ err: error }, 'health check failed');
    sendJson(res, 503, { status: 'unavailable', message: messages.databaseUnavailable });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The HTTP server: tRPC under /trpc/, a health check, and 404 for the rest.
 * Every response gets security headers and an X-Request-Id, and is logged
 * without its headers or body.
 */
export function createServer(handle: Db, options: ServerOptions = {}): Server {
  const logger = options.logger ?? defaultLogger;
  const maxBodySize = options.maxBodySize ?? env.MAX_BODY_SIZE;
  const trustProxy = options.trustProxy ?? env.TRUST_PROXY;
  const corsOrigins = options.corsOrigins ?? env.CORS_ORIGINS;
  const limits =
    options.limits ??
    createRateLimits(
      {
        passwordFailuresPerUsername: env.RATE_LIMIT_PASSWORD_FAILURES_PER_USERNAME,
        passwordFailuresPerIp: env.RATE_LIMIT_PASSWORD_FAILURES_PER_IP,
        signupsPerIp: env.RATE_LIMIT_SIGNUPS_PER_IP,
        signupsPerUsername: env.RATE_LIMIT_SIGNUPS_PER_USERNAME,
      },
      handle,
    );

  const httpLogger = pinoHttp({
    logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    // What a request line needs, and nothing that could hold a secret
    // (no headers, no query string, no body).
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?', 1)[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // pino-http brings its own error serializer; keep ours, which hides query parameters.
      err: serializeError,
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
  });

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize,
    // One procedure per request: a batch could make one request check a
    // thousand passwords.
    allowBatching: false,
    middleware: corsOrigins.length
      ? cors({
          origin: corsOrigins,
          methods: ['GET', 'POST'],
          allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
          exposedHeaders: ['retry-after', 'x-request-id'],
          maxAge: 600,
        })
      : undefined,
    createContext: ({ req }) =>
      createContextInner({
        db: handle.db,
        authorization: req.headers.authorization,
        userAgent: req.headers['user-agent']?.slice(0, 512),
        ip: clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustProxy),
        limits,
        log: req.log,
      }),
    responseMeta({ errors }) {
      const headers = new Headers();
      if (errors.some((error) => error.code === 'UNAUTHORIZED')) {
        headers.set('www-authenticate', 'Token');
      }
      const waits = errors.flatMap((e) => (e.cause instanceof RetryAfter ? [e.cause.seconds] : []));
      if (waits.length > 0) headers.set('retry-after', String(Math.max(...waits)));
      return { headers };
    },
    onError({ error, path, req }) {
      const log = req.log ?? logger;
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        log.error({ err: error.cause ?? error, path }, 'procedure failed');
      } else if (error.code === 'SERVICE_UNAVAILABLE') {
        log.warn({ err: error.cause, path }, 'database unavailable');
      }
    },
  });

  return createHttpServer({ noDelay: true }, (req: IncomingMessage, res: ServerResponse) => {
    httpLogger(req, res);
    req.log.trace('request received');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);

    // Refuse an announced oversized body before reading any of it; tRPC
    // stops chunked ones at the same limit.
    if (Number(req.headers['content-length'] ?? 0) > maxBodySize) {
      res.setHeader('connection', 'close');
      sendJson(res, 413, { error: { message: messages.payloadTooLarge(maxBodySize) } });
      return;
    }

    const path = (req.url ?? '/').split('?', 1)[0];
    if (path?.startsWith('/trpc/')) {
      // `curl -X POST .../auth.logout` sends no body and no Content-Type; read it as JSON.
      req.headers['content-type'] ??= 'application/json';
      trpc(req, res);
    } else if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      void health(handle, res, req.log);
    } else {
      sendJson(res, 404, { error: { message: messages.notFound } });
    }
  });
}
