/**
 * Playwright's webServer command for the API: the real API and web app,
 * built and served as `pnpm build && pnpm start` serves them, on data of its own, so that the browser tests never write into the
 * database DATABASE_URL names (issue 10).
 *
 * With DATABASE_URL set, a new database `tokenauth_e2e_<random>` on that
 * server, without it a new PGlite directory; migrated, then the API starts on
 * it. Both are removed when the API stops: on the SIGTERM Playwright sends to
 * end the run (however the tests went), or when Playwright is gone without
 * sending one (our stdin, a pipe from Playwright, closes). A run killed
 * outright leaves at most an unused database, under a name no run reuses.
 *
 * Mail goes to a real SMTP server started here (mail-catcher.ts); the tests
 * read it over HTTP on MAIL_PORT.
 *
 * A command rather than globalSetup/globalTeardown: Playwright starts its
 * webServers before globalSetup runs, so the API's database must be made here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, type DbOptions, migrate } from '@tokenauth/db';
import { createThrowawayDatabase, DatabaseServerError } from '@tokenauth/db/testing';
import { startMailCatcher } from './mail-catcher.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const apiDir = join(repoRoot, 'apps/api');
// Empty means unset, as in the API's env.ts.
const adminUrl = process.env.DATABASE_URL || undefined;

/** Undone in reverse order when the run ends. */
const cleanups: Array<() => Promise<void>> = [];
let api: ChildProcess | undefined;
let stopping = false;

/** Makes the data, migrates it, builds the API and starts it on that data. */
async function start(): Promise<void> {
  let apiEnv: Record<string, string>;
  let dbOptions: DbOptions;
  if (adminUrl) {
    const database = await createThrowawayDatabase(adminUrl, 'tokenauth_e2e');
    cleanups.push(() => database.drop());
    apiEnv = { DATABASE_URL: database.url };
    dbOptions = { url: database.url, poolSize: 1 };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'tokenauth-e2e-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    apiEnv = { DATABASE_URL: '', PGLITE_DIR: dataDir };
    dbOptions = { dataDir };
  }
  // Mail goes through a real SMTP server, which the tests read over HTTP.
  const catcher = await startMailCatcher(Number(process.env.MAIL_PORT ?? 3102));
  cleanups.push(() => catcher.close());
  apiEnv.SMTP_URL = catcher.smtpUrl;
  const handle = await createDb(dbOptions);
  try {
    await migrate(handle);
  } finally {
    await handle.close();
  }

  // A second API of the same run reuses the first one's build, which it
  // must not replace under the first one's feet.
  if (!process.env.START_API_REUSE_BUILD) {
    const build = spawn(
      'pnpm',
      ['--filter', '@tokenauth/api', '--filter', '@tokenauth/web', 'build'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const [status] = await once(build, 'exit');
    if (status !== 0) throw new Error('the build of the API or the web app failed');
  }
  // The web app in JWT mode (VITE_AUTH_MODE=jwt), built beside the usual one, for this API alone.
  if (process.env.START_API_WEB_MODE === 'jwt') {
    const outDir = join(repoRoot, 'apps/web/dist-jwt');
    const build = spawn(
      'pnpm',
      ['--filter', '@tokenauth/web', 'exec', 'vite', 'build', '--outDir', outDir],
      {
        cwd: repoRoot,
        env: { ...process.env, VITE_AUTH_MODE: 'jwt' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const [status] = await once(build, 'exit');
    if (status !== 0) throw new Error('the build of the web app in JWT mode failed');
    apiEnv.WEB_DIST_DIR = outDir;
    // A signing key for this run only.
    apiEnv.JWT_PRIVATE_KEY = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
  }
  if (stopping) return;
  // As `pnpm --filter @tokenauth/api start` runs it (the bundle, its Node flags),
  // but as our own child, so that stop() can wait for it to close its
  // connections: pnpm exits on SIGTERM without waiting for the API. In a
  // process group of its own, so that only stop() signals it, once.
  const { scripts } = JSON.parse(readFileSync(join(apiDir, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const nodeFlags = scripts.start.split(' ').filter((word) => word.startsWith('--'));
  api = spawn(process.execPath, [...nodeFlags, 'dist/index.js'], {
    cwd: apiDir,
    env: { ...process.env, ...apiEnv, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  api.once('exit', (code) => void stop(code ?? 1));
}

/** Stops the API, if it runs, then removes its data; waits for start() not to leave any behind. */
async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await started.catch(() => {});
  if (api && api.exitCode === null && api.signalCode === null) {
    api.kill('SIGTERM');
    await once(api, 'exit');
  }
  for (const cleanup of cleanups.reverse()) await cleanup();
  process.exit(exitCode);
}

const started = start();
started.catch((error: unknown) => {
  // A server that cannot host the database is a setup problem: its one sentence, no stack.
  console.error(error instanceof DatabaseServerError ? error.message : error);
  void stop(1);
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => void stop(0));
}
process.stdin.once('end', () => void stop(0)).resume();
