import { type Database, knownNetworks, users } from '@tokenauth/db';
import { and, eq, gt, sql } from 'drizzle-orm';
import { deleteInBatches } from '../delete-in-batches.ts';
import { sqlTime } from '../sql-rows.ts';

/** Records that the user just logged in from `network` (an ipLimitKey). */
export async function rememberNetwork(
  db: Database,
  userId: string,
  network: string,
  now: Date,
): Promise<void> {
  await db
    .insert(knownNetworks)
    .values({ userId, network, lastLoginAt: now })
    .onConflictDoUpdate({
      target: [knownNetworks.userId, knownNetworks.network],
      set: { lastLoginAt: now },
    });
}

/** Whether the user with this username key logged in from `network` since `since`. */
export async function isKnownNetwork(
  db: Database,
  usernameKey: string,
  network: string,
  since: Date,
): Promise<boolean> {
  const [row] = await db
    .select({ network: knownNetworks.network })
    .from(knownNetworks)
    .innerJoin(users, eq(users.id, knownNetworks.userId))
    .where(
      and(
        eq(users.usernameKey, usernameKey),
        eq(knownNetworks.network, network),
        gt(knownNetworks.lastLoginAt, since),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Forgets networks not logged in from since `before`; returns how many. */
export async function forgetNetworks(db: Database, before: Date): Promise<number> {
  return deleteInBatches(
    db,
    knownNetworks,
    sql`${knownNetworks.lastLoginAt} <= ${sqlTime(before)}`,
    knownNetworks.lastLoginAt,
  );
}
