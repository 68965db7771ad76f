/**
 * `pnpm bench --scale [--smoke]`: the cost of a request as the data grows.
 * The API, one process, on a database of 10⁶ users and 5·10⁶ tokens, side
 * by side with the same API on 20 users: `auth.me`, a login, a signup; the
 * size of every table and index; the hourly purge of 10⁶ expired tokens
 * while `auth.me` runs; and `rate_limits` after a flood of 10⁵ distinct
 * keys. Writes bench/results.scale.{json,md}; --smoke (10⁴ users, seconds
 * per case) writes bench/results.scale.smoke.* and judges no target.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { testDatabases } from '@tokenauth/db/testing';
import bcrypt from 'bcrypt';
import postgres from 'postgres';
import { alternate, type Load, load, loadWhile } from './load.ts';
import { startServer } from './processes.ts';
import { type ScaleResults, scaleTargets, scaleToMarkdown } from './scale-report.ts';
import { relationSizes, rowCounts, type ScaleShape, scaleToken, seedScale } from './scale-seed.ts';
import { adminUrlOrExit, apiNodeFlags, buildApps, noRateLimitsEnv, root, step } from './setup.ts';

const smoke = process.argv.includes('--smoke');
const adminUrl = adminUrlOrExit();
const large: ScaleShape = { users: smoke ? 10_000 : 1_000_000, tokensPerUser: 5 };
const small: ScaleShape = { users: 20, tokensPerUser: 5 };
const floodKeys = smoke ? 1_000 : 100_000;
const bcryptCost = Number(process.env.BCRYPT_COST || (smoke ? 4 : 12));
const threadpool = Math.max(4, availableParallelism());
const password = 'correct horse battery staple';
// A window short enough to end within the run, so the purge can be seen to empty the table.
const floodWindow = '3/2s';

buildApps();

step(
  `Seeding ${large.users.toLocaleString('en')} users and ${(large.users * large.tokensPerUser).toLocaleString('en')} tokens, and a database of ${small.users}`,
);
const server = testDatabases(adminUrl).find((d) => d.name === 'postgres');
if (!server) throw new Error('no PostgreSQL');
const [smallDb, largeDb] = [await server.create(), await server.create()];
const urlOf = (db: typeof smallDb) => db.url ?? '';
const apis: Array<{ stop(): Promise<unknown> }> = [];
const cleanup = async () => {
  await Promise.all(apis.map((api) => api.stop()));
  await Promise.all([smallDb.drop(), largeDb.drop()]);
};
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.once(event, (error) => {
    console.error(error);
    void cleanup().finally(() => process.exit(1));
  });
}
const passwordHash = await bcrypt.hash(password, bcryptCost);
const seedStarted = performance.now();
await seedScale(urlOf(smallDb), small, passwordHash);
await seedScale(urlOf(largeDb), large, passwordHash, (done) =>
  process.stdout.write(`\r  ${done.toLocaleString('en')} users`),
);
const seedSeconds = (performance.now() - seedStarted) / 1000;
console.log(`\n  seeded in ${seedSeconds.toFixed(0)} s`);

step('Starting the API (one process, production mode) on each database');
const apiEnv = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'warn',
  API_WORKERS: '1',
  DATABASE_POOL_SIZE: '10',
  UV_THREADPOOL_SIZE: String(threadpool),
  BCRYPT_COST: String(bcryptCost),
  // The seeded tokens were used minutes ago: no last-used write during the
  // run on either side, so `auth.me` compares lookups alone.
  TOKEN_TOUCH_INTERVAL: '1h',
  // The API purges at start-up too; the expired tokens (idle for 20 days)
  // are left for the purge measured below, which has the default 14 days.
  TOKEN_IDLE_TIMEOUT: '30d',
  ...noRateLimitsEnv,
  RATE_LIMIT_RECOVERY_PER_ADDRESS: floodWindow,
};
const start = async (url: string) => {
  const api = await startServer([...apiNodeFlags(), 'dist/index.js'], {
    cwd: `${root}apps/api`,
    // "API listening" is logged at info; the rest stays quiet.
    ready: 'API listening',
    env: { ...apiEnv, LOG_LEVEL: 'info', DATABASE_URL: url },
  });
  apis.push(api);
  return api;
};
const [smallApi, largeApi] = [await start(urlOf(smallDb)), await start(urlOf(largeDb))];

const json = { 'content-type': 'application/json' };
const pick = (n: number) => 1 + Math.floor(Math.random() * n);
/** `auth.me` with any live token of any user: the lookups spread over the whole index. */
const me = (port: number, shape: ScaleShape, seconds: number) => ({
  url: `http://127.0.0.1:${port}`,
  seconds,
  connections: 16,
  request: () => ({
    method: 'GET' as const,
    path: '/trpc/auth.me',
    headers: {
      authorization: `Token ${scaleToken(pick(shape.users), pick(shape.tokensPerUser - 1))}`,
    },
  }),
});
const login = (port: number, shape: ScaleShape, seconds: number) => ({
  url: `http://127.0.0.1:${port}`,
  seconds,
  connections: threadpool,
  request: () => ({
    method: 'POST' as const,
    path: '/trpc/auth.login',
    headers: json,
    body: JSON.stringify({ username: `scale_${pick(shape.users)}`, password }),
  }),
});
let nextSignup = 0;
const run = randomBytes(3).toString('hex');
const signup = (port: number, seconds: number) => ({
  ...login(port, small, seconds),
  request: () => ({
    method: 'POST' as const,
    path: '/trpc/auth.signup',
    headers: json,
    body: JSON.stringify({ username: `signup_${run}_${nextSignup++}`, password }),
  }),
});

