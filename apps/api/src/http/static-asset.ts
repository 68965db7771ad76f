import { gzipSync } from 'node:zlib';
import type { Exchange } from './exchange.ts';

/** A file served from memory, compressed once. */
export type StaticAsset = { type: string; body: Buffer; gzipped: Buffer };

export function staticAsset(type: string, body: Buffer | string): StaticAsset {
  const buffer = Buffer.from(body);
  return { type, body: buffer, gzipped: gzipSync(buffer, { level: 9 }) };
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
 * Sends an asset, gzipped when the client takes it, with `headers` (the
 * exchange's, as the face set them).
 */
export function sendAsset(ex: Exchange, asset: StaticAsset, headers: string[]): void {
  const gzip = takesGzip(ex);
  const sent = gzip ? asset.gzipped : asset.body;
  const all = headers.concat('content-type', asset.type, 'content-length', String(sent.length));
  all.push('vary', 'accept-encoding');
  if (gzip) all.push('content-encoding', 'gzip');
  ex.res.writeHead(200, all);
  ex.res.end(ex.req.method === 'HEAD' ? undefined : sent);
}
