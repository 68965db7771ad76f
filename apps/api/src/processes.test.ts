import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrate } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messages } from './messages.ts';
import { type ApiProcess, startApiProcess } from './test/api-process.ts';
import { databases, uniqueUsername } from './test/databases.ts';
import { apiClient } from './test/http.ts';

const password = 'correct horse battery';
const running: ApiProcess[] = [];

afterEach(async () => {
  for (const api of running.splice(0)) {
    api.child.kill('SIGKILL');
    await api.exited;
  }
});

/** Resolves to the error code of a fresh connection attempt, or "connected". */
function tryConnect(base: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(`${base}/health`, (res) => {
      res.resume();
      resolve('connected');
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end();
  });
}

describe('SIGTERM', () => {
  it('stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'sigterm-')), 'db');
    const db = await createDb({ dataDir });
    await migrate(db);
    await db.close();
    // A high bcrypt cost keeps a login in flight for a while; trace logs say when it arrived.
    const api = await startApiProcess({
      PGLITE_DIR: dataDir,
      DATABASE_URL: '',
      BCRYPT_COST: '13',
      LOG_LEVEL: 'trace',
    });
    running.push(api);
    const client = apiClient(api.base);
    const username = uniqueUsername();
    expect((await client.mutate('auth.signup', { username, password })).status).toBe(200);

    const received = api.logs.filter((entry) => entry.msg === 'request received').length;
    const inFlight = client.mutate('auth.login', { username, password });
    await api.logged('request received', received + 1);
    api.child.kill('SIGTERM');
    await api.logged('no new connections');
    // Regression: a second signal (Ctrl-C from the terminal, then from the
    // primary of API_WORKERS) killed the process mid-drain.
    api.child.kill('SIGTERM');

    expect(await tryConnect(api.base)).toBe('ECONNREFUSED');
    const login = await inFlight;
    expect(login.status).toBe(200);
    expect(login.body.result?.data?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await api.exited).toBe(0);
    expect(api.logs.map((entry) => entry.msg)).toContain('stopped');
  });
});

const postgres = databases.find((d) => d.name === 'postgres');

describe.runIf(postgres)('two API processes on one PostgreSQL', () => {
  let database: TestDb;
  beforeAll(async () => {
    database = await (postgres as NonNullable<typeof postgres>).create();
  });
  afterAll(() => database?.drop());

  it('share tokens, revocations and rate limits', async () => {
    const env = {
      DATABASE_URL: database.url,
      BCRYPT_COST: '4',
      RATE_LIMIT_PASSWORD_FAILURES_PER_USERNAME: '4/15m',
    };
    const [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    if (!a || !b) throw new Error('an API did not start');
    running.push(a, b);
    const viaA = apiClient(a.base);
    const viaB = apiClient(b.base);

    const username = uniqueUsername();
    await viaA.mutate('auth.signup', { username, password });
    const login = await viaA.mutate('auth.login', { username, password });
    const auth = { authorization: `Token ${login.body.result?.data?.token}` };
    expect((await viaB.query('auth.me', auth)).status).toBe(200);
    expect((await viaB.mutate('auth.logout', {}, auth)).status).toBe(200);
    const afterLogout = await viaA.query('auth.me', auth);
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body.error?.message).toBe(messages.invalidToken);

    // Two failures through each process spend the one limit of 4.
    for (const client of [viaA, viaB, viaA, viaB]) {
      const res = await client.mutate('auth.login', { username, password: 'wrong guess' });
      expect(res.status).toBe(400);
    }
    for (const client of [viaA, viaB]) {
      const refused = await client.mutate('auth.login', { username, password });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});

describe.runIf(postgres)('API_WORKERS', () => {
  let database: TestDb;
  beforeAll(async () => {
    database = await (postgres as NonNullable<typeof postgres>).create();
  });
  afterAll(() => database?.drop());

  it('runs workers on one port, replaces one that dies, and drains them all on SIGTERM', async () => {
    const api = await startApiProcess({ DATABASE_URL: database.url, API_WORKERS: '2' });
    running.push(api);
    await api.logged('API listening', 2);
    const pids = () =>
      api.logs.filter((entry) => entry.msg?.includes('API listening')).map((e) => e.pid as number);
    const [first, second] = pids();
    expect(first).not.toBe(second);
    expect(api.logs).toContainEqual(
      expect.objectContaining({
        msg: 'started 2 API workers',
        workers: 2,
        threadsPerWorker: Math.max(1, Math.floor(availableParallelism() / 2)),
      }),
    );
    const client = apiClient(api.base);
    const username = uniqueUsername('worker');
    expect((await client.mutate('auth.signup', { username, password })).status).toBe(200);

    process.kill(first ?? 0, 'SIGKILL');
    await api.logged('worker died; starting another');
    await api.logged('API listening', 3);
    expect((await client.mutate('auth.login', { username, password })).status).toBe(200);

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.logs.filter((entry) => entry.msg === 'stopped')).toHaveLength(2);
    expect(api.logs.at(-1)?.msg).toBe('every worker stopped');
  });
});
