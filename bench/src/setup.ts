/** What both benchmarks (run.ts, scale.ts) start from: the database server, the builds, the API's command. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const step = (text: string) => console.log(`\n==> ${text}`);

/** DATABASE_URL, without which there is nothing to measure: the API as deployed runs on PostgreSQL. */
export function adminUrlOrExit(): string {
  const url = process.env.DATABASE_URL;
  if (url) return url;
  console.error(
    'pnpm bench measures the API as deployed, on PostgreSQL: set DATABASE_URL, for example\n' +
      '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench\n' +
      '(it works in databases of its own, created and dropped on that server).',
  );
  process.exit(1);
}

export function buildApps(): void {
  step('Building the web app and the API');
  for (const app of ['@tokenauth/web', '@tokenauth/api']) {
    const build = spawnSync('pnpm', ['--filter', app, 'build'], { cwd: root, stdio: 'ignore' });
    if (build.status !== 0) throw new Error(`the build of ${app} failed`);
  }
}

/** The Node flags of the API's `start` script (written `--name=value` there, so each is one word). */
export function apiNodeFlags(): string[] {
  const startScript = (
    JSON.parse(readFileSync(`${root}apps/api/package.json`, 'utf8')) as {
      scripts: { start: string };
    }
  ).scripts.start;
  return startScript.split(' ').filter((word) => word.startsWith('--'));
}

/** Measured is the work of a request, not the limits that refuse floods. */
export const noRateLimitsEnv = {
  RATE_LIMIT_PASSWORD_FAILURES_PER_USERNAME: 'off',
  RATE_LIMIT_PASSWORD_FAILURES_PER_IP: 'off',
  RATE_LIMIT_LOGINS_PER_IP: 'off',
  RATE_LIMIT_LOGINS_PER_USERNAME: 'off',
  RATE_LIMIT_SIGNUPS_PER_IP: 'off',
  RATE_LIMIT_SIGNUPS_PER_USERNAME: 'off',
  RATE_LIMIT_RECOVERY_PER_IP: 'off',
  RATE_LIMIT_RECOVERY_PER_ADDRESS: 'off',
};
