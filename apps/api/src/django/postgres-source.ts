import postgres from 'postgres';
import {
  type DjangoRecord,
  type DjangoSource,
  djangoId,
  SourceError,
  type SourceOptions,
  toDate,
} from './django-source.ts';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;
const REQUIRED = ['id', 'username', 'password'];
const OPTIONAL = [
  'email',
  'is_active',
  'is_staff',
  'is_superuser',
  'first_name',
  'last_name',
  'date_joined',
  'last_login',
];
const BATCH = 2000;

/** The URL as the report shows it: without its password. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * Reads Django's tables over a connection that cannot write (every
 * transaction read only), through a server-side cursor: a million rows never
 * sit in memory at once.
 */
export async function openPostgresSource(
  url: string,
  options: SourceOptions,
): Promise<DjangoSource> {
  const table = options.userTable ?? 'auth_user';
  if (!IDENTIFIER.test(table)) throw new SourceError(`Not a table name: ${table}`);
  const name = maskUrl(url);
  let sql: postgres.Sql | undefined;
  try {
    sql = postgres(url, {
      max: 1,
      connect_timeout: 10,
      onnotice: () => {},
      connection: { default_transaction_read_only: true, application_name: 'import-django' },
    });
    const columns = await columnsOf(sql, table);
    if (columns.size === 0) throw new SourceError(`${name} has no table ${table}.`);
    const missing = REQUIRED.filter((c) => !columns.has(c));
    if (missing.length > 0) {
      throw new SourceError(
        `${table} has no ${missing.join(', ')} column: not a Django user table.`,
      );
    }
    const hasTokens = options.tokens && (await columnsOf(sql, 'authtoken_token')).has('key');
    if (options.tokens && !hasTokens) {
      throw new SourceError(
        `${name} has no authtoken_token table (is rest_framework.authtoken installed?); use --no-tokens to import users only.`,
      );
    }
    // Times as text: a naive `timestamp` (USE_TZ = False) then reads as UTC
    // (toDate), not in this machine's time zone.
    const select = [...REQUIRED, ...OPTIONAL.filter((c) => columns.has(c))]
      .map((c) => (c === 'date_joined' || c === 'last_login' ? `${c}::text as ${c}` : c))
      .join(', ');
    const open = sql;
    return {
      name,
      records: () => readRecords(open, name, select, table, hasTokens),
      close: () => open.end(),
    };
  } catch (error) {
    await sql?.end();
    if (error instanceof SourceError) throw error;
    throw new SourceError(`Cannot read ${name}: ${(error as Error).message}`);
  }
}

/**
 * Users, then tokens, from one snapshot (a repeatable-read transaction), so
 * that a token is never read without its user.
 */
async function* readRecords(
  sql: postgres.Sql,
  name: string,
  select: string,
  table: string,
  hasTokens: boolean,
): AsyncIterable<DjangoRecord> {
  let reserved: postgres.ReservedSql | undefined;
  try {
    reserved = await sql.reserve();
    await reserved.unsafe('begin isolation level repeatable read read only');
    const quoted = table
      .split('.')
      .map((part) => `"${part}"`)
      .join('.');
    for await (const rows of reserved
      .unsafe(`select ${select} from ${quoted} order by id`)
      .cursor(BATCH)) {
      for (const row of rows) {
        yield {
          type: 'user',
          id: djangoId(row.id),
          username: String(row.username),
          password: String(row.password ?? ''),
          email: String(row.email ?? ''),
          isActive: row.is_active ?? true,
          isStaff: row.is_staff ?? false,
          isSuperuser: row.is_superuser ?? false,
          firstName: String(row.first_name ?? ''),
          lastName: String(row.last_name ?? ''),
          dateJoined: toDate(row.date_joined) ?? new Date(),
          lastLogin: toDate(row.last_login),
        };
      }
    }
    if (hasTokens) {
      for await (const rows of reserved
        .unsafe('select key, user_id from authtoken_token')
        .cursor(BATCH)) {
        for (const row of rows) {
          yield { type: 'token', key: String(row.key), user: { id: djangoId(row.user_id) } };
        }
      }
    }
    await reserved.unsafe('commit');
  } catch (error) {
    // Permission denied, a connection lost midway: said as such.
    if (error instanceof SourceError) throw error;
    throw new SourceError(`Cannot read ${name}: ${(error as Error).message}`);
  } finally {
    reserved?.release();
  }
}

async function columnsOf(sql: postgres.Sql, table: string): Promise<Set<string>> {
  const [schema, bare] = table.includes('.') ? table.split('.') : [null, table];
  const rows = await sql<{ column_name: string }[]>`
    select column_name from information_schema.columns
    where table_name = ${bare ?? ''} and table_schema = coalesce(${schema}, current_schema())`;
  return new Set(rows.map((r) => r.column_name));
}
