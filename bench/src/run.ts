/**
 * `pnpm bench [--smoke] [--profile]`: the API in production mode against
 * PostgreSQL, under load from autocannon, next to the references it should
 * come close to. Writes bench/results.{json,md} (bench/results.smoke.* for
 * --smoke). --profile runs the API under `node --cpu-prof`, writes its
 * profile to bench/profiles/ and its numbers to bench/results.profile.*, and
 * judges no target: the profiler slows the API down.
 */
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { tokens, users } from '@tokenauth/db';
import { createThrowawayDatabase, testDatabases } from '@tokenauth/db/testing';
import bcrypt from 'bcrypt';
import { answerTimes } from './answer-times.ts';
import { DJANGO_ITERATIONS, djangoPbkdf2, seedDjangoSite, timeImport } from './django-import.ts';
import { alternate, type Load, load } from './load.ts';
import { peakRss, startServer } from './processes.ts';
import { type Results, targetsOf, toMarkdown } from './report.ts';
import { adminUrlOrExit, apiNodeFlags, buildApps, noRateLimitsEnv, root, step } from './setup.ts';
import { initialJsGzipBytes } from './web-size.ts';

const smoke = process.argv.includes('--smoke');
const profile = process.argv.includes('--profile');
const adminUrl = adminUrlOrExit();
// The smoke run only proves the benchmark works: bcrypt's minimum cost keeps it to seconds.
const bcryptCost = Number(process.env.BCRYPT_COST || (smoke ? 4 : 12));
const threadpool = Number(process.env.UV_THREADPOOL_SIZE || Math.max(4, availableParallelism()));
const seconds = smoke ? 1 : 10;
const password = 'correct horse battery staple';

buildApps();
const webInitialJsGzipBytes = initialJsGzipBytes(`${root}apps/web/dist`);

step('Creating a database of its own, with users and tokens');
const postgres = testDatabases(adminUrl).find((d) => d.name === 'postgres');
if (!postgres) throw new Error('no PostgreSQL');
const database = await postgres.create();
const loginUser = `bench_login_${randomBytes(3).toString('hex')}`;
const passwordHash = await bcrypt.hash(password, bcryptCost);
const seeded = await database.db
  .insert(users)
  .values(
    Array.from({ length: 20 }, (_, i) => {
      const username = i === 0 ? loginUser : `bench_me_${i}_${randomBytes(3).toString('hex')}`;
      const email = `${username}@example.com`;
      // Confirmed addresses: "forgot password" mails only those (recovery timing, below).
      return { username, usernameKey: username, passwordHash, email, emailVerifiedAt: new Date() };
    }),
  )
  .returning({ id: users.id, username: users.username });
// A user imported from Django, whose hash is Django's: a wrong password must
// cost as much as anyone's (login timing, below).
const djangoUser = `bench_django_${randomBytes(3).toString('hex')}`;
await database.db.insert(users).values({
  username: djangoUser,
  usernameKey: djangoUser,
  passwordHash: djangoPbkdf2(password),
});
const keys = seeded.map(() => randomBytes(32).toString('base64url'));
// Not the login user's: the logins measured below revoke its oldest tokens
// (TOKEN_LIMIT_PER_USER), as they would in production.
const meKeys = keys.slice(1);
const meUsers = seeded.slice(1).map((user) => user.username);
await database.db.insert(tokens).values(
  seeded.map((user, i) => ({
    userId: user.id,
    keyHash: createHash('sha256')
      .update(keys[i] ?? '')
      .digest('hex'),
  })),
);

