import type { Server } from 'node:http';
import { createDb, type Db } from '@tokenauth/db';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from './messages.ts';
import { databases, uniqueUsername } from './test/databases.ts';
import { apiClient, listen } from './test/http.ts';
import { testServer } from './test/server.ts';
import { startTcpProxy } from './test/tcp-proxy.ts';

const postgres = databases.find((d) => d.name === 'postgres');

// PGlite runs inside the process and cannot go away; see logging.test.ts for a closed one.
describe.runIf(postgres)('when PostgreSQL goes away and comes back', () => {
  let database: TestDb;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let handle: Db;
  let server: Server;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    database = await (postgres as NonNullable<typeof postgres>).create();
    const direct = new URL(database.url ?? '');
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);
    handle = await createDb({ url: viaProxy.toString(), poolSize: 4, connectTimeoutSeconds: 2 });
    server = testServer(handle);
    api = apiClient(await listen(server));
  });
  afterAll(async () => {
    server?.close();
    await handle?.close();
    await database?.drop();
  });

  it('answers 503 quickly while it is down, and serves again without a restart', async () => {
    const signup = await api.mutate('auth.signup', {
      username: uniqueUsername(),
      password: 'correct horse battery',
    });
    const auth = { authorization: `Token ${signup.body.result?.data?.token}` };
    expect((await api.query('auth.me', auth)).status).toBe(200);

    await proxy.down();
    const started = performance.now();
    const me = await api.query('auth.me', auth);
    const login = await api.mutate('auth.login', { username: 'x', password: 'y' });
    const health = await fetch(`${api.base}/health`);
    const elapsed = performance.now() - started;
    expect(me.status).toBe(503);
    expect(me.body.error?.message).toBe(messages.databaseUnavailable);
    expect(login.status).toBe(503);
    expect(health.status).toBe(503);
    expect(elapsed).toBeLessThan(5000); // no hanging: well inside the 2 s connect timeout each

    await proxy.up();
    const back = performance.now();
    let status = 0;
    while (status !== 200 && performance.now() - back < 10_000) {
      status = (await api.query('auth.me', auth)).status;
    }
    const recovery = performance.now() - back;
    expect(status).toBe(200);
    expect((await fetch(`${api.base}/health`)).status).toBe(200);
    console.log(
      `outage: 3 requests answered 503 in ${elapsed.toFixed(0)} ms; served again ${recovery.toFixed(0)} ms after the database came back`,
    );
  });
});
