import type { Db } from './client.ts';

/** Runs one SQL statement with its parameters; each row is an array of column values. */
export type PreparedRows = (params: readonly string[]) => Promise<unknown[][]>;

/**
 * A statement for a query on the hot path: drizzle writes the SQL once
 * (`query.toSQL()`), and each call runs it as a prepared statement straight
 * on the driver, skipping drizzle's per-call session and row mapping. Rows
 * come back as arrays in the order the query selects, so a query may select
 * two columns of the same name; the caller maps them. Timestamps arrive as
 * text on postgres.js (drizzle sets its parsers so) and as Dates on PGlite.
 */
export function prepareRows(handle: Db, query: { toSQL(): { sql: string } }): PreparedRows {
  const text = query.toSQL().sql;
  if (handle.driver === 'postgres') {
    const sql = handle.sql;
    return (params) => sql.unsafe(text, params as string[], { prepare: true }).values();
  }
  const pglite = handle.pglite;
  return async (params) =>
    (await pglite.query<unknown[]>(text, params as string[], { rowMode: 'array' })).rows;
}