step('Starting the API (production mode), with JWT, and the bare reference server');
const serverEnv = {
  DATABASE_URL: database.url ?? '',
  DATABASE_POOL_SIZE: '10',
  UV_THREADPOOL_SIZE: String(threadpool),
};
// As `pnpm --filter @tokenauth/api start` runs it: the bundle, no loader, its Node flags.
const nodeFlags = apiNodeFlags();
const profileDir = `${root}bench/profiles`;
const apiEnv: Record<string, string> = {
  ...serverEnv,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'info',
  BCRYPT_COST: String(bcryptCost),
  // JWT is off in production until a key is set: one made for this run.
  JWT_PRIVATE_KEY: generateKeyPairSync('ed25519').privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string,
  // Longer than the run: the access tokens are made once, before the load.
  JWT_ACCESS_TOKEN_LIFETIME: '1h',
  ...noRateLimitsEnv,
};
const apiArgs = [...nodeFlags, 'dist/index.js'];
// One process: the cases below measure the work of a request in it (the
// workers' case follows, side by side).
const api = await startServer(
  [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...apiArgs],
  { cwd: `${root}apps/api`, ready: 'API listening', env: { ...apiEnv, API_WORKERS: '1' } },
);
// Stop the servers and drop the database however the run ends (once).
const started = [api];
let cleaned: Promise<void> | undefined;
const cleanup = () => {
  cleaned ??= (async () => {
    await Promise.all(started.map((server) => server.stop()));
    await database.drop();
  })();
  return cleaned;
};
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.once(event, (error) => {
    console.error(error);
    void cleanup().finally(() => process.exit(1));
  });
}
// Stopped from outside: the servers would outlive the run, and the database too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the servers and dropping the database`);
    void cleanup().finally(() => process.exit(1));
  });
}
const bare = await startServer(['--import', 'tsx', 'src/bare-server.ts'], {
  cwd: `${root}bench`,
  ready: 'listening',
  env: serverEnv,
});
started.push(bare);
// The same API as `pnpm start` runs it by default: one worker per core.
const workers = availableParallelism();
const apiOnWorkers = await startServer(apiArgs, {
  cwd: `${root}apps/api`,
  ready: 'API listening',
  env: { ...apiEnv, API_WORKERS: String(workers) },
});
started.push(apiOnWorkers);
// The same single process with JWT_CHECK_REVOKED: each access token's check
// reads its session too (joined with the user) instead of the user alone.
const apiJwtChecked = await startServer(apiArgs, {
  cwd: `${root}apps/api`,
  ready: 'API listening',
  env: { ...apiEnv, API_WORKERS: '1', JWT_CHECK_REVOKED: 'true' },
});
started.push(apiJwtChecked);

step(`Logging in ${meUsers.length} users with jwt.create for their access tokens`);
const accessTokens = await Promise.all(
  meUsers.map(async (username) => {
    const res = await fetch(`http://127.0.0.1:${api.port}/trpc/jwt.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`jwt.create answered ${res.status}: ${await res.text()}`);
    const { result } = (await res.json()) as { result: { data: { access: string } } };
    return result.data.access;
  }),
);

let nextKey = 0;
const opaque = () => `Token ${meKeys[nextKey++ % meKeys.length]}`;
let nextAccess = 0;
const bearer = () => `Bearer ${accessTokens[nextAccess++ % accessTokens.length]}`;
const me = (port: number, authorization = opaque, path = '/trpc/auth.me') => ({
  url: `http://127.0.0.1:${port}`,
  seconds,
  connections: 16,
  request: () => ({
    method: 'GET' as const,
    path,
    headers: { authorization: authorization() },
  }),
});
const json = { 'content-type': 'application/json' };
const login = {
  url: `http://127.0.0.1:${api.port}`,
  seconds,
  connections: threadpool * 2,
  request: () => ({
    method: 'POST' as const,
    path: '/trpc/auth.login',
    headers: json,
    body: JSON.stringify({ username: loginUser, password }),
  }),
};
let nextUser = 0;
const signupRun = randomBytes(3).toString('hex');
const signup = {
  ...login,
  request: () => ({
    method: 'POST' as const,
    path: '/trpc/auth.signup',
    headers: json,
    body: JSON.stringify({ username: `bench_${signupRun}_${nextUser++}`, password }),
  }),
};

step(`bcrypt ceiling at cost ${bcryptCost}, ${threadpool} hashes in flight`);
const ceiling = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'src/bcrypt-ceiling.ts', String(bcryptCost), String(Math.min(seconds, 5))],
  {
    cwd: `${root}bench`,
    env: { ...process.env, UV_THREADPOOL_SIZE: String(threadpool) },
    encoding: 'utf8',
  },
);
if (ceiling.status !== 0) throw new Error(`bcrypt ceiling failed: ${ceiling.stderr}`);
const bcryptHashesPerSecond = (JSON.parse(ceiling.stdout) as { hashesPerSecond: number })
  .hashesPerSecond;

step('Warming up');
await Promise.all([
  ...[bare, api, apiOnWorkers].map((server) => load({ ...me(server.port), seconds: 1 })),
  ...[api, apiJwtChecked].map((server) => load({ ...me(server.port, bearer), seconds: 1 })),
]);