step('Warming up');
await Promise.all([
  load(me(smallApi.port, small, 2)),
  load(me(largeApi.port, large, smoke ? 2 : 10)),
]);

const turns = smoke ? 2 : 10;
const meSeconds = smoke ? 2 : 20;
const hashSeconds = smoke ? 2 : 20;
step(`auth.me on each: ${meSeconds} s, in ${turns} alternating turns`);
const [meSmall, meLarge] = (await alternate(
  [me(smallApi.port, small, meSeconds), me(largeApi.port, large, meSeconds)],
  turns,
)) as [Load, Load];
step(`auth.login on each: ${hashSeconds} s, in ${turns} alternating turns`);
const [loginSmall, loginLarge] = (await alternate(
  [login(smallApi.port, small, hashSeconds), login(largeApi.port, large, hashSeconds)],
  turns,
)) as [Load, Load];
step(`auth.signup on each: ${hashSeconds} s, in ${turns} alternating turns`);
const [signupSmall, signupLarge] = (await alternate(
  [signup(smallApi.port, hashSeconds), signup(largeApi.port, hashSeconds)],
  turns,
)) as [Load, Load];

step('Table and index sizes');
const sizes = await relationSizes(urlOf(largeDb));
const rows = await rowCounts(urlOf(largeDb));

/** `pnpm -s cli purge`, as built: what the API runs hourly. Its counts and wall time. */
async function purge(
  url: string,
): Promise<{ tokens: number; rateLimits: number; seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/cli.js', 'purge'], {
    cwd: `${root}apps/api`,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const [code] = await once(child, 'exit');
  const counts = /^Purged (\d+) tokens?, .* (\d+) rate-limit counters?/.exec(out);
  if (code !== 0 || !counts) throw new Error(`purge failed (exit ${code}): ${out}`);
  return {
    tokens: Number(counts[1]),
    rateLimits: Number(counts[2]),
    seconds: (performance.now() - started) / 1000,
  };
}

const baselineSeconds = smoke ? 2 : 15;
step(`The purge of ${large.users.toLocaleString('en')} expired tokens, while auth.me runs`);
const before = await load(me(largeApi.port, large, baselineSeconds));
const purging = purge(urlOf(largeDb));
const during = await loadWhile(me(largeApi.port, large, 1), purging);
const tokenPurge = await purging;
if (tokenPurge.tokens < large.users) {
  throw new Error(`the purge deleted ${tokenPurge.tokens} tokens, not the ${large.users} expired`);
}

step(
  `A flood of ${floodKeys.toLocaleString('en')} "forgot password" requests, each for another address`,
);
const flood = await load({
  url: `http://127.0.0.1:${largeApi.port}`,
  seconds: 0,
  requests: floodKeys,
  connections: 16,
  request: () => ({
    method: 'POST' as const,
    path: '/trpc/recovery.requestPasswordReset',
    headers: json,
    body: JSON.stringify({ login: `flood_${run}_${nextSignup++}@example.com` }),
  }),
});
const afterFlood = await rowCounts(urlOf(largeDb));
const floodSizes = (await relationSizes(urlOf(largeDb))).filter((r) => r.table === 'rate_limits');
// Every window has ended a little after the flood's last request.
await new Promise((resolve) => setTimeout(resolve, 2500));
const sweep = await purge(urlOf(largeDb));
const afterSweep = await rowCounts(urlOf(largeDb));

await cleanup();

const partial: Omit<ScaleResults, 'targets'> = {
  date: new Date().toISOString(),
  mode: smoke ? 'smoke' : 'full',
  machine: {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    postgres: await serverVersion(adminUrl),
    bcryptCost,
  },
  shapes: { small, large },
  seedSeconds,
  meTurns: { seconds: meSeconds, turns },
  cases: { meSmall, meLarge, loginSmall, loginLarge, signupSmall, signupLarge },
  rows,
  sizes,
  purge: { tokens: tokenPurge.tokens, seconds: tokenPurge.seconds, before, during },
  flood: {
    keys: floodKeys,
    window: floodWindow,
    requestsPerSecond: flood.requestsPerSecond,
    failures: flood.failures,
    rowsAfterFlood: afterFlood.rate_limits ?? 0,
    bytesAfterFlood: floodSizes.reduce((sum, r) => sum + r.bytes, 0),
    swept: sweep.rateLimits,
    sweepSeconds: sweep.seconds,
    rowsAfterSweep: afterSweep.rate_limits ?? 0,
  },
};
const results: ScaleResults = { ...partial, targets: scaleTargets(partial) };
const markdown = scaleToMarkdown(results);
const base = `${root}bench/results.scale${smoke ? '.smoke' : ''}`;
writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(`${base}.md`, markdown);
console.log(`\n${markdown}\nWritten to ${base}.json and ${base}.md`);

const loads = { ...results.cases, meBeforePurge: before, meDuringPurge: during, flood };
const failed = Object.entries(loads).filter(([, c]) => c.failures > 0 || c.requests === 0);
if (failed.length > 0) {
  console.error(`Requests failed in: ${failed.map(([name]) => name).join(', ')}`);
  process.exit(1);
}
if (!smoke && results.targets.some((t) => !t.pass)) {
  console.error('Some targets were missed (see MISS above).');
  process.exit(1);
}

async function serverVersion(url: string): Promise<string> {
  const sql = postgres(url, { max: 1 });
  try {
    const [row] = await sql<[{ server_version: string }]>`show server_version`;
    return row.server_version;
  } finally {
    await sql.end();
  }
}
