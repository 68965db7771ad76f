import { spawn } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import postgres from 'postgres';
import { peakRss } from './processes.ts';

/** Django 5.2's default PBKDF2 iterations, the most any Django default asks. */
export const DJANGO_ITERATIONS = 1_000_000;

/** `password` as Django's PBKDF2PasswordHasher stores it. */
export function djangoPbkdf2(password: string, iterations = DJANGO_ITERATIONS): string {
  const salt = randomBytes(16).toString('hex').slice(0, 22);
  const hash = pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64');
  return `pbkdf2_sha256$${iterations}$${salt}$${hash}`;
}

/**
 * Fills an empty database as `manage.py migrate` and a site in use would:
 * Django's `auth_user` and DRF's `authtoken_token` (every other user has a
 * token), with generate_series, so that a million rows take seconds.
 */
export async function seedDjangoSite(url: string, count: number): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const hash = djangoPbkdf2('correct horse battery staple', 1000);
    await sql.unsafe(`
      create table auth_user (
        id serial primary key, password varchar(128) not null, last_login timestamptz,
        is_superuser boolean not null, username varchar(150) not null unique,
        first_name varchar(150) not null, last_name varchar(150) not null,
        email varchar(254) not null, is_staff boolean not null, is_active boolean not null,
        date_joined timestamptz not null)`);
    await sql.unsafe(`
      create table authtoken_token (
        key varchar(40) primary key, created timestamptz not null,
        user_id integer not null unique references auth_user (id))`);
    await sql`
      insert into auth_user (password, last_login, is_superuser, username, first_name, last_name,
        email, is_staff, is_active, date_joined)
      select ${hash}, now() - (i % 400) * interval '1 day', i = 1, 'user_' || i, 'First', 'Last',
        'user_' || i || '@example.com', i < 10, i % 50 <> 0, now() - (i % 3000) * interval '1 day'
      from generate_series(1, ${count}::int) i`;
    await sql`
      insert into authtoken_token (key, created, user_id)
      select md5(i::text) || left(md5('t' || i), 8), now(), i
      from generate_series(1, ${count}::int, 2) i`;
  } finally {
    await sql.end();
  }
}

export type ImportRun = { users: number; seconds: number; peakRssBytes: number | undefined };

/**
 * Runs the bundled CLI, `node dist/cli.js import-django --from <from>`, into
 * the database `into`: how long it took, and the most memory it held
 * (VmHWM, read until it exits).
 */
export async function timeImport(
  apiDir: string,
  into: string,
  from: string,
  users: number,
): Promise<ImportRun> {
  const start = performance.now();
  const child = spawn(process.execPath, ['dist/cli.js', 'import-django', '--from', from], {
    cwd: apiDir,
    env: { ...process.env, DATABASE_URL: into, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  let peakRssBytes: number | undefined;
  const sample = setInterval(() => {
    if (child.pid) peakRssBytes = peakRss(child.pid) ?? peakRssBytes;
  }, 100);
  const [code] = await once(child, 'exit');
  clearInterval(sample);
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0 || !out.includes(`created:             ${users.toLocaleString('en')}`)) {
    throw new Error(`import-django failed (exit ${code}):\n${out}`);
  }
  return { users, seconds, peakRssBytes };
}
