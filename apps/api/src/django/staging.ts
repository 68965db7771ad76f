import { randomBytes } from 'node:crypto';
import type { Database } from '@tokenauth/db';
import { sql } from 'drizzle-orm';
import { readDjangoHash } from '../auth/django-hashes.ts';
import { email as emailInput, username as usernameInput } from '../auth/inputs.ts';
import { DRF_TOKEN_FORMAT, hashToken } from '../auth/token.ts';
import { normalizeUsername, usernameKey } from '../auth/user.ts';
import { runStatements } from '../sql-rows.ts';
import type { DjangoSource, DjangoTokenRecord, DjangoUserRecord } from './django-source.ts';
import type { ImportReport } from './import-report.ts';

/**
 * The columns of a staged user that reading fills, in order, with their
 * types: one JSON parameter per batch is spread into them by the server.
 */
const FILLED = [
  ['django_id', 'bigint'],
  ['django_username', 'text'],
  ['username', 'text'],
  ['username_key', 'text'],
  ['email', 'text'],
  ['password', 'text'],
  ['is_active', 'boolean'],
  ['is_staff', 'boolean'],
  ['is_superuser', 'boolean'],
  ['first_name', 'text'],
  ['last_name', 'text'],
  ['date_joined', 'timestamptz'],
  ['last_login', 'timestamptz'],
  /** Why the user is not imported; null if they are. */
  ['refused', 'text'],
  /** Imported without their Django password (unusable, unsafe, malformed). */
  ['no_password', 'boolean'],
  /** Imported without their address (refused by our rules). */
  ['email_dropped', 'boolean'],
] as const;
type StagedUser = Record<(typeof FILLED)[number][0], unknown>;
/** A token's user: its Django id, or (from a dump with natural keys) its username. */
type StagedToken = {
  key_hash: string;
  django_user_id: number | null;
  django_username: string | null;
};

const columns = (list: readonly (readonly string[])[]) => list.map((c) => c.join(' ')).join(', ');

/**
 * Where the source is read into, so that collisions and counts are SQL over
 * every row, in bounded memory. `new_id` is the id a new user will get
 * (made up front, so no write must find it again); `holds` says the user,
 * imported before, holds their staged username here already.
 */
export const CREATE_STAGING = [
  `create unlogged table django_import_users (
    ${columns(FILLED)}, new_id uuid not null default gen_random_uuid(),
    holds boolean not null default false, primary key (django_id))`,
  `create unlogged table django_import_tokens (
    key_hash text primary key, django_user_id bigint, django_username text)`,
];
export const DROP_STAGING = [
  'drop table if exists django_import_users',
  'drop table if exists django_import_tokens',
];

/** Reads the source into the staging tables, checking each user as signup would. */
export async function stage(
  db: Database,
  source: DjangoSource,
  report: ImportReport,
  options: { batchSize: number; progress?: ((line: string) => void) | undefined },
): Promise<void> {
  let users: StagedUser[] = [];
  let tokens: StagedToken[] = [];
  // One JSON parameter per batch, spread into rows by the server: far less
  // work than a statement with a parameter per value.
  const flush = async () => {
    if (users.length > 0) {
      await db.execute(sql`
        insert into django_import_users (${sql.raw(FILLED.map(([name]) => name).join(', '))})
        select * from jsonb_to_recordset(${JSON.stringify(users)}::jsonb) as x(${sql.raw(columns(FILLED))})
        on conflict do nothing`);
    }
    if (tokens.length > 0) {
      await db.execute(sql`
        insert into django_import_tokens (key_hash, django_user_id, django_username)
        select * from jsonb_to_recordset(${JSON.stringify(tokens)}::jsonb)
          as x(key_hash text, django_user_id bigint, django_username text)
        on conflict do nothing`);
    }
    users = [];
    tokens = [];
  };
  for await (const record of source.records()) {
    if (record.type === 'user') {
      users.push(checkUser(record, report));
      report.users.read += 1;
      if (report.users.read % 100_000 === 0) {
        options.progress?.(`read ${report.users.read.toLocaleString('en')} users…`);
      }
    } else {
      const token = checkToken(record, report);
      if (token) tokens.push(token);
    }
    if (users.length + tokens.length >= options.batchSize) await flush();
  }
  await flush();
  await runStatements(db, [
    // Indexes for the collision and token queries, built once the rows are in.
    'create index on django_import_users (username_key)',
    'create index on django_import_users (django_username)',
  ]);
  // A dump made with --natural-foreign names a token's user by username: find the id once.
  await db.execute(sql`
    update django_import_tokens t set django_user_id = s.django_id
    from django_import_users s
    where t.django_user_id is null and s.django_username = t.django_username`);
  // Whether each user imported before holds their staged name here already.
  await db.execute(sql`
    update django_import_users s set holds = true
    from django_users d join users u on u.id = d.user_id
    where d.django_id = s.django_id and u.username_key = s.username_key`);
  await runStatements(db, [
    'create index on django_import_tokens (django_user_id)',
    // Statistics, or the planner guesses at tables it has never seen filled.
    'analyze django_import_users',
    'analyze django_import_tokens',
  ]);
}

