import type { Database } from '@tokenauth/db';
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { sqlRows } from './sql-rows.ts';

/** Rows per statement: each batch is a transaction of its own, over in milliseconds. */
const DELETE_BATCH = 5000;

/**
 * Deletes the rows of `table` that match `where`, `batch` at a time, each
 * batch a statement (a transaction) of its own: a purge of a million rows
 * never holds a million row locks, or one huge transaction, and a request
 * that needs one of those rows waits for one batch at most. Rows that
 * another session holds are skipped, left for the next purge (so two
 * processes purging at once share the work instead of queueing).
 *
 * `orderBy`, the column of an index that `where` bounds, makes each batch a
 * range scan of that index that stops after `batch` rows; without it each
 * batch scans the table until it has found them, which is fine for small
 * tables only. Returns how many rows were deleted; stops at the first empty
 * batch (a short one can mean rows skipped or changed meanwhile, not the end).
 */
export async function deleteInBatches(
  db: Database,
  table: PgTable,
  where: SQL,
  orderBy?: PgColumn,
  batch = DELETE_BATCH,
): Promise<number> {
  const order = orderBy ? sql`order by ${orderBy}` : sql``;
  let total = 0;
  for (;;) {
    // By ctid, the row's physical address: any table, whatever its key.
    const [deleted] = await sqlRows<{ count: number }>(
      db,
      sql`with doomed as (
            delete from ${table} where ctid = any(array(
              select ctid from ${table} where ${where} ${order}
              limit ${batch} for update skip locked))
            returning 1)
          select count(*)::int as count from doomed`,
    );
    const count = deleted?.count ?? 0;
    total += count;
    if (count === 0) return total;
  }
}
