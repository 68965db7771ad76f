import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDb } from '@tokenauth/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases } from '../test/databases.ts';
import { listen } from '../test/http.ts';
import { testServer } from '../test/server.ts';
import { APP_POLICY } from './web-app-face.ts';

const PAGE =
  '<!doctype html><title>app</title><script type="module" src="/assets/index-AbC123xy.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;

/** A build as Vite lays it out. */
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), PAGE);
  writeFileSync(join(dir, 'assets', 'index-AbC123xy.js'), SCRIPT);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

const [pglite] = databases;

describe('the web app, served by the API in production', () => {
  let handle: TestDb;
  let server: Server;
  let base: string;
  let dir: string;
  beforeAll(async () => {
    if (!pglite) throw new Error('no database');
    handle = await pglite.create();
    dir = fakeBuild();
    server = testServer(handle, { http: { webAppDir: dir, hstsMaxAgeSeconds: 31_536_000 } });
    base = await listen(server);
  });
  afterAll(async () => {
    server?.close();
    await handle?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page at / and at every route of the app, under a strict policy', async () => {
    for (const path of [
      '/',
      '/login',
      '/settings',
      '/reset-password/5d1c/Dpc9uVgz',
      '/index.html',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(PAGE);
      expect(Object.fromEntries(res.headers)).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': APP_POLICY,
        'cache-control': 'no-cache',
        'cross-origin-opener-policy': 'same-origin',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000',
      });
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
    }
    expect(APP_POLICY).not.toContain('unsafe');
  });

  it('keeps hashed files for a year, others only until changed', async () => {
    const script = await fetch(`${base}/assets/index-AbC123xy.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toBe(SCRIPT);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 304 to a client that has the file already', async () => {
    const first = await fetch(`${base}/settings`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await fetch(`${base}/settings`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-security-policy')).toBe(APP_POLICY);
    expect(await again.text()).toBe('');
    const changed = await fetch(`${base}/settings`, { headers: { 'if-none-match': '"old"' } });
    expect(changed.status).toBe(200);
  });

  it('compresses for clients that take gzip, and answers HEAD without a body', async () => {
    const res = await fetch(`${base}/assets/index-AbC123xy.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(Number(res.headers.get('content-length'))).toBeLessThan(SCRIPT.length / 4);
    expect(await res.text()).toBe(SCRIPT); // fetch decompresses
    const head = await fetch(`${base}/login`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 404 for a file that is not there and for other methods; the API is unchanged', async () => {
    for (const path of [
      '/assets/index-Missing1.js',
      '/robots.txt',
      '/..%2fpackage.json',
      // Never a page of the app: the API's paths, mistyped, and dotfiles.
      '/api',
      '/trpc',
      '/health/',
      '/api-token-auth/x',
      '/.env',
      '/.git/config',
    ]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${base}/login`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/trpc/auth.me`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/users/me/`)).status).toBe(401);
    const unknown = await fetch(`${base}/api/nothing/`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('pnpm start without a build', () => {
  it('refuses to start, in one sentence', () => {
    const apiDir = fileURLToPath(new URL('../..', import.meta.url));
    const missing = join(tmpdir(), 'no-such-build');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: apiDir,
      env: { ...process.env, NODE_ENV: 'production', WEB_DIST_DIR: missing, PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `No web app build in ${missing}: run \`pnpm build\` first (or set WEB_DIST_DIR).\n`,
    );
  });
});