/**
 * Text PostgreSQL can store (jsonb refuses NUL, and JSON.stringify escapes a
 * lone surrogate that jsonb refuses too): such a character becomes U+FFFD.
 */
const storable = (text: string) =>
  text
    .replaceAll(String.fromCharCode(0), '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

function checkUser(user: DjangoUserRecord, report: ImportReport): StagedUser {
  const problem = (what: string, todo: string) =>
    report.problems.push({
      djangoId: user.id,
      username: storable(user.username),
      problem: what,
      todo,
    });
  const name = usernameInput.safeParse(user.username);
  let refused: string | null = null;
  if (!name.success) {
    refused = `username refused: ${name.error.issues[0]?.message}`;
    problem(refused, 'rename them in Django and run the import again');
  }
  let address: string | null = null;
  let emailDropped = false;
  if (user.email !== '') {
    const parsed = emailInput.safeParse(user.email);
    if (parsed.success && parsed.data) address = parsed.data;
    else {
      emailDropped = true;
      if (!refused) {
        problem(
          `address ${JSON.stringify(storable(user.email))} refused: ${parsed.error?.issues[0]?.message}`,
          'imported without an address; they can add one in Settings',
        );
      }
    }
  }
  const hash = readDjangoHash(user.password);
  if (!hash.ok && !refused && hash.reason !== 'unusable') {
    problem(
      hash.reason === 'legacy'
        ? `password hashed with ${hash.algorithm}, which is not safe to keep`
        : hash.reason === 'unknown'
          ? `password hash of unknown algorithm ${storable(hash.algorithm)}`
          : `password hash (${hash.algorithm}) malformed or beyond our bounds`,
      'imported without a password; they set one with "Forgot password"',
    );
  }
  const username = name.success ? name.data : storable(normalizeUsername(user.username));
  return {
    django_id: user.id,
    django_username: storable(user.username),
    username,
    username_key: usernameKey(username),
    email: address,
    // Django's own mark of an unusable password: nothing matches it.
    password: hash.ok ? user.password : `!${randomBytes(30).toString('base64url')}`,
    is_active: user.isActive,
    is_staff: user.isStaff,
    is_superuser: user.isSuperuser,
    first_name: storable(user.firstName),
    last_name: storable(user.lastName),
    date_joined: user.dateJoined,
    last_login: user.lastLogin,
    refused,
    no_password: !hash.ok,
    email_dropped: emailDropped,
  };
}

function checkToken(token: DjangoTokenRecord, report: ImportReport): StagedToken | undefined {
  report.tokens.read += 1;
  if (!DRF_TOKEN_FORMAT.test(token.key)) {
    report.tokens.notImported += 1;
    report.problems.push({
      djangoId: 'id' in token.user ? token.user.id : 0,
      username: 'username' in token.user ? storable(token.user.username) : '',
      problem: 'token is not a DRF key (40 hex characters)',
      todo: 'not imported; the client logs in again',
    });
    return undefined;
  }
  return {
    key_hash: hashToken(token.key),
    django_user_id: 'id' in token.user ? token.user.id : null,
    django_username: 'username' in token.user ? storable(token.user.username) : null,
  };
}
