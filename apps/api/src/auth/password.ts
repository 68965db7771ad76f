import bcrypt from 'bcrypt';
import { env } from '../env.ts';

// bcrypt's async functions run on libuv's thread pool, never on the event loop.

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, env.BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of a real password check and fails. Used when there is no
 * user to check against, so that "no such user" and "wrong password" take
 * the same time and a client cannot tell which usernames exist.
 */
export async function rejectAfterPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword('not the password of anybody');
  await bcrypt.compare(password, await dummyHash);
  return false;
}

/** Computes the dummy hash ahead of the first login, so that one is not slower. */
export async function warmUpPasswordHashing(): Promise<void> {
  dummyHash ??= hashPassword('not the password of anybody');
  await dummyHash;
}
