import { createServer as createHttpServer, type Server } from 'node:http';
import type { Db } from '@tokenauth/db';
import type { Logger } from 'pino';
import type { HttpConfig } from './config.ts';
import { createContextInner } from './context.ts';
import { clientGoneSignal } from './http/client-gone.ts';
import { clientIpResolver } from './http/client-ip.ts';
import { devOutboxFace } from './http/dev-outbox.ts';
import { docsFace } from './http/docs-face.ts';
import type { Exchange } from './http/exchange.ts';
import { healthFace } from './http/health.ts';
import { jwksFace } from './http/jwks-face.ts';
import { createPipeline, type Step } from './http/pipeline.ts';
import { restFace } from './http/rest-face.ts';
import { allowCors, limitBody, securityHeaders } from './http/steps.ts';
import { trpcFace } from './http/trpc-face.ts';
import { webAppFace } from './http/web-app-face.ts';
import { openApiDocument } from './rest/openapi.ts';
import { restRoutes } from './rest/routes.ts';
import { createAppRouter } from './routers/app.ts';
import type { Services } from './services.ts';
import { reachedProcedure, trpcConfig } from './trpc.ts';

/**
 * The HTTP server: one pipeline (request id and log line, security headers,
 * CORS, body limit) in front of tRPC under /trpc/, the REST face under
 * /api/, its OpenAPI document and docs page, a health check, and in
 * production the built web app at every other path.
 */
export function createServer(
  config: {
    http: HttpConfig;
    passwords: { minLength: number };
    mail: { devOutbox: boolean; requireVerification: boolean };
  },
  deps: { handle: Db; services: Services; logger: Logger },
): Server {
  const { http } = config;
  const { handle, services, logger } = deps;
  const clientIp = clientIpResolver(http.trustProxy);
  const steps: Step[] = [securityHeaders(http.hstsMaxAgeSeconds)];
  if (http.corsOrigins.length > 0) steps.push(allowCors(http.corsOrigins));
  steps.push(limitBody(http.maxBodySize));

  const createContext = ({ req, res }: Exchange) =>
    createContextInner(services, {
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent']?.slice(0, 512),
      ip: clientIp(req),
      // Only requests with a body check passwords; reads need no signal.
      signal: req.method === 'GET' || req.method === 'HEAD' ? undefined : clientGoneSignal(res),
    });
  const routes = restRoutes(config.passwords.minLength);
  const router = createAppRouter({
    passwordMinLength: config.passwords.minLength,
    emailRequired: config.mail.requireVerification,
  });
  const rest = restFace({ routes, maxBodySize: http.maxBodySize, createContext });
  const docs = docsFace(() =>
    openApiDocument({ routes, router, devOutbox: config.mail.devOutbox }),
  );

  const listener = createPipeline({
    logger,
    steps,
    faces: {
      '/trpc/': trpcFace({
        router,
        basePath: '/trpc/',
        maxBodySize: http.maxBodySize,
        config: trpcConfig,
        createContext,
        reachedProcedure,
        onError(error, path, ex) {
          if (error.code === 'INTERNAL_SERVER_ERROR') {
            ex.log.error({ err: error.cause ?? error, path }, 'procedure failed');
          } else if (error.code === 'SERVICE_UNAVAILABLE') {
            ex.log.warn({ err: error.cause, path }, 'database unavailable');
          }
        },
      }),
      '/health': healthFace(handle),
      ...(services.jwt ? { '/.well-known/jwks.json': jwksFace(services.jwt.keys) } : {}),
      // The Djoser-compatible REST face, and DRF's obtain_auth_token where the seeds mount it.
      '/api/': rest,
      '/api-token-auth': rest,
      '/api-token-auth/': rest,
      '/api/openapi.json': docs,
      '/api/docs': docs,
      '/api/docs/': docs,
      ...(config.mail.devOutbox ? { '/api/dev/outbox': devOutboxFace(services.db) } : {}),
      // The built web app, and its page for every other path (production).
      ...(http.webAppDir ? { '/': webAppFace(http.webAppDir) } : {}),
    },
  });
  return createHttpServer({ noDelay: true }, listener);
}
