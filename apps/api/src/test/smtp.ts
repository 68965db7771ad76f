import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type Received = ParsedMail & { to: string; text: string };

/**
 * A real SMTP server in the test process (the `smtp-server` package): mail
 * the API sends arrives here over TCP and is parsed with `mailparser`.
 * `refuse` makes it answer 451 to the next N messages, as a server in
 * trouble does.
 */
export async function testSmtp() {
  const inbox: Received[] = [];
  const waiting: { to: string; resolve: (mail: Received) => void }[] = [];
  let refusals = 0;
  let code = 451;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refusals > 0) {
        refusals -= 1;
        const error = Object.assign(
          new Error(code === 451 ? 'Try again later' : 'No such mailbox'),
          {
            responseCode: code,
          },
        );
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = session.envelope.rcptTo[0]?.address ?? '';
          const mail = Object.assign(parsed, { to, text: parsed.text ?? '' });
          const waiter = waiting.findIndex((w) => w.to === to);
          if (waiter === -1) inbox.push(mail);
          else waiting.splice(waiter, 1)[0]?.resolve(mail);
          callback();
        })
        .catch(callback);
    },
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.server.once('listening', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** The next message to `to`: one already here, or the next to arrive (fails after 10 s). */
    next(to: string): Promise<Received> {
      const at = inbox.findIndex((mail) => mail.to === to);
      if (at !== -1) return Promise.resolve(inbox.splice(at, 1)[0] as Received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no mail to ${to} within 10 s`)), 10_000);
        waiting.push({
          to,
          resolve: (mail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        });
      });
    },
    /** Whether anything arrived for `to` (and was not taken). */
    has: (to: string) => inbox.some((mail) => mail.to === to),
    /** Refuses the next `count` messages: for now (451) or for good (550). */
    refuse(count: number, responseCode = 451) {
      refusals = count;
      code = responseCode;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The link of a given page in a mail's text part: `${WEB_URL}/<page>/<uid>/<token>`. */
export function linkIn(mail: { text: string }, page: string) {
  const match = new RegExp(`https?://[^\\s/]+/${page}/([0-9a-f-]{36})/([A-Za-z0-9_-]{43})`).exec(
    mail.text,
  );
  if (!match) throw new Error(`no ${page} link in:\n${mail.text}`);
  return { url: match[0], uid: match[1] as string, token: match[2] as string };
}
