import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { messages } from '../messages.ts';
import { type Exchange, HttpError, sendJson } from './exchange.ts';
import { createRequestLogger } from './request-logger.ts';

/**
 * One step of the pipeline. It may add to `ex.headers` or the response,
 * throw an HttpError to refuse the request, or answer it itself and return
 * true (a CORS preflight). A step never knows which face follows.
 */
export type Step = (ex: Exchange) => boolean | undefined;

/** What answers the requests under one path prefix, at the end of the pipeline. */
export type Face = {
  handle(ex: Exchange): Promise<void>;
  /** Answers a refusal in this face's own shape. */
  refuse(ex: Exchange, error: HttpError): void;
};

/** Faces answer `{"error":{"message":…}}` unless they say otherwise. */
export const plainRefusal = (ex: Exchange, error: HttpError): void =>
  sendJson(ex, error.status, { error: { message: error.message } }, error.headers);

const notFound: Face = {
  handle: async () => {
    throw new HttpError(404, messages.notFound);
  },
  refuse: plainRefusal,
};

/**
 * The request pipeline: every request gets an id and a log line, then goes
 * through `steps` in order, then to the face mounted at the longest matching
 * path prefix (`/trpc/`, `/health`), or a 404. Errors a face or step throws
 * are answered by that face: an HttpError as it words it, anything else as
 * a logged 500 that shows nothing of the cause.
 */
export function createPipeline(options: {
  logger: Logger;
  steps: Step[];
  faces: Record<string, Face>;
}): RequestListener {
  const { steps } = options;
  const mounts = Object.entries(options.faces).sort(([a], [b]) => b.length - a.length);
  const logRequest = createRequestLogger(options.logger);

  const faceFor = (path: string): Face =>
    mounts.find(([prefix]) =>
      prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix,
    )?.[1] ?? notFound;

  function fail(ex: Exchange, face: Face, error: unknown): void {
    try {
      if (ex.res.headersSent) {
        ex.res.destroy();
        return;
      }
      if (!(error instanceof HttpError)) ex.log.error({ err: error }, 'request failed');
      face.refuse(ex, error instanceof HttpError ? error : new HttpError(500, messages.internal));
    } catch (failure) {
      // Answering failed too: nothing sensible can be sent any more.
      ex.log.error({ err: failure }, 'could not answer');
      ex.res.destroy();
    }
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const log = logRequest(req, res, path);
    const ex: Exchange = { req, res, path, log, headers: [] };
    const face = faceFor(path);
    try {
      for (const step of steps) if (step(ex)) return;
      face.handle(ex).catch((error: unknown) => fail(ex, face, error));
    } catch (error) {
      fail(ex, face, error);
    }
  };
}
