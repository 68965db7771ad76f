import type { Database } from '@tokenauth/db';
import { listKeptMail } from '../mail/outbox.ts';
import { messages } from '../messages.ts';
import { HttpError, sendJson } from './exchange.ts';
import type { Face } from './pipeline.ts';

/**
 * `GET /api/dev/outbox`: the mail kept for want of SMTP, newest first, for
 * the web app's dev-only page (/dev/outbox). Mounted only when there is no
 * SMTP server and NODE_ENV is not production (config.mail.devOutbox): its
 * links are secrets.
 */
export function devOutboxFace(db: Database): Face {
  return {
    async handle(ex) {
      if (ex.req.method !== 'GET') throw new HttpError(404, messages.notFound);
      const kept = await listKeptMail(db, 50);
      sendJson(
        ex,
        200,
        kept.map((m) => ({
          id: m.id,
          to: m.to,
          subject: m.subject,
          text: m.text,
          createdAt: m.createdAt.toISOString(),
        })),
      );
    },
    refuse: (ex, error) => sendJson(ex, error.status, { detail: error.message }, error.headers),
  };
}
