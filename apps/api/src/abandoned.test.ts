import { connect } from 'node:net';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashingSlots, type HashingSlots } from './auth/hashing-slots.ts';
import { createPasswordHasher } from './auth/password-hasher.ts';
import { databases } from './test/databases.ts';
import { apiClient, listen } from './test/http.ts';
import { testServer } from './test/server.ts';

const [pglite] = databases;
if (!pglite) throw new Error('no test database');

/** One slot, counting the hashes that actually start. */
function countingSlots() {
  const inner = createHashingSlots({ max: 1, whenBusy: 1, isBusy: () => false });
  const slots: HashingSlots & { asked: number; started: number } = {
    asked: 0,
    started: 0,
    run: (hash, signal) => {
      slots.asked += 1;
      return inner.run(() => {
        slots.started += 1;
        return hash();
      }, signal);
    },
  };
  return slots;
}

// Regression: 100 logins sent and closed at once made the next honest login wait for
// 100 bcrypt checks nobody would read.
describe('requests whose client went away', () => {
  let handle: TestDb;
  const slots = countingSlots();
  let base: string;
  beforeAll(async () => {
    handle = await pglite.create();
    // A real cost, so that hashes queue behind each other as they do in production.
    const hasher = createPasswordHasher({ cost: 10, slots });
    await hasher.warmUp();
    const server = testServer(handle, { services: { hasher } });
    base = await listen(server);
  });
  afterAll(() => handle?.drop());

  it('start no password check once the client has left', async () => {
    const { port } = new URL(base);
    const body = JSON.stringify({ username: 'nobody_here', password: 'a guess at least' });
    slots.asked = 0;
    slots.started = 0;
    await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<void>((resolve, reject) => {
            const socket = connect(Number(port), '127.0.0.1', () => {
              socket.end(
                `POST /trpc/auth.login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
                  `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
                () => {
                  socket.destroy();
                  resolve();
                },
              );
            });
            socket.on('error', reject);
          }),
      ),
    );
    // An honest login queues behind whatever was started for the others.
    const honest = await apiClient(base).mutate('auth.login', {
      username: 'nobody_here',
      password: 'a guess at least',
    });
    expect(honest.status).toBe(400);
    // Every request got as far as asking for a check…
    expect(slots.asked).toBe(21);
    // …and only the honest one, and the few asked before their client's close was seen, ran.
    expect(slots.started).toBeLessThanOrEqual(4);
  });
});
