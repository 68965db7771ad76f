import { createHash } from 'node:crypto';
import postgres from 'postgres';

/** Users made per statement: each a few seconds, so progress shows. */
const CHUNK = 100_000;

export type ScaleShape = {
  users: number;
  /** Tokens per user; the last of each user's is expired (idle for 20 days). */
  tokensPerUser: number;
};

/**
 * The API token of user `user` (1-based) numbered `n`: derived, so that the
 * load generator can present any of millions without a list of them. The
 * database holds its SHA-256, as it holds any token's.
 */
export const scaleToken = (user: number, n: number) =>
  createHash('sha256').update(`scale:scale_${user}:${n}`).digest('base64url');

/**
 * Fills a migrated, empty database as years of use would: `shape.users`
 * users (one bcrypt hash for all: logins cost the same), each with a known
 * network and `tokensPerUser` tokens from other devices, one of them idle
 * past TOKEN_IDLE_TIMEOUT (14 days) for the purge. Set-based, with
 * generate_series, a chunk of users per statement, and as a bulk load is
 * done (pg_restore does the same): the indexes and constraints the rows
 * would update one by one are dropped first and built once at the end. Then
 * VACUUM ANALYZE, as autovacuum would have done on a database that grew over
 * time, and a CHECKPOINT.
 */
export async function seedScale(
  url: string,
  shape: ScaleShape,
  passwordHash: string,
  progress: (done: number) => void = () => {},
): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rebuild = await dropIndexes(sql, ['users', 'tokens', 'known_networks']);
    for (let from = 1; from <= shape.users; from += CHUNK) {
      const to = Math.min(shape.users, from + CHUNK - 1);
      // The key in SQL is scaleToken's: base64url of SHA-256, then stored as its hex SHA-256.
      await sql`
        with made as (
          insert into users (username, username_key, email, password_hash, created_at)
          select 'scale_' || i, 'scale_' || i, 'scale_' || i || '@example.com', ${passwordHash},
            now() - (i % 365) * interval '1 day'
          from generate_series(${from}::int, ${to}::int) i
          returning id, username
        ), networks as (
          insert into known_networks (user_id, network, last_login_at)
          select id, '198.51.' || (abs(hashtext(username)) % 250) || '.' || (abs(hashtext(username || 'n')) % 250), now()
          from made
        )
        insert into tokens (user_id, key_hash, created_at, last_used_at, user_agent, ip)
        select made.id,
          encode(sha256(convert_to(translate(rtrim(encode(
            sha256(convert_to('scale:' || made.username || ':' || n, 'UTF8')), 'base64'), '='),
            '+/', '-_'), 'UTF8')), 'hex'),
          now() - n * interval '5 days',
          case when n = ${shape.tokensPerUser}::int then now() - interval '20 days'
               else now() - interval '10 minutes' end,
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
          '203.0.113.' || n
        from made cross join generate_series(1, ${shape.tokensPerUser}::int) n`;
      progress(to);
    }
    await sql`set maintenance_work_mem = '512MB'`;
    for (const statement of rebuild) await sql.unsafe(statement);
    await sql`vacuum analyze users, tokens, known_networks`;
    // The bulk load's gigabytes of WAL are flushed now, not by a checkpoint
    // spread over the minutes measured next (superuser or pg_checkpoint).
    await sql`checkpoint`;
  } finally {
    await sql.end();
  }
}

/**
 * Drops the indexes and constraints of `tables` but the users' primary key
 * (which the others' foreign keys need); returns the statements that make
 * them again, in an order that works (keys before the foreign keys on them).
 */
async function dropIndexes(sql: postgres.Sql, tables: string[]): Promise<string[]> {
  const constraints = await sql<Array<{ table: string; name: string; def: string; type: string }>>`
    select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as def,
      contype as type
    from pg_constraint
    where conrelid::regclass::text = any(${tables}) and contype in ('p', 'u', 'f')
      and not (conrelid::regclass::text = 'users' and contype = 'p')`;
  const indexes = await sql<Array<{ name: string; def: string }>>`
    select indexname as name, indexdef as def from pg_indexes
    where schemaname = current_schema() and tablename = any(${tables})
      and indexname not in (select conname from pg_constraint)`;
  const foreignFirst = [...constraints].sort(
    (a, b) => Number(b.type === 'f') - Number(a.type === 'f'),
  );
  for (const c of foreignFirst)
    await sql.unsafe(`alter table ${c.table} drop constraint "${c.name}"`);
  for (const index of indexes) await sql.unsafe(`drop index "${index.name}"`);
  return [
    ...indexes.map((index) => index.def),
    ...[...foreignFirst]
      .reverse()
      .map((c) => `alter table ${c.table} add constraint "${c.name}" ${c.def}`),
  ];
}

export type Relation = { name: string; table: string; kind: 'table' | 'index'; bytes: number };

/** Every table of the schema and each of its indexes, with their sizes on disk. */
export async function relationSizes(url: string): Promise<Relation[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<Array<{ name: string; table: string; kind: string; bytes: string }>>`
      select c.relname as name, coalesce(t.relname, c.relname) as table,
        case c.relkind when 'i' then 'index' else 'table' end as kind,
        -- A table's own size includes its TOAST; its indexes are listed apart.
        pg_table_size(c.oid) as bytes
      from pg_class c
      join pg_namespace ns on ns.oid = c.relnamespace
      left join pg_index i on i.indexrelid = c.oid
      left join pg_class t on t.oid = i.indrelid
      where ns.nspname = current_schema() and c.relkind in ('r', 'i')
      order by coalesce(t.relname, c.relname), c.relkind desc, c.relname`;
    return rows.map((row) => ({
      name: row.name,
      table: row.table,
      kind: row.kind as Relation['kind'],
      bytes: Number(row.bytes),
    }));
  } finally {
    await sql.end();
  }
}

/** Exact row counts of the tables that grow with users. */
export async function rowCounts(url: string): Promise<Record<string, number>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<[Record<string, string>]>`
      select (select count(*) from users) as users, (select count(*) from tokens) as tokens,
        (select count(*) from known_networks) as known_networks,
        (select count(*) from rate_limits) as rate_limits`;
    return Object.fromEntries(Object.entries(row).map(([name, count]) => [name, Number(count)]));
  } finally {
    await sql.end();
  }
}
