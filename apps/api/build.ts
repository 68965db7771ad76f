/**
 * `pnpm build`: the API as plain JavaScript in dist/ (index, migrate, cli),
 * for `pnpm start`. The workspace's own TypeScript (`@tokenauth/db`) is
 * bundled in; npm dependencies stay imports from node_modules. See ADR 0002.
 */
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const dependencies = (path: string) =>
  Object.keys(
    (JSON.parse(readFileSync(path, 'utf8')) as { dependencies?: object }).dependencies ?? {},
  );
const external = [
  ...dependencies('package.json'),
  ...dependencies('../../packages/db/package.json'),
].filter((name) => !name.startsWith('@tokenauth/'));

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/index.ts', 'src/migrate.ts', 'src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true, // the three entries share one copy of the code
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: true,
  logLevel: 'warning',
});
