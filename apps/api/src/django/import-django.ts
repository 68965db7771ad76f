import { randomBytes } from 'node:crypto';
import { type Database, isDuplicateTable, isUniqueViolation } from '@tokenauth/db';
import { type SQL, sql } from 'drizzle-orm';
import { bigint, boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { readDjangoHash } from '../auth/django-hashes.ts';
import { email as emailInput, username as usernameInput } from '../auth/inputs.ts';
import { hashToken } from '../auth/token.ts';
import { normalizeUsername, usernameKey } from '../auth/user.ts';
import type { DjangoSource, DjangoTokenRecord, DjangoUserRecord } from './django-source.ts';

/** What to do with usernames that are the same ignoring case. */
export type CollisionRule = 'skip' | 'rename';

export type ImportOptions = {
  dryRun: boolean;
  /** Unset: stop before writing anything if there are collisions. */
  collisions?: CollisionRule | undefined;
  now: Date;
  /** Users per transaction. */
  batchSize?: number;
  /** Progress lines, for large imports (stderr). */
  progress?: (line: string) => void;
};

/** One user (or token) the import could not take as it is, and what to do. */
export type ImportProblem = { djangoId: number; username: string; problem: string; todo: string };

export type ImportReport = {
  source: string;
  dryRun: boolean;
  users: {
    read: number;
    created: number;
    updated: number;
    skipped: number;
    renamed: number;
    withoutPassword: number;
    withoutEmail: number;
    inactive: number;
    staff: number;
    superusers: number;
  };
  tokens: { read: number; imported: number; alreadyImported: number; notImported: number };
  problems: ImportProblem[];
  /** Set when nothing was written because collisions need a rule. */
  stopped?: string;
};

/** DRF keys: 20 random bytes in hex. */
const DRF_KEY = /^[0-9a-f]{40}$/;
const USERNAME_MAX = 150;
const DEVICE = 'imported from Django';

// The staging tables the source is read into, so that collisions and
// counts are found with SQL over every row, in bounded memory.
const staged = pgTable('django_import_users', {
  djangoId: bigint('django_id', { mode: 'number' }).primaryKey(),
  /** The id the user gets here if new: made up front, so no write has to find it again. */
  newId: uuid('new_id').notNull().defaultRandom(),
  djangoUsername: text('django_username').notNull(),
  username: text('username').notNull(),
  usernameKey: text('username_key').notNull(),
  email: text('email'),
  password: text('password').notNull(),
  isActive: boolean('is_active').notNull(),
  isStaff: boolean('is_staff').notNull(),
  isSuperuser: boolean('is_superuser').notNull(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  dateJoined: timestamp('date_joined', { withTimezone: true }).notNull(),
  lastLogin: timestamp('last_login', { withTimezone: true }),
  /** Why the user is not imported; null if they are. */
  refused: text('refused'),
});
/** The staged columns a batch fills, in their order, with their types. */
const STAGED_USER_COLUMNS = [
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
  ['refused', 'text'],
] as const;
const STAGED_NAMES = sql.raw(STAGED_USER_COLUMNS.map(([name]) => name).join(', '));
const STAGED_TYPES = sql.raw(STAGED_USER_COLUMNS.map((column) => column.join(' ')).join(', '));
type StagedUser = Record<(typeof STAGED_USER_COLUMNS)[number][0], unknown>;
/** A token's user: its Django id, or (from a dump with natural keys) its username. */
type StagedToken = {
  key_hash: string;
  django_user_id: number | null;
  django_username: string | null;
};

// One statement per query: PGlite prepares each, and a prepared statement holds one.
const CREATE_STAGING = [
  `create unlogged table django_import_users (
    django_id bigint primary key, new_id uuid not null default gen_random_uuid(),
    django_username text not null,
    username text not null, username_key text not null, email text, password text not null,
    is_active boolean not null, is_staff boolean not null, is_superuser boolean not null,
    first_name text not null, last_name text not null,
    date_joined timestamptz not null, last_login timestamptz, refused text)`,
  `create unlogged table django_import_tokens (
    key_hash text primary key, django_user_id bigint, django_username text)`,
];
const DROP_STAGING = [
  'drop table if exists django_import_users',
  'drop table if exists django_import_tokens',
];
const runAll = async (db: Database, statements: string[]) => {
  for (const statement of statements) await db.execute(sql.raw(statement));
};

/** Rows of a raw query, whichever the driver (postgres.js gives an array, PGlite `{ rows }`). */
async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
const count = async (db: Database, query: SQL) =>
  Number((await rows<{ n: string | number }>(db, query))[0]?.n ?? 0);

/**
 * Imports Django's users and DRF tokens (README "Coming from Django"):
 * reads the source once into staging tables, finds what cannot be taken,
 * then (unless a dry run) writes users, their Django leftovers and their
 * tokens, one transaction per batch. A re-run matches users by Django id.
 */
export async function importDjango(
  db: Database,
  source: DjangoSource,
  options: ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = {
    source: source.name,
    dryRun: options.dryRun,
    users: {
      read: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      renamed: 0,
      withoutPassword: 0,
      withoutEmail: 0,
      inactive: 0,
      staff: 0,
      superusers: 0,
    },
    tokens: { read: 0, imported: 0, alreadyImported: 0, notImported: 0 },
    problems: [],
  };
  try {
    await runAll(db, CREATE_STAGING);
  } catch (error) {
    throw isDuplicateTable(error) ? new ImportBusy(error) : error;
  }
  try {
    await stage(db, source, report, options);
    await resolveCollisions(db, report, options);
    if (report.stopped) return report;
    await countOutcome(db, report);
    if (!options.dryRun) await apply(db, report, options);
    return report;
  } finally {
    await runAll(db, DROP_STAGING);
  }
}

/** The staging tables exist: another import is running, or one was killed midway. */
export class ImportBusy extends Error {
  constructor(cause: unknown) {
    super(
      'Another import is running, or one was stopped midway (the table django_import_users exists). ' +
        'If none is running: drop table django_import_users, django_import_tokens;',
      { cause },
    );
  }
}

/** Reads the source into the staging tables, checking each user as signup would. */
async function stage(
  db: Database,
  source: DjangoSource,
  report: ImportReport,
  options: ImportOptions,
): Promise<void> {
  const batch = options.batchSize ?? 2000;
  let users: StagedUser[] = [];
  let tokens: StagedToken[] = [];
  // One JSON parameter per batch, spread into rows by the server: far less
  // work than a statement with a parameter per value.
  const flush = async () => {
    if (users.length > 0) {
      await db.execute(sql`
        insert into django_import_users (${STAGED_NAMES})
        select * from jsonb_to_recordset(${JSON.stringify(users)}::jsonb) as x(${STAGED_TYPES})
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
    if (users.length + tokens.length >= batch) await flush();
  }
  await flush();
  // Indexes for the collision and token queries, built once the rows are in.
  await db.execute(sql.raw('create index on django_import_users (username_key)'));
  await db.execute(sql.raw('create index on django_import_users (django_username)'));
  // A dump made with --natural-foreign names a token's user by username: find the id once.
  await db.execute(sql`
    update django_import_tokens t set django_user_id = s.django_id
    from django_import_users s
    where t.django_user_id is null and s.django_username = t.django_username`);
  await db.execute(sql.raw('create index on django_import_tokens (django_user_id)'));
  // Statistics, or the planner guesses at tables it has never seen filled.
  await runAll(db, ['analyze django_import_users', 'analyze django_import_tokens']);
}

function checkUser(user: DjangoUserRecord, report: ImportReport): StagedUser {
  const problem = (what: string, todo: string) =>
    report.problems.push({ djangoId: user.id, username: user.username, problem: what, todo });
  const name = usernameInput.safeParse(user.username);
  let refused: string | null = null;
  if (!name.success) {
    refused = `username refused: ${name.error.issues[0]?.message}`;
    problem(refused, 'rename them in Django and run the import again');
  }
  let address: string | null = null;
  if (user.email !== '') {
    const parsed = emailInput.safeParse(user.email);
    if (parsed.success && parsed.data) address = parsed.data;
    else if (!refused) {
      report.users.withoutEmail += 1;
      problem(
        `address ${JSON.stringify(user.email)} refused: ${parsed.error?.issues[0]?.message}`,
        'imported without an address; they can add one in Settings',
      );
    }
  }
  const hash = readDjangoHash(user.password);
  let password = user.password;
  if (!hash.ok) {
    // Django's own mark of an unusable password: nothing matches it.
    password = `!${randomBytes(30).toString('base64url')}`;
    if (!refused) {
      report.users.withoutPassword += 1;
      if (hash.reason !== 'unusable') {
        problem(
          hash.reason === 'legacy'
            ? `password hashed with ${hash.algorithm}, which is not safe to keep`
            : `password hash ${hash.reason === 'unknown' ? `of unknown algorithm ${hash.algorithm}` : `(${hash.algorithm}) malformed`}`,
          'imported without a password; they set one with "Forgot password"',
        );
      }
    }
  }
  const username = name.success ? name.data : normalizeUsername(user.username);
  return {
    django_id: user.id,
    django_username: user.username,
    username,
    username_key: usernameKey(username),
    email: address,
    password,
    is_active: user.isActive,
    is_staff: user.isStaff,
    is_superuser: user.isSuperuser,
    first_name: user.firstName,
    last_name: user.lastName,
    date_joined: user.dateJoined,
    last_login: user.lastLogin,
    refused,
  };
}

function checkToken(token: DjangoTokenRecord, report: ImportReport): StagedToken | undefined {
  report.tokens.read += 1;
  if (!DRF_KEY.test(token.key)) {
    report.tokens.notImported += 1;
    report.problems.push({
      djangoId: 'id' in token.user ? token.user.id : 0,
      username: 'username' in token.user ? token.user.username : '',
      problem: 'token is not a DRF key (40 hex characters)',
      todo: 'not imported; the client logs in again',
    });
    return undefined;
  }
  return {
    key_hash: hashToken(token.key),
    django_user_id: 'id' in token.user ? token.user.id : null,
    django_username: 'username' in token.user ? token.user.username : null,
  };
}

type Collision = {
  django_id: string | number;
  username: string;
  other_id: string | number | null;
  holder: string | null;
};

/**
 * Usernames the same ignoring case, among the imported users or with a user
 * already here (not the same Django user): the lowest Django id keeps the
 * name when nobody here holds it; the others are skipped or renamed
 * `<username>_<django id>` as the rule says. With no rule, nothing is written.
 */
async function resolveCollisions(
  db: Database,
  report: ImportReport,
  options: ImportOptions,
): Promise<void> {
  const collisions = await rows<Collision>(
    db,
    sql`
    select s.django_id, s.username,
      (select min(o.django_id) from django_import_users o
        where o.username_key = s.username_key and o.refused is null and o.django_id <> s.django_id) as other_id,
      (select u.username from users u where u.username_key = s.username_key and not exists (
        select 1 from django_users d join django_import_users o on o.django_id = d.django_id
        where d.user_id = u.id and o.username_key = s.username_key and o.refused is null)) as holder
    from django_import_users s
    where s.refused is null and (
      exists (select 1 from django_import_users o
        where o.username_key = s.username_key and o.refused is null and o.django_id < s.django_id)
      or exists (select 1 from users u where u.username_key = s.username_key and not exists (
        select 1 from django_users d join django_import_users o on o.django_id = d.django_id
        where d.user_id = u.id and o.username_key = s.username_key and o.refused is null)))
    order by s.django_id`,
  );
  if (collisions.length === 0) return;
  const rule = options.collisions;
  for (const c of collisions) {
    const djangoId = Number(c.django_id);
    const other =
      c.holder !== null ? `${JSON.stringify(c.holder)}, a user here` : `Django user #${c.other_id}`;
    const problem = `username collides ignoring case with ${other}`;
    if (rule === undefined) {
      report.problems.push({
        djangoId,
        username: c.username,
        problem,
        todo: 'rename one in Django, or choose --collisions=skip or --collisions=rename',
      });
      continue;
    }
    const renamed = rule === 'rename' ? await freeName(db, c.username, djangoId) : undefined;
    if (renamed) {
      await db
        .update(staged)
        .set({ username: renamed, usernameKey: usernameKey(renamed) })
        .where(sql`${staged.djangoId} = ${djangoId}`);
      report.users.renamed += 1;
      report.problems.push({
        djangoId,
        username: c.username,
        problem,
        todo: `renamed ${renamed}; they can use "Forgot username" to learn it`,
      });
    } else {
      const refused = `${problem}${rule === 'rename' ? `, and ${c.username}_${djangoId} is taken too` : ''}`;
      await db.update(staged).set({ refused }).where(sql`${staged.djangoId} = ${djangoId}`);
      report.problems.push({ djangoId, username: c.username, problem: refused, todo: 'skipped' });
    }
  }
  if (rule === undefined) {
    report.stopped = `${collisions.length === 1 ? '1 username collides' : `${collisions.length} usernames collide`} ignoring case: nothing was written. Rename them in Django, or run again with --collisions=skip or --collisions=rename.`;
  }
}

/** `<username>_<django id>`, cut to fit 150 characters, if nobody has it. */
async function freeName(db: Database, name: string, djangoId: number): Promise<string | undefined> {
  const suffix = `_${djangoId}`;
  const renamed = normalizeUsername(name).slice(0, USERNAME_MAX - suffix.length) + suffix;
  const key = usernameKey(renamed);
  const taken = await count(
    db,
    sql`select (select count(*) from django_import_users where username_key = ${key} and refused is null)
      + (select count(*) from users u where u.username_key = ${key} and not exists (
          select 1 from django_users d where d.user_id = u.id and d.django_id = ${djangoId})) as n`,
  );
  return taken === 0 ? renamed : undefined;
}

/** What the writes will do (or would, in a dry run): the report's counts. */
async function countOutcome(db: Database, report: ImportReport): Promise<void> {
  const [users] = await rows<Record<string, string | number>>(
    db,
    sql`select
      count(*) filter (where s.refused is not null) as skipped,
      count(*) filter (where s.refused is null and d.user_id is null) as created,
      count(*) filter (where s.refused is null and d.user_id is not null) as updated,
      count(*) filter (where s.refused is null and not s.is_active) as inactive,
      count(*) filter (where s.refused is null and s.is_staff) as staff,
      count(*) filter (where s.refused is null and s.is_superuser) as superusers
    from django_import_users s left join django_users d on d.django_id = s.django_id`,
  );
  for (const key of ['skipped', 'created', 'updated', 'inactive', 'staff', 'superusers'] as const) {
    report.users[key] = Number(users?.[key] ?? 0);
  }
  const [tokens] = await rows<Record<string, string | number>>(
    db,
    sql`select
      count(*) filter (where s.django_id is null) as orphans,
      count(*) filter (where s.django_id is not null and d.token_key_hash = t.key_hash) as already
    from django_import_tokens t
    left join django_import_users s on s.refused is null and s.django_id = t.django_user_id
    left join django_users d on d.django_id = s.django_id`,
  );
  const orphans = Number(tokens?.orphans ?? 0);
  report.tokens.notImported += orphans;
  report.tokens.alreadyImported = Number(tokens?.already ?? 0);
  report.tokens.imported =
    report.tokens.read - report.tokens.notImported - report.tokens.alreadyImported;
  if (orphans > 0) {
    report.problems.push({
      djangoId: 0,
      username: '',
      problem: `${orphans} token${orphans === 1 ? '' : 's'} of users not imported`,
      todo: 'not imported',
    });
  }
}

/** Writes the staged users and tokens, one transaction per batch of Django ids. */
async function apply(db: Database, report: ImportReport, options: ImportOptions): Promise<void> {
  const size = options.batchSize ?? 2000;
  const total = report.users.created + report.users.updated;
  const now = options.now;
  let after = -1;
  let done = 0;
  let tokensImported = 0;
  for (;;) {
    const [range] = await rows<{ last: string | number | null; n: string | number }>(
      db,
      sql`select max(django_id) as last, count(*) as n from (
        select django_id from django_import_users where django_id > ${after} and refused is null
        order by django_id limit ${size}) batch`,
    );
    if (!range || range.last === null) break;
    const last = Number(range.last);
    const inBatch = sql`s.refused is null and s.django_id > ${after} and s.django_id <= ${last}`;
    try {
      tokensImported += await db.transaction(async (tx) => {
        await updateUsers(tx as unknown as Database, inBatch, now);
        await createUsers(tx as unknown as Database, inBatch, now);
        return importTokens(tx as unknown as Database, inBatch, now);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new Error(
        `A username of Django ids ${after + 1}–${last} was taken while importing (a signup meanwhile?): run the import again; the batches before were written.`,
        { cause: error },
      );
    }
    after = last;
    const before = done;
    done += Number(range.n);
    if (Math.floor(done / 100_000) > Math.floor(before / 100_000)) {
      options.progress?.(
        `wrote ${done.toLocaleString('en')} of ${total.toLocaleString('en')} users…`,
      );
    }
  }
  report.tokens.imported = tokensImported;
}

/**
 * Users imported before: Django's fields again, but a password set or
 * rehashed here (bcrypt) is kept, as is the unusable mark a reset link is
 * bound to, and a confirmed address stays confirmed.
 */
/** A time as a raw query's parameter (postgres.js takes no Date there). */
const at = (time: Date) => sql`${time.toISOString()}::timestamptz`;

async function updateUsers(tx: Database, inBatch: SQL, time: Date): Promise<void> {
  const now = at(time);
  await tx.execute(sql`
    update users u set
      username = s.username, username_key = s.username_key,
      email_verified_at = case when s.email is null or not s.is_active then null
        when u.email is not distinct from s.email then coalesce(u.email_verified_at, ${now}) else ${now} end,
      email = s.email, is_active = s.is_active, created_at = s.date_joined,
      password_hash = case when u.password_hash like '$2%' then u.password_hash
        when u.password_hash like '!%' and s.password like '!%' then u.password_hash
        else s.password end
    from django_users d join django_import_users s on s.django_id = d.django_id
    where d.user_id = u.id and ${inBatch}`);
  await tx.execute(sql`
    update django_users d set is_staff = s.is_staff, is_superuser = s.is_superuser,
      first_name = s.first_name, last_name = s.last_name, last_login = s.last_login,
      imported_at = ${now}
    from django_import_users s where s.django_id = d.django_id and ${inBatch}`);
}

/**
 * New users, with the Django id that re-runs match on. An active Django
 * user's address counts as confirmed: Djoser's activation is what makes a
 * user active.
 */
async function createUsers(tx: Database, inBatch: SQL, time: Date): Promise<void> {
  const now = at(time);
  const fresh = sql`${inBatch} and not exists (select 1 from django_users d where d.django_id = s.django_id)`;
  await tx.execute(sql`
    insert into users (id, username, username_key, email, email_verified_at, password_hash, is_active, created_at)
    select s.new_id, s.username, s.username_key, s.email,
      case when s.email is not null and s.is_active then ${now} end,
      s.password, s.is_active, s.date_joined
    from django_import_users s where ${fresh}`);
  await tx.execute(sql`
    insert into django_users (user_id, django_id, is_staff, is_superuser, first_name, last_name, last_login, imported_at)
    select s.new_id, s.django_id, s.is_staff, s.is_superuser, s.first_name, s.last_name, s.last_login, ${now}
    from django_import_users s where ${fresh}`);
}

/**
 * DRF tokens, hashed as ours are, for users of the batch: only one not
 * imported before, so a token revoked here stays revoked. Their age counts
 * from the import, so none expires at the cut-over.
 */
async function importTokens(tx: Database, inBatch: SQL, time: Date): Promise<number> {
  const now = at(time);
  const chosen = sql`
    select d.user_id, t.key_hash from django_import_tokens t
    join django_import_users s on s.django_id = t.django_user_id
    join django_users d on d.django_id = s.django_id
    where ${inBatch} and d.token_key_hash is distinct from t.key_hash`;
  const inserted = await rows<{ id: string }>(
    tx,
    sql`insert into tokens (user_id, key_hash, generation, created_at, last_used_at, user_agent)
      select c.user_id, c.key_hash, u.token_generation, ${now}, ${now}, ${DEVICE}
      from (${chosen}) c join users u on u.id = c.user_id
      on conflict (key_hash) do nothing returning id`,
  );
  await tx.execute(sql`
    update django_users d set token_key_hash = c.key_hash from (${chosen}) c where d.user_id = c.user_id`);
  return inserted.length;
}
