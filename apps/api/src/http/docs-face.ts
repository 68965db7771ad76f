import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { messages } from '../messages.ts';
import { type Exchange, HttpError, sendJson } from './exchange.ts';
import type { Face } from './pipeline.ts';
import { type StaticAsset, sendAsset, staticAsset, withHeader } from './static-asset.ts';

/**
 * The docs page's own policy: Swagger UI's scripts from this origin only
 * (no inline script), its inline styles, and calls to this API.
 */
const DOCS_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page; Swagger UI's files are named with its version, so a day's caching never serves old ones. */
const page = (version: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tokenauth API</title>
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/swagger-ui.css?v=${version}">
</head>
<body>
<main id="docs"></main>
<script src="/api/docs/swagger-ui-bundle.js?v=${version}"></script>
<script src="/api/docs/docs.js"></script>
</body>
</html>
`;

/** Swagger UI's start, as a file so that the policy needs no inline script. */
const START = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#docs',
  deepLinking: true,
  displayRequestDuration: true,
});
`;

/** The page, its start and the Swagger UI files it loads, read and compressed once. */
function loadAssets(): Map<string, StaticAsset> {
  const swagger = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const file = (name: string) => readFileSync(join(swagger, name));
  const { version } = JSON.parse(file('package.json').toString()) as { version: string };
  return new Map([
    ['/api/docs', staticAsset('text/html; charset=utf-8', page(version))],
    ['/api/docs/docs.js', staticAsset('text/javascript; charset=utf-8', START)],
    [
      '/api/docs/swagger-ui-bundle.js',
      staticAsset('text/javascript; charset=utf-8', file('swagger-ui-bundle.js')),
    ],
    ['/api/docs/swagger-ui.css', staticAsset('text/css; charset=utf-8', file('swagger-ui.css'))],
    ['/api/docs/favicon-32x32.png', staticAsset('image/png', file('favicon-32x32.png'))],
  ]);
}

/** An asset under the docs page's policy; Swagger UI's files may be kept a day. */
function sendDocsAsset(ex: Exchange, found: StaticAsset, cacheable: boolean): void {
  let headers = withHeader(ex.headers, 'content-security-policy', DOCS_POLICY);
  if (cacheable) headers = withHeader(headers, 'cache-control', 'public, max-age=86400');
  sendAsset(ex, found, headers);
}

/**
 * `GET /api/openapi.json` (the document, made once, when first asked for)
 * and `GET /api/docs` (Swagger UI on it, served from this origin, no CDN).
 */
export function docsFace(document: () => unknown): Face {
  let assets: Map<string, StaticAsset> | undefined;
  let json: StaticAsset | undefined;
  return {
    async handle(ex) {
      if (ex.req.method !== 'GET' && ex.req.method !== 'HEAD') {
        throw new HttpError(404, messages.notFound);
      }
      if (ex.path === '/api/openapi.json') {
        json ??= staticAsset('application/json', JSON.stringify(document()));
        sendDocsAsset(ex, json, false);
        return;
      }
      assets ??= loadAssets();
      const path = ex.path.endsWith('/') ? ex.path.slice(0, -1) : ex.path;
      const found = assets.get(path);
      if (!found) throw new HttpError(404, messages.notFound);
      sendDocsAsset(ex, found, path !== '/api/docs');
    },
    // Under /api/, in the REST face's shape.
    refuse: (ex, error) => sendJson(ex, error.status, { detail: error.message }, error.headers),
  };
}
