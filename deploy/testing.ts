/**
 * deploy/nginx.conf, run for real by the tests (apps/api/src/proxy.test.ts,
 * e2e/start-nginx.ts): Debian's nginx with the file as written, but on
 * loopback ports of the test's, in front of the test's API, with a throwaway
 * self-signed certificate. Each line it changes must be in the file exactly
 * once, or it throws: a test never runs a configuration other than the one a
 * person copies.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** The configuration a person copies to /etc/nginx/conf.d/. */
export const NGINX_CONF_URL = new URL('./nginx.conf', import.meta.url);

/** Debian's nginx, where installed (CI installs nginx-light: .ci/run). */
export const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

export type NginxUnderTest = {
  /** The port-80 server: ACME challenges, and redirects to HTTPS. */
  httpUrl: string;
  /** The port-443 server, in front of the API. */
  httpsUrl: string;
  /** The throwaway certificate, in PEM, for clients to trust (node:https's `ca`). */
  ca: string;
  /** The directory the port-80 server answers /.well-known/acme-challenge/ from. */
  acmeDir: string;
  /** Settles when nginx exits, for whatever reason. */
  exited: Promise<void>;
  /** Stops nginx and removes its files. */
  stop(): Promise<void>;
};

/**
 * `conf` with each line whose directive is `from` replaced by the lines `to`
 * (none: removed), at the same indentation. Throws unless each `from` is on
 * exactly one line.
 */
export function replaceLines(conf: string, replacements: [from: string, to: string[]][]): string {
  const lines = conf.split('\n');
  for (const [from, to] of replacements) {
    const found = lines.flatMap((line, index) => (line.trim() === from ? [index] : []));
    const [index] = found;
    if (found.length !== 1 || index === undefined) {
      throw new Error(`deploy/nginx.conf: expected one line "${from}", found ${found.length}`);
    }
    const indent = /^\s*/.exec(lines[index] ?? '')?.[0] ?? '';
    lines.splice(index, 1, ...to.map((line) => indent + line));
  }
  return lines.join('\n');
}

/** Whether `host` can listen on `port` (0: any port); false where it is taken or unusable. */
async function canListen(host: string, port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, host);
    await once(server, 'listening');
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return false;
    throw error;
  } finally {
    server.close();
  }
}

/** A port free on 127.0.0.1, and on ::1 too when `ipv6`. */
async function freePort(ipv6: boolean): Promise<number> {
  for (;;) {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');
    if (!ipv6 || (await canListen('::1', port))) return port;
  }
}

/** Whether nginx answers on `url`, with anything. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Starts deploy/nginx.conf in front of `upstream` (the API's base URL) on
 * `httpPort` and `httpsPort` of 127.0.0.1 (free ones if not given), and of
 * ::1 where this machine has it; resolves once nginx answers.
 */
export async function startNginx(options: {
  upstream: string;
  httpPort?: number;
  httpsPort?: number;
}): Promise<NginxUnderTest> {
  const nginx = nginxBinary;
  if (!nginx) throw new Error('nginx is not installed (CI installs nginx-light: .ci/run)');
  const ipv6 = await canListen('::1', 0);
  const httpPort = options.httpPort ?? (await freePort(ipv6));
  const httpsPort = options.httpsPort ?? (await freePort(ipv6));
  const dir = mkdtempSync(join(tmpdir(), 'tokenauth-nginx-'));
  const path = (name: string) => `"${join(dir, name)}"`;
  let proxy: ChildProcess | undefined;
  try {
    // A certificate for the loopback names, trusted by nobody but the tests.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
        '-keyout',
        join(dir, 'privkey.pem'),
        '-out',
        join(dir, 'fullchain.pem'),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const acmeDir = join(dir, 'acme');
    mkdirSync(acmeDir);
    const listen = (port: number, flags: string) => [
      `listen 127.0.0.1:${port}${flags};`,
      ...(ipv6 ? [`listen [::1]:${port}${flags};`] : []),
    ];
    const site = replaceLines(readFileSync(NGINX_CONF_URL, 'utf8'), [
      ['server 127.0.0.1:3000;', [`server ${new URL(options.upstream).host};`]],
      ['listen 80;', listen(httpPort, '')],
      ['listen [::]:80;', []],
      ['listen 443 ssl http2;', listen(httpsPort, ' ssl http2')],
      ['listen [::]:443 ssl http2;', []],
      [
        'ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;',
        [`ssl_certificate ${path('fullchain.pem')};`],
      ],
      [
        'ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;',
        [`ssl_certificate_key ${path('privkey.pem')};`],
      ],
      ['root /var/www/letsencrypt;', [`root ${path('acme')};`]],
    ]);
    writeFileSync(join(dir, 'tokenauth.conf'), site);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (name) => `${name}_temp_path ${path(`${name}_temp`)};`,
    );
    // In the foreground, one process, its files in `dir`: a test's child.
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
master_process off;
pid ${path('nginx.pid')};
error_log stderr error;
events { worker_connections 256; }
http {
  # What Debian 12's /etc/nginx/nginx.conf sets around conf.d/*.conf, which
  # the file must override rather than repeat.
  ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
  ssl_prefer_server_ciphers on;
  gzip on;
  access_log off;
  ${temp.join('\n  ')}
  include ${path('tokenauth.conf')};
}
`,
    );
    const args = ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf')];
    // A mistake in the file fails here, with nginx's own message.
    execFileSync(nginx, ['-t', '-q', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    const child = spawn(nginx, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    proxy = child;
    const exited = once(child, 'exit').then(() => undefined);
    const httpUrl = `http://127.0.0.1:${httpPort}`;
    // nginx says nothing when it is ready: up once its port-80 server answers.
    for (let waited = 0; !(await answers(httpUrl)); waited += 50) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}) before answering`);
      }
      if (waited > 10_000) throw new Error(`nginx did not answer on ${httpUrl} within 10 s`);
      await delay(50);
    }
    return {
      httpUrl,
      httpsUrl: `https://127.0.0.1:${httpsPort}`,
      ca: readFileSync(join(dir, 'fullchain.pem'), 'utf8'),
      acmeDir,
      exited,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (proxy && proxy.exitCode === null && proxy.signalCode === null) {
      proxy.kill('SIGTERM');
      await once(proxy, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
