import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { messages } from '../messages.ts';
import { HttpError } from './exchange.ts';
import { type Face, plainRefusal } from './pipeline.ts';
import { type StaticAsset, sendAsset, staticAsset, withHeader } from './static-asset.ts';

/**
 * The web app's policy: its scripts, styles, images and calls from this
 * origin only, no inline script or style, no plugin, no framing. A script
 * injected into the page (XSS), the one way to the token in localStorage,
 * has nowhere to load from and nowhere to send it (README "Security").
 */
export const APP_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of the app's page, on top of the pipeline's. */
const PAGE_HEADERS: [string, string][] = [
  ['content-security-policy', APP_POLICY],
  // Always asked again: a deploy is seen at once.
  ['cache-control', 'no-cache'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** Vite names what it builds `<name>-<8-character hash>.<ext>` under assets/: safe to keep for a year. */
const HASHED = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

/**
 * Paths that are never a page of the app: the API's own (a mistyped call
 * should get a 404, not HTML), and dotfiles (`/.env`, `/.git/…`).
 */
const NOT_THE_APP = /^\/(?:api|trpc|health|api-token-auth)(?:\/|$)|\/\./;

/** Every file of the build, by its URL path, read and compressed once. */
function loadBuild(dir: string): Map<string, StaticAsset> {
  const files = new Map<string, StaticAsset>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const path = `/${relative(dir, file).split(sep).join('/')}`;
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    files.set(path, staticAsset(type, readFileSync(file)));
  }
  return files;
}

/**
 * The built web app (`pnpm build`), from `dir`: its files as built, hashed
 * ones cached for good, and `index.html` for `/` and for any other path
 * that names no file (the app's own routes: /login, /settings…).
 */
export function webAppFace(dir: string): Face {
  const files = loadBuild(dir);
  const page = files.get('/index.html');
  if (!page) throw new Error(`${dir} has no index.html: run pnpm build`);
  return {
    async handle(ex) {
      if (ex.req.method !== 'GET' && ex.req.method !== 'HEAD') {
        throw new HttpError(404, messages.notFound);
      }
      const file = ex.path === '/' ? undefined : files.get(ex.path);
      if (file && ex.path !== '/index.html') {
        const cache = HASHED.test(ex.path) ? 'public, max-age=31536000, immutable' : 'no-cache';
        sendAsset(ex, file, withHeader(ex.headers, 'cache-control', cache));
        return;
      }
      // A path with an extension names a file, which is not there.
      if (!file && ex.path !== '/' && (extname(ex.path) !== '' || NOT_THE_APP.test(ex.path))) {
        throw new HttpError(404, messages.notFound);
      }
      let headers = ex.headers;
      for (const [name, value] of PAGE_HEADERS) headers = withHeader(headers, name, value);
      sendAsset(ex, page, headers);
    },
    refuse: plainRefusal,
  };
}
