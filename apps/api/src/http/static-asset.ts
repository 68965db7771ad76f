import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Exchange } from './exchange.ts';

/** A file served from memory, compressed once (if it compresses) and tagged by its content. */
export type StaticAsset = { type: string; body: Buffer; gzipped: Buffer | undefined; etag: string };

/** Text compresses; images and fonts other than SVG already are. */
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|manifest\+json)|image\/svg\+xml)/;

export function staticAsset(type: string, body: Buffer | string): StaticAsset {
  const buffer = Buffer.from(body);
  return {
    type,
    body: buffer,
    gzipped: COMPRESSIBLE.test(type) ? gzipSync(buffer, { level: 9 }) : undefined,
    etag: `"${createHash('sha256').update(buffer).digest('base64url').slice(0, 27)}"`,
  };
}

/** The exchange's headers, with `name` set to `value` instead of what the pipeline put. */
export function withHeader(headers: string[], name: string, value: string): string[] {
  const at = headers.indexOf(name);
  return at % 2 === 0 ? headers.toSpliced(at + 1, 1, value) : headers.concat(name, value);
}

/** Whether the client takes gzip ("gzip;q=0" is a refusal). */
const takesGzip = (ex: Exchange) =>
  /(?:^|,)\s*gzip\s*(?:,|$|;\s*q=(?!0(?:\.0*)?\s*(?:,|$)))/i.test(
    ex.req.headers['accept-encoding'] ?? '',
  );

/**
 * Sends an asset with `headers` (the exchange's, as the face set them):
 * gzipped when the client takes it, or 304 when the client has it already.
 */
export function sendAsset(ex: Exchange, asset: StaticAsset, headers: string[]): void {
  const all = headers.concat('etag', asset.etag, 'vary', 'accept-encoding');
  const known = ex.req.headers['if-none-match'];
  if (known?.split(/\s*,\s*/).some((tag) => tag.replace(/^W\//, '') === asset.etag)) {
    ex.res.writeHead(304, all);
    ex.res.end();
    return;
  }
  const gzip = asset.gzipped !== undefined && takesGzip(ex);
  const sent = gzip && asset.gzipped ? asset.gzipped : asset.body;
  all.push('content-type', asset.type, 'content-length', String(sent.length));
  if (gzip) all.push('content-encoding', 'gzip');
  ex.res.writeHead(200, all);
  ex.res.end(ex.req.method === 'HEAD' ? undefined : sent);
}
