import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import type { Db } from '@tokenauth/db';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createContextFactory } from './context.ts';
import { messages } from './errors.ts';
import { logger } from './logger.ts';
import { appRouter } from './routers/app.ts';

const HEALTH_TIMEOUT_MS = 2000;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** `GET /health`: 200 when the database answers within two seconds, 503 otherwise. */
async function health(handle: Db, res: ServerResponse): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('database ping timed out')), HEALTH_TIMEOUT_MS);
  });
  try {
    await Promise.race([handle.ping(), timeout]);
    sendJson(res, 200, { status: 'ok' });
  } catch (error) {
    logger.warn({ err: error }, 'health check failed');
    sendJson(res, 503, { status: 'unavailable', message: messages.databaseUnavailable });
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP server: tRPC under /trpc/, a health check, and 404 for the rest. */
export function createServer(handle: Db): Server {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: createContextFactory(handle.db),
    responseMeta({ errors }) {
      const headers: Record<string, string> = { 'cache-control': 'no-store' };
      if (errors.some((error) => error.code === 'UNAUTHORIZED')) {
        headers['www-authenticate'] = 'Token';
      }
      return { headers };
    },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: error.cause ?? error, path }, 'procedure failed');
      } else {
        logger.debug({ code: error.code, path }, error.message);
      }
    },
  });

  return createHttpServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path?.startsWith('/trpc/')) {
      // `curl -X POST .../auth.logout` sends no body and no Content-Type; read it as JSON.
      req.headers['content-type'] ??= 'application/json';
      trpc(req, res);
    } else if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      void health(handle, res);
    } else {
      sendJson(res, 404, { error: { message: messages.notFound } });
    }
  });
}
