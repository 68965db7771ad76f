import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The JavaScript a first visit downloads — the entry module and the modules
 * it preloads, as index.html names them — gzipped, in bytes.
 */
export function initialJsGzipBytes(distDir: string): number {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const scripts = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((match) => match[1] ?? '');
  return scripts.reduce(
    (total, src) => total + gzipSync(readFileSync(join(distDir, src)), { level: 9 }).length,
    0,
  );
}
