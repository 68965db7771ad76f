import type { Database, User } from '@tokenauth/db';
import type { SignupInput } from './inputs.ts';
import { rememberNetwork } from './known-networks.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { createToken, type TokenOrigin } from './token.ts';
import { insertUser, isUsernameTaken, type PublicUser, toPublicUser } from './user.ts';

type UsernameTaken = { ok: false; error: 'usernameTaken' };

/** Where a signup comes from: the network is remembered as one the user logs in from. */
type Arrival = { now: Date; network?: string | undefined };

/** Inserts the user and, in the same transaction, remembers the network they came from. */
async function insertArrival(
  tx: Database,
  input: SignupInput,
  passwordHash: string,
  { now, network }: Arrival,
): Promise<User> {
  const user = await insertUser(tx, { ...input, passwordHash, createdAt: now });
  if (network !== undefined) await rememberNetwork(tx, user.id, network, now);
  return user;
}

/**
 * Creates the user and their first token in one transaction. A taken
 * username is decided by the unique index, so two racing signups cannot
 * both win.
 */
export async function signup(
  { db, hasher, signal }: { db: Database; hasher: PasswordHasher; signal?: AbortSignal },
  input: SignupInput,
  origin: TokenOrigin & { network?: string | undefined },
): Promise<{ ok: true; token: string; user: PublicUser } | UsernameTaken> {
  const passwordHash = await hasher.hash(input.password, signal);
  return unlessUsernameTaken(() =>
    db.transaction(async (tx) => {
      const user = await insertArrival(tx, input, passwordHash, origin);
      const token = await createToken(tx, user, origin);
      return { ok: true as const, token, user: toPublicUser(user) };
    }),
  );
}

/** Creates a user without a token: for operators (`pnpm cli createuser`) and Djoser's `users/`. */
export async function createUser(
  { db, hasher, signal }: { db: Database; hasher: PasswordHasher; signal?: AbortSignal },
  input: SignupInput,
  arrival: Arrival,
): Promise<{ ok: true; user: PublicUser } | UsernameTaken> {
  const passwordHash = await hasher.hash(input.password, signal);
  return unlessUsernameTaken(() =>
    db.transaction(async (tx) => {
      const user = await insertArrival(tx, input, passwordHash, arrival);
      return { ok: true as const, user: toPublicUser(user) };
    }),
  );
}

async function unlessUsernameTaken<T>(write: () => Promise<T>): Promise<T | UsernameTaken> {
  try {
    return await write();
  } catch (error) {
    if (isUsernameTaken(error)) return { ok: false, error: 'usernameTaken' };
    throw error;
  }
}
