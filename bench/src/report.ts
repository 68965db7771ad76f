import type { Load } from './load.ts';

export type Results = {
  date: string;
  mode: 'full' | 'smoke' | 'profile';
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    bcryptCost: number;
    threadpool: number;
    /** API_WORKERS of the `meOnWorkers` case. */
    workers: number;
  };
  secondsPerCase: number;
  /** `auth.me` and the bare server: how long each ran, in how many alternating turns. */
  meTurns: { seconds: number; turns: number };
  /** How the API was started, as its `start` script starts it. */
  apiCommand: string;
  bcryptHashesPerSecond: number;
  /**
   * `me` with an opaque token (`Token …`); `meJwt` with a JWT access token
   * (`Bearer …`), which reads the user row only; `meJwtChecked` the same on
   * an API with JWT_CHECK_REVOKED, which reads the session joined with the user.
   */
  cases: Record<
    | 'bareMe'
    | 'me'
    | 'restMe'
    | 'meOnWorkers'
    | 'meJwt'
    | 'meJwtChecked'
    | 'login'
    | 'signup'
    | 'meUnderLogin',
    Load
  >;
  /** "Forgot password": median answer times, account or not (recovery-timing.ts). */
  recoveryTiming: { knownMs: number; unknownMs: number; requests: number };
  /** A wrong password: median answer times for a bcrypt hash and a Django PBKDF2 one. */
  loginTiming: { bcryptMs: number; djangoMs: number; iterations: number; requests: number };
  /** `import-django` from PostgreSQL, run alone: wall time and the CLI's peak RSS. */
  djangoImport: { users: number; seconds: number; peakRssBytes: number | undefined };
  apiPeakRssBytes: number | undefined;
  webInitialJsGzipBytes: number;
  targets: Target[];
};

export type Target = { name: string; value: number; limit: string; pass: boolean };

const MB = 1024 * 1024;

export function targetsOf(r: Omit<Results, 'targets'>): Target[] {
  const { bareMe, me, restMe, login, signup, meUnderLogin } = r.cases;
  const atLeast = (name: string, value: number, min: number) => ({
    name,
    value,
    limit: `≥ ${min}`,
    pass: value >= min,
  });
  const atMost = (name: string, value: number, max: number) => ({
    name,
    value,
    limit: `≤ ${max}`,
    pass: value <= max,
  });
  return [
    atLeast(
      'auth.me throughput / bare server',
      me.requestsPerSecond / bareMe.requestsPerSecond,
      0.8,
    ),
    atMost('auth.me p99 / bare server p99', me.p99 / Math.max(bareMe.p99, 1), 1.5),
    // A JWT whose signature this process checked before costs no more than an opaque token.
    atLeast(
      'auth.me with a JWT / opaque token',
      r.cases.meJwt.requestsPerSecond / me.requestsPerSecond,
      0.8,
    ),
    atLeast(
      'auth.me with a JWT and JWT_CHECK_REVOKED / opaque token',
      r.cases.meJwtChecked.requestsPerSecond / me.requestsPerSecond,
      0.8,
    ),
    atLeast(
      'REST users/me/ throughput / bare server',
      restMe.requestsPerSecond / bareMe.requestsPerSecond,
      0.8,
    ),
    atLeast('auth.login / bcrypt ceiling', login.requestsPerSecond / r.bcryptHashesPerSecond, 0.9),
    atLeast(
      'auth.signup / bcrypt ceiling',
      signup.requestsPerSecond / r.bcryptHashesPerSecond,
      0.9,
    ),
    atMost(
      'auth.me p99 under login load / unloaded p99',
      meUnderLogin.p99 / Math.max(me.p99, 1),
      2,
    ),
    atMost(
      'forgot password: answer time, account / no account, off by',
      Math.abs(r.recoveryTiming.knownMs / r.recoveryTiming.unknownMs - 1),
      0.1,
    ),
    atMost(
      'wrong password: Django hash / bcrypt hash answer time, off by',
      Math.abs(r.loginTiming.djangoMs / r.loginTiming.bcryptMs - 1),
      0.1,
    ),
    atMost('API peak RSS (MB)', (r.apiPeakRssBytes ?? Number.NaN) / MB, 150),
    atMost(
      'import-django, 10⁶ users (minutes)',
      (r.djangoImport.seconds / 60) * (1e6 / r.djangoImport.users),
      10,
    ),
    atMost('import-django peak RSS (MB)', (r.djangoImport.peakRssBytes ?? Number.NaN) / MB, 256),
    atMost('web initial JS (KB gzipped)', r.webInitialJsGzipBytes / 1024, 120),
  ];
}

