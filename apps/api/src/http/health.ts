import type { Db } from '@tokenauth/db';
import { messages } from '../messages.ts';
import { HttpError, sendJson } from './exchange.ts';
import { type Face, plainRefusal } from './pipeline.ts';

const HEALTH_TIMEOUT_MS = 2000;

/** `GET /health`: 200 when the database answers within two seconds, 503 otherwise. */
export function healthFace(handle: Db): Face {
  return {
    async handle(ex) {
      if (ex.req.method !== 'GET' && ex.req.method !== 'HEAD') {
        throw new HttpError(404, messages.notFound);
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), HEALTH_TIMEOUT_MS);
      });
      try {
        await Promise.race([handle.ping(), timeout]);
        sendJson(ex, 200, { status: 'ok' });
      } catch (error) {
        ex.log.warn({ err: error }, 'health check failed');
        sendJson(ex, 503, { status: 'unavailable', message: messages.databaseUnavailable });
      } finally {
        clearTimeout(timer);
      }
    },
    refuse: plainRefusal,
  };
}
