import bcrypt from 'bcrypt';
import { env } from '../env.ts';
import { defaultHashingSlots, type HashingSlots } from './hashing-slots.ts';

// bcrypt's async functions run on libuv's thread pool, never on the event
// loop; the slots keep a core for the event loop while it is busy.
let slots: HashingSlots | undefined;
const hashing = <T>(hash: () => Promise<T>): Promise<T> => {
  slots ??= defaultHashingSlots();
  return slots.run(hash);
};

/** bcrypt reads at most 72 bytes; longer passwords are refused, never truncated. */
export const PASSWORD_MAX_BYTES = 72;

/**
 * The salt is made here (16 random bytes: microseconds) rather than by
 * `bcrypt.hash(password, cost)`, which would queue a second job on the thread
 * pool behind the hashes already waiting there.
 */
export function hashPassword(password: string): Promise<string> {
  return hashing(() => bcrypt.hash(password, bcrypt.genSaltSync(env.BCRYPT_COST)));
}

/**
 * Whether `password` is the one `hash` was made from. bcrypt compares only the
 * first 72 bytes, so "<the password>extra" would pass; no longer password was
 * ever accepted, so a longer one is wrong (and still costs a comparison).
 */
export async function passwordMatches(password: string, hash: string): Promise<boolean> {
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return rejectAfterPasswordCheck(password);
  }
  return hashing(() => bcrypt.compare(password, hash));
}

const DUMMY_PASSWORD = 'not the password of anybody';
let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of a real password check and fails. Used when there is no
 * user to check against, so that "no such user" and "wrong password" take
 * the same time and a client cannot tell which usernames exist.
 */
export async function rejectAfterPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword(DUMMY_PASSWORD);
  const hash = await dummyHash;
  await hashing(() => bcrypt.compare(password, hash));
  return false;
}

/** Computes the dummy hash ahead of the first login, so that one is not slower. */
export async function warmUpPasswordHashing(): Promise<void> {
  dummyHash ??= hashPassword(DUMMY_PASSWORD);
  await dummyHash;
}