export const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** Each target with its value and whether it was met, as Markdown table lines. */
export function targetsTable(targets: Target[]): string[] {
  return [
    '| target | value | limit | |',
    '| --- | ---: | --- | --- |',
    ...targets.map(
      (t) => `| ${t.name} | ${fixed(t.value)} | ${t.limit} | ${t.pass ? 'pass' : 'MISS'} |`,
    ),
  ];
}

/** The results as Markdown: what `pnpm bench` prints and writes next to the JSON. */
export function toMarkdown(r: Results): string {
  const { cases } = r;
  const row = (name: string, load: Load, reference: number, referenceName: string) =>
    `| ${name} | ${fixed(load.requestsPerSecond, 0)} | ${fixed(load.p50, 1)} | ${fixed(load.p99, 1)} | ${fixed(load.requestsPerSecond / reference)} × ${referenceName} | ${load.failures} |`;
  return [
    `# Benchmark (${r.mode}) — ${r.date}`,
    '',
    `${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, bcrypt cost ${r.machine.bcryptCost}, libuv threadpool ${r.machine.threadpool}, ${r.secondsPerCase} s per case, load from autocannon over loopback on the same machine. \`auth.me\` and the bare server: ${r.meTurns.seconds} s each, in ${r.meTurns.turns} alternating turns. The API ran as \`${r.apiCommand}\`.`,
    '',
    '| case | req/s | p50 ms | p99 ms | ratio | failures |',
    '| --- | ---: | ---: | ---: | --- | ---: |',
    row(
      'bare node:http + postgres.js, token lookup',
      cases.bareMe,
      cases.bareMe.requestsPerSecond,
      'itself',
    ),
    row('`auth.me`, opaque token', cases.me, cases.bareMe.requestsPerSecond, 'bare'),
    row('`auth.me`, JWT', cases.meJwt, cases.me.requestsPerSecond, 'opaque'),
    row(
      '`auth.me`, JWT with JWT_CHECK_REVOKED',
      cases.meJwtChecked,
      cases.me.requestsPerSecond,
      'opaque',
    ),
    row('REST `GET /api/v1/users/me/`', cases.restMe, cases.bareMe.requestsPerSecond, 'bare'),
    row(
      `\`auth.me\` on ${r.machine.workers} workers (API_WORKERS)`,
      cases.meOnWorkers,
      cases.me.requestsPerSecond,
      'one process',
    ),
    row('`auth.login`', cases.login, r.bcryptHashesPerSecond, 'bcrypt'),
    row('`auth.signup`', cases.signup, r.bcryptHashesPerSecond, 'bcrypt'),
    row(
      '`auth.me` while logins run flat out',
      cases.meUnderLogin,
      cases.bareMe.requestsPerSecond,
      'bare',
    ),
    '',
    `"Forgot password" answered in ${fixed(r.recoveryTiming.knownMs)} ms (median) for an address with an account, ${fixed(r.recoveryTiming.unknownMs)} ms for one without (${r.recoveryTiming.requests} requests, one at a time, shuffled).`,
    '',
    `A wrong password answered in ${fixed(r.loginTiming.bcryptMs)} ms (median) for a bcrypt hash, ${fixed(r.loginTiming.djangoMs)} ms for an imported Django pbkdf2_sha256 hash at ${r.loginTiming.iterations.toLocaleString('en')} iterations (${r.loginTiming.requests} requests, one at a time, shuffled).`,
    '',
    `import-django from PostgreSQL: ${r.djangoImport.users.toLocaleString('en')} users and ${Math.ceil(r.djangoImport.users / 2).toLocaleString('en')} DRF tokens in ${fixed(r.djangoImport.seconds, 1)} s, peak RSS ${fixed((r.djangoImport.peakRssBytes ?? Number.NaN) / MB, 1)} MB.`,
    '',
    `bcrypt ceiling: ${fixed(r.bcryptHashesPerSecond, 1)} hashes/s at cost ${r.machine.bcryptCost} on all cores. API peak RSS: ${fixed((r.apiPeakRssBytes ?? Number.NaN) / MB, 1)} MB. Web initial JS: ${fixed(r.webInitialJsGzipBytes / 1024, 1)} KB gzipped.`,
    '',
    ...targetsTable(r.targets),
    '',
  ].join('\n');
}
