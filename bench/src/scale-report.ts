import type { Load } from './load.ts';
import { fixed, type Target, targetsTable } from './report.ts';
import type { Relation, ScaleShape } from './scale-seed.ts';

export type ScaleResults = {
  date: string;
  mode: 'full' | 'smoke';
  machine: { cpus: number; cpuModel: string; node: string; postgres: string; bcryptCost: number };
  shapes: { small: ScaleShape; large: ScaleShape };
  seedSeconds: number;
  meTurns: { seconds: number; turns: number };
  cases: Record<
    'meSmall' | 'meLarge' | 'loginSmall' | 'loginLarge' | 'signupSmall' | 'signupLarge',
    Load
  >;
  /** Rows of the large database before the purge. */
  rows: Record<string, number>;
  /** Its tables and indexes, before the purge. */
  sizes: Relation[];
  /** `pnpm -s cli purge` of the expired tokens, and `auth.me` before and while it ran. */
  purge: { tokens: number; seconds: number; before: Load; during: Load };
  /** "Forgot password" for `keys` distinct addresses, then the purge of their counters. */
  flood: {
    keys: number;
    window: string;
    requestsPerSecond: number;
    failures: number;
    rowsAfterFlood: number;
    bytesAfterFlood: number;
    swept: number;
    sweepSeconds: number;
    rowsAfterSweep: number;
  };
  targets: Target[];
};

const MB = 1024 * 1024;
const count = (n: number) => n.toLocaleString('en');

/**
 * What the issue asks: requests go on during the purge, and a flood leaves
 * nothing behind. How a request's cost grows with the data is measured, not
 * judged: it depends on how much of it the server's memory holds
 * (docs/performance.md, "Scale").
 */
export function scaleTargets(r: Omit<ScaleResults, 'targets'>): Target[] {
  return [
    {
      name: `auth.me p99 during the purge / before it`,
      value: r.purge.during.p99 / Math.max(r.purge.before.p99, 1),
      limit: '≤ 2',
      pass: r.purge.during.p99 <= 2 * Math.max(r.purge.before.p99, 1),
    },
    {
      name: 'rate_limits rows left after the purge / after the flood',
      value: r.flood.rowsAfterSweep / Math.max(r.flood.rowsAfterFlood, 1),
      limit: '≤ 0.01',
      pass: r.flood.rowsAfterSweep <= 0.01 * r.flood.rowsAfterFlood,
    },
  ];
}

/** What `pnpm bench --scale` prints and writes next to the JSON. */
export function scaleToMarkdown(r: ScaleResults): string {
  const { small, large } = r.shapes;
  const side = (name: string, a: Load, b: Load) =>
    `| ${name} | ${fixed(a.requestsPerSecond, 0)} | ${fixed(a.p50, 1)} | ${fixed(a.p99, 1)} | ${fixed(b.requestsPerSecond, 0)} | ${fixed(b.p50, 1)} | ${fixed(b.p99, 1)} | ${fixed(b.requestsPerSecond / a.requestsPerSecond)} |`;
  const tables = [...new Set(r.sizes.map((s) => s.table))];
  const sizeRows = tables.flatMap((table) => {
    const own = r.sizes.filter((s) => s.table === table);
    const heap = own.find((s) => s.kind === 'table')?.bytes ?? 0;
    const indexes = own.filter((s) => s.kind === 'index');
    const total = heap + indexes.reduce((sum, s) => sum + s.bytes, 0);
    const rows = r.rows[table];
    return [
      `| **${table}** | ${rows === undefined ? '' : count(rows)} | ${fixed(heap / MB, 1)} | ${fixed(total / MB, 1)} | ${rows ? fixed(total / rows, 0) : ''} |`,
      ...indexes.map((s) => `| ${s.name} | | ${fixed(s.bytes / MB, 1)} | | |`),
    ];
  });
  const { flood, purge } = r;
  return [
    `# Benchmark at scale (${r.mode}) — ${r.date}`,
    '',
    `${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}, bcrypt cost ${r.machine.bcryptCost}. The API is one process on each database; load from autocannon over loopback on the same machine, the two sides in ${r.meTurns.turns} alternating turns. Large: ${count(large.users)} users, ${count(large.users * large.tokensPerUser)} tokens (one in ${large.tokensPerUser} expired), seeded in ${fixed(r.seedSeconds, 0)} s. Small: ${small.users} users.`,
    '',
    `| case | small req/s | p50 ms | p99 ms | large req/s | p50 ms | p99 ms | large / small |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    side('`auth.me`, any live token', r.cases.meSmall, r.cases.meLarge),
    side('`auth.login`, any user', r.cases.loginSmall, r.cases.loginLarge),
    side('`auth.signup`', r.cases.signupSmall, r.cases.signupLarge),
    '',
    `The purge (\`pnpm -s cli purge\`) deleted ${count(purge.tokens)} expired tokens in ${fixed(purge.seconds, 1)} s. \`auth.me\` on the large database: p99 ${fixed(purge.before.p99, 1)} ms (${fixed(purge.before.requestsPerSecond, 0)} req/s) before, ${fixed(purge.during.p99, 1)} ms (${fixed(purge.during.requestsPerSecond, 0)} req/s) while it ran.`,
    '',
    `A flood of ${count(flood.keys)} "forgot password" requests, each for another address (limit ${flood.window} per address), at ${fixed(flood.requestsPerSecond, 0)} req/s: ${count(flood.rowsAfterFlood)} rows in \`rate_limits\` (${fixed(flood.bytesAfterFlood / MB, 1)} MB with its index); once their windows ended, the purge deleted ${count(flood.swept)} in ${fixed(flood.sweepSeconds, 1)} s, leaving ${count(flood.rowsAfterSweep)}.`,
    '',
    '| table / index (large, before the purge) | rows | MB | MB with indexes | bytes per row |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...sizeRows,
    '',
    ...targetsTable(r.targets),
    '',
  ].join('\n');
}
