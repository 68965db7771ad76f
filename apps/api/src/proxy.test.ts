import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_POLICY } from './http/web-app-face.ts';
import { createRateLimits } from './rate-limit.ts';
import { config, databases, testConfig, uniqueUsername } from './test/databases.ts';
import { listen } from './test/http.ts';
import { testServer } from './test/server.ts';

const [pglite] = databases;
if (!pglite) throw new Error('no test database');

/** Debian's nginx, where installed (CI installs it: .ci/run). */
const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

/** The nginx block the README's deploy section gives, exactly. */
function readmeNginxBlock(): string {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no nginx block');
  return block;
}

async function freePort(): Promise<number> {
  const server = createNetServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

type Reply = { status: number; body: { result?: { data?: unknown } } };

/** A JSON request from `from`, one of loopback's many addresses, as a separate client. */
function send(
  port: number,
  from: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress: from,
        path,
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

// Regression: with the README's nginx example and TRUST_PROXY=1, a client chose its own
// address through X-Forwarded-For, and clients that sent none all shared nginx's.
// Skipped only where nginx is not installed and this is not CI, which installs it.
describe.skipIf(!nginx && !process.env.CI)('the API behind the README’s nginx', () => {
  let handle: TestDb;
  let dir: string;
  let proxy: ChildProcess;
  let port: number;
  const password = 'correct horse battery';

  beforeAll(async () => {
    handle = await pglite.create();
    const limits = {
      ...config.rateLimits,
      passwordFailuresPerIp: { points: 3, durationMs: 60_000 },
    };
    dir = mkdtempSync(join(tmpdir(), 'tokenauth-nginx-'));
    // The API serves the web app, as `pnpm start` does.
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web/index.html'), '<!doctype html><title>app</title>');
    const api = await listen(
      testServer(handle, {
        config: testConfig({ TRUST_PROXY: '1' }),
        http: { webAppDir: join(dir, 'web') },
        services: { limits: createRateLimits(limits, handle) },
      }),
    );
    port = await freePort();
    const site = readmeNginxBlock().replace('http://127.0.0.1:3000', api);
    const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off; master_process off; pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')};
events { worker_connections 64; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  server {
    listen 127.0.0.1:${port};
${site}
  }
}
`,
    );
    if (!nginx) throw new Error('nginx is not installed (CI installs nginx-light)');
    execFileSync(nginx, ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf')]);
    proxy = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
    // Up once it answers: nginx says nothing when it is ready.
    await vi.waitFor(
      async () => {
        const up = await send(port, '127.0.0.1', '/trpc/auth.passwordPolicy');
        if (up.status !== 200) throw new Error(`nginx answered ${up.status}`);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
  afterAll(async () => {
    proxy?.kill('SIGQUIT');
    if (proxy) await once(proxy, 'exit');
    rmSync(dir, { recursive: true, force: true });
    await handle?.drop();
  });

  it('passes everything to the API, which serves the app too, and weakens none of its headers', async () => {
    const text = async (path: string, init?: RequestInit) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
      return `${res.status} ${(await res.text()).slice(0, 40)}`;
    };
    expect(await text('/api/v1/users/me/')).toMatch(/^401 \{"detail":"Authentication/);
    const empty = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
    expect(await text('/api-token-auth/', empty)).toMatch(/^400 \{"username":/);
    expect(await text('/api-token-auth', empty)).toMatch(/^400 \{"username":/);
    expect(await text('/api/docs')).toMatch(/^200 <!doctype html>/);
    expect(await text('/api-token-authx')).toBe('200 <!doctype html><title>app</title>');
    expect(await text('/dashboard')).toBe('200 <!doctype html><title>app</title>');
    const page = await fetch(`http://127.0.0.1:${port}/settings`);
    expect(page.headers.get('content-security-policy')).toBe(APP_POLICY);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    // nginx, without its version.
    expect(page.headers.get('server')).toBe('nginx');
  });

  it('records the address nginx saw, whatever X-Forwarded-For the client sends', async () => {
    const signup = await send(
      port,
      '127.0.0.2',
      '/trpc/auth.signup',
      { username: uniqueUsername('proxied'), password },
      { 'x-forwarded-for': '6.6.6.6' },
    );
    expect(signup.status).toBe(200);
    const token = (signup.body.result?.data as { token?: string } | undefined)?.token;
    const tokens = await send(port, '127.0.0.2', '/trpc/tokens.list', undefined, {
      authorization: `Token ${token}`,
      'x-forwarded-for': '7.7.7.7',
    });
    expect(tokens.body.result?.data).toMatchObject([{ ip: '127.0.0.2' }]);
  });

  it('limits two clients apart, however one of them forges its address', async () => {
    const guess = () => ({ username: uniqueUsername('nobody'), password: 'wrong guess' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const forged = { 'x-forwarded-for': `198.51.100.${i}` };
      statuses.push((await send(port, '127.0.0.3', '/trpc/auth.login', guess(), forged)).status);
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    // Another client, through the same nginx, is not the first one.
    expect((await send(port, '127.0.0.4', '/trpc/auth.login', guess())).status).toBe(400);
  });
});
