import type { Database } from '@tokenauth/db';
import { listKeptMail } from '../mail/outbox.ts';
import { messages } from '../messages.ts';
import { HttpError, sendJson } from './exchange.ts';
import type { Face } from './pipeline.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `GET /api/dev/outbox`: the mail kept for want of SMTP, newest first, for
 * the web app's dev-only page (/dev/outbox). Mounted only when there is no
 * SMTP server and NODE_ENV is not production (config.mail.devOutbox): its
 * links are secrets.
 */
export function devOutboxFace(db: Database): Face {
  return {
    async handle(ex) {
      // And only to this machine, directly: not through a proxy (which sends
      // X-Forwarded-For; Vite's dev proxy does not), nor from the network,
      // should an API without SMTP be deployed without NODE_ENV=production.
      // A Host of this machine's too: a page on a rebound DNS name must not read it.
      const host = (ex.req.headers.host ?? '').replace(/:\d+$/, '');
      const local =
        LOOPBACK.has(ex.req.socket.remoteAddress ?? '') && LOCAL_HOSTS.has(host.toLowerCase());
      if (ex.req.method !== 'GET' || !local || ex.req.headers['x-forwarded-for'] !== undefined) {
        throw new HttpError(404, messages.notFound);
      }
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
