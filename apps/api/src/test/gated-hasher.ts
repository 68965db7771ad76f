import type { PasswordHasher } from '../auth/password-hasher.ts';

/**
 * A real hasher whose first `hold` password checks wait, after bcrypt has
 * answered, until the test calls `release()`: a login or account change
 * held at the point where it has read the user and checked the password,
 * so a test can run something else in between. Later checks pass straight.
 */
export function gatedHasher(real: PasswordHasher, hold = 1) {
  let waiting = 0;
  let arrive: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const hasher: PasswordHasher = {
    ...real,
    async matches(password, hash) {
      const result = await real.matches(password, hash);
      if (waiting < hold) {
        waiting += 1;
        if (waiting === hold) arrive();
        await released;
      }
      return result;
    },
  };
  /** `arrived` resolves once `hold` checks are waiting. */
  return { hasher, arrived, release };
}
