import { type Database, knownNetworks, users } from '@tokenauth/db';
import { and, eq, gt, lte } from 'drizzle-orm';

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
  const deleted = await db
    .delete(knownNetworks)
    .where(lte(knownNetworks.lastLoginAt, before))
    .returning({ network: knownNetworks.network });
  return deleted.length;
}
