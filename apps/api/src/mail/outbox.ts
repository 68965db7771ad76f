import { type Database, type Mail, mailOutbox } from '@tokenauth/db';
import { and, asc, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { deleteInBatches } from '../delete-in-batches.ts';
import { sqlTime } from '../sql-rows.ts';

/** A message to send: a plain-text part and an HTML part. */
export type Message = { to: string; subject: string; text: string; html: string };

export type Outbox = {
  /**
   * Queues a message and returns: sending happens in the background, so a
   * request never waits for SMTP, and a failure never changes its answer.
   */
  send(message: Message): Promise<void>;
  /**
   * Runs `work` (which may queue mail) after the current request is
   * answered; a failure is logged. `drain` waits for it.
   */
  later(work: () => Promise<unknown>): void;
  /** Finishes the work queued with `later`, then sends what is due (tests, shutdown). */
  drain(): Promise<void>;
  /** Stops the retry timer. */
  close(): void;
};

/** Attempts before a message is given up on, and the wait before the first retry. */
const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 10_000;
/** A message being sent for longer than this is taken to be lost with its process. */
const SENDING_TIMEOUT_MS = 5 * 60_000;

/**
 * Mail through a PostgreSQL table: queued by `send`, sent in the background
 * by whichever process gets to it first (rows are claimed with SKIP LOCKED,
 * so several API processes share the work), retried with exponential backoff
 * (10 s, 20 s, 40 s… up to eight attempts). A sent message's body is erased,
 * since its links are secrets. Without `smtpUrl`, nothing is sent: messages
 * stay in the table as the dev outbox (`pnpm -s cli mail list`).
 */
export function createOutbox(options: {
  db: Database;
  smtpUrl: string | undefined;
  from: string;
  log: Logger;
  /** For tests: the transport to send through instead of one made from smtpUrl. */
  transport?: Transporter;
}): Outbox {
  const { db, from, log } = options;
  // Timeouts well under the reclaim of SENDING_TIMEOUT_MS, so that a slow
  // server fails the attempt before another process takes the message over.
  const transport =
    options.transport ??
    (options.smtpUrl
      ? createTransport({
          url: options.smtpUrl,
          connectionTimeout: 30_000,
          greetingTimeout: 30_000,
          socketTimeout: 60_000,
        })
      : undefined);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  const pending = new Set<Promise<void>>();

  /** Claims due messages, so that no other process sends them too. */
  async function claim(now: Date): Promise<Mail[]> {
    const stale = new Date(now.getTime() - SENDING_TIMEOUT_MS);
    const due = db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(
        or(
          and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now)),
          and(eq(mailOutbox.status, 'sending'), lte(mailOutbox.nextAttemptAt, stale)),
        ),
      )
      .orderBy(asc(mailOutbox.nextAttemptAt))
      .limit(20)
      .for('update', { skipLocked: true });
    // The attempt counts as it starts: a message whose sending kills its
    // process is reclaimed, and must not be tried for ever.
    return db
      .update(mailOutbox)
      .set({ status: 'sending', nextAttemptAt: now, attempts: sql`${mailOutbox.attempts} + 1` })
      .where(inArray(mailOutbox.id, due))
      .returning();
  }

  /** Back to the queue for a later attempt, or given up on: its links then erased, as if sent. */
  async function failed(mail: Mail, error: unknown, permanent: boolean): Promise<void> {
    const givingUp = permanent || mail.attempts >= MAX_ATTEMPTS;
    const wait = FIRST_RETRY_MS * 2 ** (mail.attempts - 1);
    await db
      .update(mailOutbox)
      .set({
        status: givingUp ? 'failed' : 'pending',
        ...(givingUp ? { text: null, html: null } : {}),
        nextAttemptAt: new Date(Date.now() + wait),
        lastError: String((error as Error).message ?? error).slice(0, 500),
      })
      .where(eq(mailOutbox.id, mail.id));
    const fields = { err: error, mailId: mail.id, attempts: mail.attempts };
    if (givingUp) log.error(fields, 'mail not sent; gave up');
    else log.warn({ ...fields, retryInMs: wait }, 'mail not sent');
  }

  async function deliver(mail: Mail): Promise<void> {
    try {
      await transport?.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text ?? '',
        html: mail.html ?? '',
      });
      await db
        .update(mailOutbox)
        .set({ status: 'sent', sentAt: new Date(), text: null, html: null, lastError: null })
        .where(eq(mailOutbox.id, mail.id));
      log.info({ mailId: mail.id }, 'mail sent');
    } catch (error) {
      // A 5xx from the server (no such mailbox, refused) will not change on retrying.
      const permanent = Number((error as { responseCode?: unknown }).responseCode) >= 500;
      await failed(mail, error, permanent);
    }
  }

  /** When the next retry is due (or a message left sending by a dead process), wake up then. */
  async function scheduleNext(): Promise<void> {
    const [next] = await db
      .select({ at: mailOutbox.nextAttemptAt, status: mailOutbox.status })
      .from(mailOutbox)
      .where(inArray(mailOutbox.status, ['pending', 'sending']))
      .orderBy(asc(mailOutbox.nextAttemptAt))
      .limit(1);
    clearTimeout(timer);
    if (!next || closed) return;
    const due = next.at.getTime() + (next.status === 'sending' ? SENDING_TIMEOUT_MS : 0);
    timer = setTimeout(kick, Math.max(0, due - Date.now()));
    timer.unref(); // a retry never keeps the process alive
  }

  async function round(): Promise<void> {
    do {
      again = false;
      const claimed = await claim(new Date());
      await Promise.all(
        claimed.map((mail) =>
          // Its last attempt was lost with its process (it was still sending).
          mail.attempts > MAX_ATTEMPTS
            ? failed(mail, new Error('still sending when its process stopped'), true)
            : deliver(mail),
        ),
      );
      if (claimed.length === 20) again = true;
    } while (again);
    await scheduleNext();
  }

  function kick(): void {
    if (!transport) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = round()
      .catch((error: unknown) => log.error({ err: error }, 'mail queue failed'))
      .finally(() => {
        running = undefined;
        // A message queued while the round was looking for the next retry
        // (after its last claim): its kick only set `again`, so go again.
        if (again) kick();
      });
  }

  return {
    async send(message) {
      const [row] = await db
        .insert(mailOutbox)
        .values({ ...message, status: transport ? 'pending' : 'kept' })
        .returning({ id: mailOutbox.id });
      if (transport) {
        kick();
        return;
      }
      // Where to read it: never the link itself, at info level.
      log.info(
        { mailId: row?.id, to: message.to, subject: message.subject },
        `mail kept in the dev outbox: pnpm -s cli mail show ${row?.id}`,
      );
    },
    later(work) {
      const task = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .then(
          () => undefined,
          (error: unknown) => log.error({ err: error }, 'mail work failed'),
        )
        .finally(() => pending.delete(task));
      pending.add(task);
    },
    async drain() {
      await Promise.all(pending);
      kick();
      await running;
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}

/** Deletes what was sent or given up on before `before`: their bodies are gone already. */
export async function purgeMail(db: Database, before: Date): Promise<number> {
  return deleteInBatches(
    db,
    mailOutbox,
    sql`${mailOutbox.status} in ('sent', 'failed') and ${mailOutbox.createdAt} <= ${sqlTime(before)}`,
    mailOutbox.createdAt,
  );
}

/** The dev outbox, newest first: what `pnpm -s cli mail list` prints. */
export function listKeptMail(db: Database, limit = 20) {
  return db
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.status, 'kept'))
    .orderBy(desc(mailOutbox.createdAt))
    .limit(limit);
}
