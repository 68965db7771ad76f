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
  const sql = postgres(url, {
    max: 1,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { default_transaction_read_only: true, application_name: 'import-django' },
  });
  const name = maskUrl(url);
  try {
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
    const present = [...REQUIRED, ...OPTIONAL.filter((c) => columns.has(c))];
    return {
      name,
      async *records(): AsyncIterable<DjangoRecord> {
        const users = sql`select ${sql(present)} from ${sql(table)} order by id`.cursor(BATCH);
        for await (const rows of users) {
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
        if (!hasTokens) return;
        for await (const rows of sql`select key, user_id from authtoken_token`.cursor(BATCH)) {
          for (const row of rows) {
            yield { type: 'token', key: String(row.key), user: { id: djangoId(row.user_id) } };
          }
        }
      },
      close: () => sql.end(),
    };
  } catch (error) {
    await sql.end();
    if (error instanceof SourceError) throw error;
    throw new SourceError(`Cannot read ${name}: ${(error as Error).message}`);
  }
}

async function columnsOf(sql: postgres.Sql, table: string): Promise<Set<string>> {
  const [schema, bare] = table.includes('.') ? table.split('.') : [null, table];
  const rows = await sql<{ column_name: string }[]>`
    select column_name from information_schema.columns
    where table_name = ${bare ?? ''} and table_schema = coalesce(${schema}, current_schema())`;
  return new Set(rows.map((r) => r.column_name));
}
