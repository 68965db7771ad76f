import { request } from 'node:http';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, testConfig, uniqueUsername } from '../test/databases.ts';
import { apiClient, listen } from '../test/http.ts';
import { testServer } from '../test/server.ts';

describe('GET /api/dev/outbox', () => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await (databases[0] as (typeof databases)[number]).create();
  });
  afterAll(() => handle?.drop());

  it('shows the mail kept for want of SMTP, links included, in development', async () => {
    const server = testServer(handle);
    try {
      const api = apiClient(await listen(server));
      const username = uniqueUsername('outbox');
      await api.mutate('auth.signup', {
        username,
        password: 'correct horse battery',
        email: `${username}@example.com`,
      });
      const res = await fetch(`${api.base}/api/dev/outbox`);
      const kept = (await res.json()) as { to: string; text: string }[];
      const mail = kept.find((m) => m.to === `${username}@example.com`);
      expect(mail?.text).toMatch(/\/verify-email\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}/);
      // Not through a proxy: it would serve it to the network.
      const proxied = await fetch(`${api.base}/api/dev/outbox`, {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(proxied.status).toBe(404);
      // Nor to a page whose DNS name was rebound to this machine.
      const rebound = await new Promise<number>((resolve, reject) => {
        const url = new URL(`${api.base}/api/dev/outbox`);
        request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            headers: { host: 'evil.example' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
          .on('error', reject)
          .end();
      });
      expect(rebound).toBe(404);
    } finally {
      server.close();
    }
  });

  it.each([
    ['NODE_ENV=production', { NODE_ENV: 'production' }],
    ['SMTP_URL set', { SMTP_URL: 'smtp://127.0.0.1:9' }],
  ])('is not there with %s', async (_, environment) => {
    // No web app to serve here: the API alone (its build may not exist).
    const server = testServer(handle, {
      config: testConfig(environment),
      http: { webAppDir: undefined },
    });
    try {
      const base = await listen(server);
      expect((await fetch(`${base}/api/dev/outbox`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
