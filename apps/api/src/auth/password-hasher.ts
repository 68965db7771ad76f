import bcrypt from 'bcrypt';
import { checkDjangoPassword, readDjangoHash } from './django-hashes.ts';
import type { HashingSlots } from './hashing-slots.ts';

/** bcrypt reads at most 72 bytes; longer passwords are refused, never truncated. */
export const PASSWORD_MAX_BYTES = 72;

export type PasswordHasher = {
  /**
   * A new bcrypt hash of `password` at the configured cost. Every method
   * takes the request's `signal`: if the client is gone before the hash
   * starts, it is not started (ClientGone).
   */
  hash(password: string, signal?: AbortSignal): Promise<string>;
  /**
   * Whether `password` is the one `hash` was made from. bcrypt compares only
   * the first 72 bytes, so "<the password>extra" would pass; no longer
   * password was ever accepted, so a longer one is wrong (and still costs a
   * comparison). `hash` may also be a Django hash (users imported from
   * Django: django-hashes.ts), checked as Django checks it.
   */
  matches(password: string, hash: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * Spends the time of a real password check and fails. Used when there is
   * no user to check against, so that "no such user" and "wrong password"
   * take the same time and a client cannot tell which usernames exist.
   */
  rejectAfterCheck(password: string, signal?: AbortSignal): Promise<false>;
  /**
   * Whether `hash` is not a bcrypt hash at the configured cost (another cost,
   * or Django's): rehash on next login, if bcrypt can take the password.
   */
  needsRehash(hash: string): boolean;
  /**
   * Computes the dummy hash ahead of the first login, so that one is not
   * slower, and times a check (what a Django hash's check is padded to).
   */
  warmUp(): Promise<void>;
};

const DUMMY_PASSWORD = 'not the password of anybody';

/**
 * bcrypt's async functions run on libuv's thread pool, never on the event
 * loop; the slots keep a core for the event loop while it is busy.
 */
export function createPasswordHasher(options: {
  cost: number;
  slots: HashingSlots;
}): PasswordHasher {
  const { cost, slots } = options;
  // The salt is made here (16 random bytes: microseconds) rather than by
  // `bcrypt.hash(password, cost)`, which would queue a second job on the
  // thread pool behind the hashes already waiting there.
  const hash = (password: string, signal?: AbortSignal) =>
    slots.run(() => bcrypt.hash(password, bcrypt.genSaltSync(cost)), signal);
  /** Hashes of a password nobody has, one per cost, made when first needed. */
  const dummies = new Map<number, Promise<string>>();
  function dummyAt(dummyCost: number): Promise<string> {
    let dummy = dummies.get(dummyCost);
    if (!dummy) {
      dummy = slots.run(() => bcrypt.hash(DUMMY_PASSWORD, bcrypt.genSaltSync(dummyCost)));
      dummies.set(dummyCost, dummy);
    }
    return dummy;
  }
  /**
   * How long a check at the configured cost takes on a helper thread here
   * (slot wait excluded): a moving average of the checks made, first
   * measured by warmUp.
   */
  let checkMs: number | undefined;
  async function timedCompare(password: string, stored: string): Promise<boolean> {
    const started = performance.now();
    const matched = await bcrypt.compare(password, stored);
    const took = performance.now() - started;
    if (costOf(stored) === cost)
      checkMs = checkMs === undefined ? took : 0.8 * checkMs + 0.2 * took;
    return matched;
  }
  async function compareDummy(password: string, dummyCost: number, signal?: AbortSignal) {
    const dummy = await dummyAt(dummyCost);
    await slots.run(() => timedCompare(password, dummy), signal);
  }

  async function rejectAfterCheck(password: string, signal?: AbortSignal): Promise<false> {
    await compareDummy(password, cost, signal);
    return false;
  }

  /** bcrypt's cost, from the hash itself; 0 for anything that is not a bcrypt hash. */
  const costOf = (stored: string) => {
    try {
      return bcrypt.getRounds(stored);
    } catch {
      return 0;
    }
  };

  /**
   * A Django hash costs its own time, not bcrypt's: the answer waits until
   * a bcrypt check would have answered (the slot freed meanwhile), so a
   * wrong password for an imported user takes as long as for anyone else,
   * however many helper threads there are (longer only where Django was set
   * to cost more than bcrypt does here).
   */
  async function matchesDjango(password: string, stored: string, signal?: AbortSignal) {
    const reading = readDjangoHash(stored);
    if (!reading.ok) return rejectAfterCheck(password, signal);
    let took = 0;
    const matched = await slots.run(async () => {
      const started = performance.now();
      const result = await checkDjangoPassword(password, reading.hash);
      took = performance.now() - started;
      return result;
    }, signal);
    const short = (checkMs ?? 0) - took;
    if (short > 0) await new Promise((resolve) => setTimeout(resolve, short));
    return matched;
  }

  return {
    hash,
    async matches(password, stored, signal) {
      if (!stored.startsWith('$2')) return matchesDjango(password, stored, signal);
      if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
        return rejectAfterCheck(password, signal);
      }
      const matched = await slots.run(() => timedCompare(password, stored), signal);
      // A hash made at a lower cost (before BCRYPT_COST rose) answers faster,
      // which would tell its users apart from unknown names: pad the check
      // to the configured cost, as Django's harden_runtime does. Checks at
      // costs c, c+1 … cost−1 take 2^c + … + 2^(cost−1) = 2^cost − 2^c:
      // with the check at c itself, exactly one check at the configured cost.
      const storedCost = costOf(stored);
      for (let padding = Math.max(storedCost, 4); padding < cost; padding += 1) {
        await compareDummy(password, padding, signal);
      }
      return matched;
    },
    rejectAfterCheck,
    needsRehash: (stored) => costOf(stored) !== cost,
    async warmUp() {
      await compareDummy(DUMMY_PASSWORD, cost); // makes the dummy, and times a check
    },
  };
}
