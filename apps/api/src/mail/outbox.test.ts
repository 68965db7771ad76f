import { type Database, mailOutbox } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { inArray } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases } from '../test/databases.ts';
import { testSmtp } from '../test/smtp.ts';
import { createOutbox } from './outbox.ts';

/**
 * `db`, but the first query that selects `{ at, status }` (the outbox
 * looking for its next retry) answers only when `release` is called: with
 * what it found when it ran, as a query that ran just before a new row
 * committed would.
 */
function holdingNextRetryLookup(db: Database) {
  let reached!: () => void;
  const atLookup = new Promise<void>((resolve) => {
    reached = resolve;
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = false;
  const wrap = <T extends object>(builder: T): T =>
    new Proxy(builder, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key === 'then') {
          return (resolve: (v: unknown) => void, reject: (e: unknown) => void) =>
            (value as (...a: unknown[]) => Promise<unknown>)
              .call(target, async (rows: unknown) => {
                reached();
                await released;
                return rows;
              })
              .then(resolve, reject);
        }
        return typeof value === 'function'
          ? (...args: unknown[]) => {
              const next = value.apply(target, args);
              return next && typeof next === 'object' ? wrap(next) : next;
            }
          : value;
      },
    });
  const gated = new Proxy(db, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'select') return value;
      return (fields?: object) => {
        const builder = value.call(target, fields);
        if (held || !fields || !('at' in fields)) return builder;
        held = true;
        return wrap(builder);
      };
    },
  }) as Database;
  return { db: gated, atLookup, release };
}

describe.each(databases)('the mail outbox on $name', ({ create }) => {
  let handle: TestDb;
  let smtp: Awaited<ReturnType<typeof testSmtp>>;
  beforeAll(async () => {
    handle = await create();
    smtp = await testSmtp();
  });
  afterAll(async () => {
    await smtp?.close();
    await handle?.drop();
  });
  /** An outbox sending to the test SMTP server, from `db`. */
  const outboxOn = (db: Database) =>
    createOutbox({
      db,
      smtpUrl: smtp.url,
      from: 'tokenauth <no-reply@app.test>',
      log: pino({ level: 'silent' }),
    });

  // Regression: a message queued while the outbox, its round done, was
  // looking up its next retry was left pending until some later message
  // (CI saw a reset mail never arrive).
  it('sends a message queued while it looks for the next retry', async () => {
    const gate = holdingNextRetryLookup(handle.db);
    const outbox = outboxOn(gate.db);
    try {
      await outbox.send({ to: 'first@example.com', subject: 'First', text: 'one', html: 'one' });
      await smtp.next('first@example.com');
      await gate.atLookup; // the round found nothing pending, and is about to say so
      await outbox.send({ to: 'second@example.com', subject: 'Second', text: 'two', html: 'two' });
      gate.release();
      expect((await smtp.next('second@example.com')).subject).toBe('Second');
    } finally {
      outbox.close();
    }
  });

  // Regression: a reclaimed message (its process died while sending it) was
  // not counted as an attempt, so one that kills its process was tried for ever.
  it('counts the attempt a dead process was making, and gives up on the last', async () => {
    const lost = new Date(Date.now() - 6 * 60_000); // past the reclaim timeout
    const [again, last] = await handle.db
      .insert(mailOutbox)
      .values([
        {
          to: 'again@example.com',
          subject: 'Again',
          text: 'a',
          html: 'a',
          status: 'sending',
          attempts: 3,
          nextAttemptAt: lost,
        },
        {
          to: 'last@example.com',
          subject: 'Last',
          text: 'l',
          html: 'l',
          status: 'sending',
          attempts: 8,
          nextAttemptAt: lost,
        },
      ])
      .returning();
    const outbox = outboxOn(handle.db);
    try {
      await outbox.drain();
      expect((await smtp.next('again@example.com')).subject).toBe('Again');
      const rows = await handle.db
        .select()
        .from(mailOutbox)
        .where(inArray(mailOutbox.id, [again?.id ?? '', last?.id ?? '']));
      const byTo = Object.fromEntries(rows.map((row) => [row.to, row]));
      expect(byTo['again@example.com']).toMatchObject({ status: 'sent', attempts: 4 });
      expect(byTo['last@example.com']).toMatchObject({
        status: 'failed',
        attempts: 9,
        text: null,
        html: null,
        lastError: 'still sending when its process stopped',
      });
      expect(smtp.has('last@example.com')).toBe(false);
    } finally {
      outbox.close();
    }
  });
});
