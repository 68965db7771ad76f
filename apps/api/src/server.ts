import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Db } from '@tokenauth/db';
import cors from 'cors';
import type { Logger } from 'pino';
import { createContextInner } from './context.ts';
import { env } from './env.ts';
import { errorHeaders, messages } from './errors.ts';
import { clientIp } from './http/client-ip.ts';
import { createRequestLogger, type RequestLog } from './http/request-logger.ts';
import { setHeaders } from './http/set-headers.ts';
import { createTrpcHandler } from './http/trpc-handler.ts';
import { logger as defaultLogger } from './logger.ts';
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

/** Sent with every response: this API serves JSON to scripts, never pages to frame. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** As `[name, value, …]`, once, not per request. */
const SECURITY_HEADER_LIST = Object.entries(SECURITY_HEADERS).flat();

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** `GET /health`: 200 when the database answers within two seconds, 503 otherwise. */
async function health(handle: Db, res: ServerResponse, log: RequestLog): Promise<void> {
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

  const logRequest = createRequestLogger(logger);

  const allowCors = corsOrigins.length
    ? cors({
        origin: corsOrigins,
        methods: ['GET', 'POST'],
        allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
        exposedHeaders: ['retry-after', 'x-request-id'],
        maxAge: 600,
      })
    : undefined;

  const trpc = createTrpcHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize,
    createContext: (req) =>
      createContextInner({
        db: handle.db,
        authorization: req.headers.authorization,
        userAgent: req.headers['user-agent']?.slice(0, 512),
        ip: clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustProxy),
        limits,
      }),
    errorHeaders,
    onError(error, path, req) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        req.log.error({ err: error.cause ?? error, path }, 'procedure failed');
      } else if (error.code === 'SERVICE_UNAVAILABLE') {
        req.log.warn({ err: error.cause, path }, 'database unavailable');
      }
    },
  });

  return createHttpServer({ noDelay: true }, (req: IncomingMessage, res: ServerResponse) => {
    logRequest(req, res);
    const headers = SECURITY_HEADER_LIST.concat('x-request-id', req.log.id);

    // Refuse an announced oversized body before reading any of it; tRPC
    // stops chunked ones at the same limit.
    if (Number(req.headers['content-length'] ?? 0) > maxBodySize) {
      setHeaders(res, headers);
      res.setHeader('connection', 'close');
      sendJson(res, 413, { error: { message: messages.payloadTooLarge(maxBodySize) } });
      return;
    }

    const path = (req.url ?? '/').split('?', 1)[0];
    if (path?.startsWith('/trpc/')) {
      // `curl -X POST .../auth.logout` sends no body and no Content-Type; read it as JSON.
      req.headers['content-type'] ??= 'application/json';
      if (allowCors) {
        // CORS answers preflights itself, so the headers go on first.
        setHeaders(res, headers);
        allowCors(req, res, () => trpc(req, res));
      } else {
        trpc(req, res, headers);
      }
      return;
    }
    setHeaders(res, headers);
    if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      void health(handle, res, req.log);
    } else {
      sendJson(res, 404, { error: { message: messages.notFound } });
    }
  });
}
