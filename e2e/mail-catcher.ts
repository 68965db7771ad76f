import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the tests read it. */
export type CaughtMail = { to: string; subject: string; text: string };

/**
 * A real SMTP server for the API under test to send through (the
 * `smtp-server` package), and an HTTP endpoint on `httpPort` where the
 * browser tests read what arrived: `GET /mail?to=<address>`, newest last.
 */
export async function startMailCatcher(httpPort: number) {
  const caught: CaughtMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          for (const { address } of session.envelope.rcptTo) {
            caught.push({
              to: address.toLowerCase(),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
            });
          }
          callback();
        })
        .catch(callback);
    },
  });
  smtp.listen(0, '127.0.0.1');
  await new Promise((resolve) => smtp.server.once('listening', resolve));
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const to = url.searchParams.get('to')?.toLowerCase();
    if (url.pathname !== '/mail' || !to) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(caught.filter((mail) => mail.to === to)));
  });
  http.listen(httpPort, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  return {
    smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    close: async () => {
      http.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
