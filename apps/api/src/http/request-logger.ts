import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';

/** A request id a client or proxy may choose; anything else is replaced. */
const REQUEST_ID = /^[\w.:-]{1,64}$/;

function levelOf(statusCode: number): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'info' : 'debug';
}

/**
 * One request's log. The pino child logger that carries the request's id,
 * method and path is made on the first line that is actually written: most
 * requests write none (a 2xx is logged at debug), and making it for each one
 * cost more than the rest of the logging (docs/performance.md).
 */
export class RequestLog {
  #logger: Logger | undefined;

  constructor(
    private readonly base: Logger,
    readonly id: string,
    private readonly method: string | undefined,
    private readonly path: string | undefined,
  ) {}

  /** The pino logger for this request, for anything the methods below do not cover. */
  get logger(): Logger {
    this.#logger ??= this.base.child({
      req: { id: this.id, method: this.method, path: this.path },
    });
    return this.#logger;
  }

  write(level: Level, fields: object, message: string): void {
    if (this.base.isLevelEnabled(level)) this.logger[level](fields, message);
  }

  error(fields: object, message: string): void {
    this.write('error', fields, message);
  }

  warn(fields: object, message: string): void {
    this.write('warn', fields, message);
  }
}

/**
 * Gives each request an id (a well-formed `X-Request-Id`, or a new UUID; the
 * server sends it back), a log, and one line when it ends: 5xx at
 * error, 4xx at info, the rest at debug. The line carries the method, path
 * (no query string), status and time; never headers or bodies.
 *
 * pino-http did this, but it serializes each request into a child logger up
 * front, logged or not (docs/performance.md).
 */
export function createRequestLogger(logger: Logger) {
  return function logRequest(req: IncomingMessage, res: ServerResponse, path: string): RequestLog {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    const log = new RequestLog(logger, id, req.method, path);
    if (logger.isLevelEnabled('trace')) log.logger.trace('request received');

    const start = performance.now();
    res.once('close', () => {
      const level = levelOf(res.statusCode);
      if (!logger.isLevelEnabled(level)) return; // a 2xx at the default level: nothing to build
      log.logger[level](
        {
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - start),
        },
        res.writableFinished ? 'request completed' : 'request aborted',
      );
    });
    return log;
  };
}
