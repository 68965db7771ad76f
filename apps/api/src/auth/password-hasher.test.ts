import bcrypt from 'bcrypt';
import { describe, expect, it } from 'vitest';
import type { HashingSlots } from './hashing-slots.ts';
import { createPasswordHasher } from './password-hasher.ts';

const password = 'correct horse battery';

/** Slots that count the hashes they run. */
function countingSlots() {
  const slots: HashingSlots & { runs: number } = {
    runs: 0,
    run(hash) {
      slots.runs += 1;
      return hash();
    },
  };
  return slots;
}

describe('the password hasher', () => {
  it('hashes at the configured cost', async () => {
    const hasher = createPasswordHasher({ cost: 5, slots: countingSlots() });
    expect(bcrypt.getRounds(await hasher.hash(password))).toBe(5);
  });

  // Regression: a user whose hash was made at a lower cost answered in a fraction of the
  // time an unknown name takes, so the two could be told apart.
  it('pads the check of a cheaper hash to the configured cost', async () => {
    const slots = countingSlots();
    const hasher = createPasswordHasher({ cost: 6, slots });
    const current = await hasher.hash(password);
    const atCost = (cost: number) => bcrypt.hash(password, cost);
    const [four, five] = [await atCost(4), await atCost(5)];
    await hasher.matches(password, four); // makes the dummy hashes

    const runsOf = async (stored: string, guess = password) => {
      slots.runs = 0;
      const matched = await hasher.matches(guess, stored);
      return { matched, runs: slots.runs };
    };
    expect(await runsOf(current)).toEqual({ matched: true, runs: 1 });
    // Cost 4: itself, then padding at 4 and 5 (2^4 + 2^4 + 2^5 = 2^6).
    expect(await runsOf(four)).toEqual({ matched: true, runs: 3 });
    expect(await runsOf(four, 'wrong password')).toEqual({ matched: false, runs: 3 });
    // Cost 5: itself, then padding at 5 (2^5 + 2^5 = 2^6).
    expect(await runsOf(five)).toEqual({ matched: true, runs: 2 });
  });

  it('asks for a rehash of hashes made at another cost', async () => {
    const hasher = createPasswordHasher({ cost: 5, slots: countingSlots() });
    expect(hasher.needsRehash(await bcrypt.hash(password, 4))).toBe(true);
    expect(hasher.needsRehash(await bcrypt.hash(password, 6))).toBe(true);
    expect(hasher.needsRehash(await hasher.hash(password))).toBe(false);
  });

  it('refuses a password longer than bcrypt reads, even if its first 72 bytes match', async () => {
    const hasher = createPasswordHasher({ cost: 4, slots: countingSlots() });
    const long = 'x'.repeat(72);
    const stored = await hasher.hash(long);
    expect(await hasher.matches(long, stored)).toBe(true);
    expect(await hasher.matches(`${long}extra`, stored)).toBe(false);
  });
});