const run = async (name: string, options: Parameters<typeof load>[0]): Promise<Load> => {
  const size = options.requests ? `${options.requests} requests` : `${options.seconds} s`;
  step(`${name}: ${size}, ${options.connections} connections`);
  return load(options);
};
// Logins and signups: as many as the ceiling allows in `seconds`, all awaited.
const hashBound = { requests: Math.ceil(bcryptHashesPerSecond * seconds) };
// auth.me and its reference, the ratio most easily thrown by a noisy machine:
// twice as long, in alternating turns.
const turns = smoke ? 2 : 10;
const meSeconds = smoke ? seconds : 2 * seconds;
step(
  `bare server, token lookup, auth.me, REST users/me/, auth.me on ${workers} workers, auth.me with a JWT, and with JWT_CHECK_REVOKED: ${meSeconds} s each, in ${turns} alternating turns`,
);
const [bareMe, meAlone, restMe, meOnWorkers, meJwt, meJwtChecked] = (await alternate(
  [
    { ...me(bare.port), seconds: meSeconds },
    { ...me(api.port), seconds: meSeconds },
    { ...me(api.port, opaque, '/api/v1/users/me/'), seconds: meSeconds },
    { ...me(apiOnWorkers.port), seconds: meSeconds },
    { ...me(api.port, bearer), seconds: meSeconds },
    { ...me(apiJwtChecked.port, bearer), seconds: meSeconds },
  ],
  turns,
)) as [Load, Load, Load, Load, Load, Load];
const cases = {
  bareMe,
  me: meAlone,
  restMe,
  meOnWorkers,
  meJwt,
  meJwtChecked,
  login: await run('auth.login', { ...login, ...hashBound }),
  signup: await run('auth.signup', { ...signup, ...hashBound }),
  meUnderLogin: await (async () => {
    step(`auth.me while auth.login runs flat out: ${seconds} s`);
    const [under] = await Promise.all([load(me(api.port)), load(login)]);
    return under;
  })(),
};
step('forgot password: answer time for an address with an account and one without');
const apiUrl = `http://127.0.0.1:${api.port}`;
const post = (path: string, body: object) => () =>
  fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const forgot = (login: string) => post('/trpc/recovery.requestPasswordReset', { login });
const recoveryRequests = smoke ? 40 : 400;
const recoveryTimes = await answerTimes(
  { known: forgot(`${loginUser}@example.com`), unknown: forgot(`nobody_${loginUser}@example.com`) },
  200,
  recoveryRequests,
);
const recoveryTiming = {
  knownMs: recoveryTimes.known,
  unknownMs: recoveryTimes.unknown,
  requests: recoveryRequests,
};
step(`wrong password: a bcrypt hash, and Django's PBKDF2 at ${DJANGO_ITERATIONS} iterations`);
const wrong = (username: string) =>
  post('/api/v1/token/login/', { username, password: `${password}!` });
const loginRequests = smoke ? 6 : 80;
const loginTimes = await answerTimes(
  { bcrypt: wrong(loginUser), django: wrong(djangoUser) },
  400,
  loginRequests,
);
const loginTiming = {
  bcryptMs: loginTimes.bcrypt,
  djangoMs: loginTimes.django,
  iterations: DJANGO_ITERATIONS,
  requests: loginRequests,
};
const apiPeakRssBytes = api.child.pid ? peakRss(api.child.pid) : undefined;

await cleanup();

const importUsers = smoke ? 2000 : 1_000_000;
step(`import-django: ${importUsers.toLocaleString('en')} Django users, half with a DRF token`);
const djangoSite = await createThrowawayDatabase(adminUrl, 'bench_django');
const importTarget = await postgres.create();
let djangoImport: Results['djangoImport'];
try {
  await seedDjangoSite(djangoSite.url, importUsers);
  djangoImport = await timeImport(
    `${root}apps/api`,
    importTarget.url ?? '',
    djangoSite.url,
    importUsers,
  );
} finally {
  await importTarget.drop();
  await djangoSite.drop();
}

const partial: Omit<Results, 'targets'> = {
  date: new Date().toISOString(),
  mode: smoke ? 'smoke' : profile ? 'profile' : 'full',
  machine: {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    bcryptCost,
    threadpool,
    workers,
  },
  secondsPerCase: seconds,
  meTurns: { seconds: meSeconds, turns },
  apiCommand: ['node', ...nodeFlags, 'dist/index.js'].join(' '),
  bcryptHashesPerSecond,
  cases,
  recoveryTiming,
  loginTiming,
  djangoImport,
  apiPeakRssBytes,
  webInitialJsGzipBytes,
};
const results: Results = { ...partial, targets: targetsOf(partial) };
const markdown = toMarkdown(results);
const base = `${root}bench/results${smoke ? '.smoke' : profile ? '.profile' : ''}`;
writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(`${base}.md`, markdown);
console.log(`\n${markdown}\nWritten to ${base}.json and ${base}.md`);

// Every request must have succeeded, whatever the mode; targets are judged on full runs only.
const failed = Object.entries(cases).filter(([, c]) => c.failures > 0 || c.requests === 0);
if (failed.length > 0) {
  console.error(`Requests failed in: ${failed.map(([name]) => name).join(', ')}`);
  process.exit(1);
}
if (profile) console.log(`CPU profile of the API in ${profileDir} (open it in Chrome DevTools).`);
if (!smoke && !profile && results.targets.some((t) => !t.pass)) {
  console.error('Some targets were missed (see MISS above).');
  process.exit(1);
}
