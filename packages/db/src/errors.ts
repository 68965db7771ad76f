/**
 * True when `error` (or anything in its `cause` chain, as drizzle wraps driver
 * errors) is PostgreSQL's unique_violation, optionally on one index. Works for
 * postgres.js (`constraint_name`) and PGlite (`constraint`).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const fields = e as Error & { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (fields.code === '23505') {
      return (
        constraint === undefined ||
        fields.constraint_name === constraint ||
        fields.constraint === constraint
      );
    }
  }
  return false;
}

/** Connection failures of postgres.js and Node's sockets. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/** SQLSTATEs that mean "the server is not there for you right now". */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * True when `error` (or its cause chain) says the database could not be
 * reached, rather than that a query was wrong: worth a 503, not a 500.
 */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string') {
      if (CONNECTION_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
      if (code.startsWith('08')) return true; // connection_exception class
    }
    if (/PGlite is closed/i.test(e.message)) return true;
    if (e instanceof AggregateError && e.errors.some(isConnectionError)) return true;
  }
  return false;
}

/** True when `error` (or its cause chain) is PostgreSQL's foreign_key_violation. */
export function isForeignKeyViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as Error & { code?: unknown }).code === '23503') return true;
  }
  return false;
}

/**
 * True when `error` (or its cause chain) is PostgreSQL's undefined_table or
 * undefined_column: the database is behind the code (migrations not run).
 */
export function isSchemaBehind(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as Error & { code?: unknown }).code;
    if (code === '42P01' || code === '42703') return true;
  }
  return false;
}

/** True when `error` (or its cause chain) is PostgreSQL's duplicate_table: a table created twice. */
export function isDuplicateTable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as Error & { code?: unknown }).code === '42P07') return true;
  }
  return false;
}
