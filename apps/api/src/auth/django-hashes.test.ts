import { describe, expect, it } from 'vitest';
import { checkDjangoPassword, readDjangoHash } from './django-hashes.ts';
import { createHashingSlots, type HashingSlots } from './hashing-slots.ts';
import { createPasswordHasher } from './password-hasher.ts';

// Made by Debian's Django 3.2 (make_password, and hashlib.scrypt in Django
// 4.0's format for scrypt, which 3.2 lacks), all of this one password.
const PASSWORD = 'lètmein 🔑';
const SUPPORTED = {
  pbkdf2_sha256: 'pbkdf2_sha256$260000$seasalt$oB7wps1nEGhz6W0ycnF3t6H4s1dlTQJi9EJrTjMaQmI=',
  'pbkdf2_sha256 (1 iteration)':
    'pbkdf2_sha256$1$seasalt$Y0YdB/iKtgqDg6kRfSt25fEKFgF1krSnb44NF/PI3RA=',
  pbkdf2_sha1: 'pbkdf2_sha1$260000$seasalt$u/HfIC0YUjrP/EVQp6W0nWAlHWo=',
  'argon2 (argon2id)':
    'argon2$argon2id$v=19$m=102400,t=2,p=8$c2Vhc2FsdHNlYXNhbHQ$NIVkBGzpls6VqRzI50oKbQ',
  'argon2 (argon2i)':
    'argon2$argon2i$v=19$m=512,t=2,p=2$bY7lR9kDiwFycKiKiZJ15Q$8lHg9FsoL3Q3ctC45vk65w',
  bcrypt_sha256: 'bcrypt_sha256$$2b$04$oy43R0aN0HwZtDBoth.LxOW9kJfnNHifGsSFPcpn1k9GoQ.teSn/C',
  bcrypt: 'bcrypt$$2b$04$b4ix9SnIhkQgj.bW/57r5.1Wjzd/ZegvPuFw6vX36DK/YZw8gJj/O',
  scrypt:
    'scrypt$16384$seasalt$8$1$T85GCIOxaVAkprPP8xPJY4SloDK+VDDTkrvq6DPehBfw65DV7mYn8iL52se5WYsAvzlluttiKsN90AW/b0Rylw==',
};

describe("Django's password hashes", () => {
  for (const [name, encoded] of Object.entries(SUPPORTED)) {
    it(`checks ${name} as Django does`, async () => {
      const reading = readDjangoHash(encoded);
      if (!reading.ok) throw new Error(`not read: ${reading.reason}`);
      expect(await checkDjangoPassword(PASSWORD, reading.hash)).toBe(true);
      expect(await checkDjangoPassword(`${PASSWORD} `, reading.hash)).toBe(false);
      expect(await checkDjangoPassword('', reading.hash)).toBe(false);
    });
  }

  it('refuses the legacy hashers, as unsafe to keep', () => {
    const legacy = {
      md5: 'md5$seasalt$557b55cc7cc6ea51137b3152d8e512e1',
      sha1: 'sha1$seasalt$158b942948b6707828a8358bbddeb4a59ee0799a',
      unsalted_md5: 'bc855c15e9fb9ce5d6c9267d7d49af59',
      unsalted_sha1: 'sha1$$e16b611f35a58bc0afb63d4507b84de73d14cc3e',
      crypt: 'crypt$$ab1234567890',
    };
    for (const [algorithm, encoded] of Object.entries(legacy)) {
      expect(readDjangoHash(encoded)).toEqual({ ok: false, algorithm, reason: 'legacy' });
    }
    expect(readDjangoHash('md5$$bc855c15e9fb9ce5d6c9267d7d49af59')).toMatchObject({
      algorithm: 'unsalted_md5',
    });
  });

  it('tells unusable, unknown and malformed hashes apart', () => {
    expect(readDjangoHash('!WjnpE3BjpeR6RnWOhd4tEge1JqcUsFVD9oMMKJqv')).toMatchObject({
      reason: 'unusable',
    });
    expect(readDjangoHash('')).toMatchObject({ reason: 'unusable' });
    expect(readDjangoHash('whirlpool$1$salt$abc')).toMatchObject({
      algorithm: 'whirlpool',
      reason: 'unknown',
    });
    const malformed: string[] = [
      'pbkdf2_sha256$many$seasalt$oB7wps1nEGhz6W0ycnF3t6H4s1dlTQJi9EJrTjMaQmI=',
      'pbkdf2_sha256$0$seasalt$oB7wps1nEGhz6W0ycnF3t6H4s1dlTQJi9EJrTjMaQmI=',
      'pbkdf2_sha256$260000$$oB7wps1nEGhz6W0ycnF3t6H4s1dlTQJi9EJrTjMaQmI=',
      'pbkdf2_sha256$999999999999$seasalt$oB7wps1nEGhz6W0ycnF3t6H4s1dlTQJi9EJrTjMaQmI=',
      'bcrypt$$2b$04$short',
      'argon2$argon2id$v=19$m=99999999,t=2,p=8$c2Vhc2FsdA$NIVkBGzpls6VqRzI50oKbQ',
      'scrypt$1000$seasalt$8$1$T85GCIOxaVAkprPP8xPJY4SloDK+VDDTkrvq6DPehBfw65DV7mYn8iL52se5WYsA',
    ];
    // Work no Django default asks, which would stall logins, or parameters
    // the libraries refuse (a server error at login, not a wrong password).
    malformed.push(
      SUPPORTED.bcrypt.replace('$04$', '$31$'),
      SUPPORTED.bcrypt.replace('$04$', '$03$'),
      SUPPORTED['argon2 (argon2id)'].replace('t=2', 't=0'),
      SUPPORTED['argon2 (argon2id)'].replace('t=2', 't=200'),
      SUPPORTED['argon2 (argon2id)'].replace('m=102400', 'm=8'),
      SUPPORTED['argon2 (argon2id)'].replace('argon2id', 'argon2d'),
      SUPPORTED.scrypt.replace('$16384$', '$1$'),
    );
    for (const encoded of malformed) {
      expect(readDjangoHash(encoded), encoded).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  // Regression: a digest that decodes to nothing made an empty key, which
  // equals an empty key, so any password matched; a truncated one matched
  // as a prefix of the real one.
  it('never reads an empty or truncated digest as a hash', () => {
    const truncated = SUPPORTED.pbkdf2_sha256.replace(/\$[^$]+$/, '$oB7wps1nEGhz6W0ycnF3tw==');
    for (const encoded of [
      'pbkdf2_sha256$1$salt$A',
      'pbkdf2_sha256$1$salt$AAAA',
      'scrypt$16384$s$8$1$AA==',
      truncated,
    ]) {
      expect(readDjangoHash(encoded), encoded).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });
});

describe('the password hasher with Django hashes', () => {
  /** Slots that count the hashes run through them. */
  function countingSlots(): HashingSlots & { runs: number } {
    const slots = createHashingSlots({ max: 4, whenBusy: 4, isBusy: () => false });
    const counting = {
      runs: 0,
      run: <T>(hash: () => Promise<T>, signal?: AbortSignal) => {
        counting.runs += 1;
        return slots.run(hash, signal);
      },
    };
    return counting;
  }

  it('checks a Django hash within the hashing slots, and answers no sooner than a bcrypt check', async () => {
    const slots = countingSlots();
    const hasher = createPasswordHasher({ cost: 10, slots });
    await hasher.warmUp();
    const bcryptHash = await hasher.hash(PASSWORD);
    const time = async (stored: string) => {
      const started = performance.now();
      expect(await hasher.matches('wrong', stored)).toBe(false);
      return performance.now() - started;
    };
    // The fastest of three: one slow check on a busy machine must not raise the bar.
    const bcryptMs = Math.min(
      await time(bcryptHash),
      await time(bcryptHash),
      await time(bcryptHash),
    );
    const before = slots.runs;
    // One PBKDF2 iteration takes microseconds: the answer waits for bcrypt's time.
    const djangoMs = await time(SUPPORTED['pbkdf2_sha256 (1 iteration)']);
    expect(slots.runs - before).toBe(1);
    expect(djangoMs).toBeGreaterThan(0.6 * bcryptMs);
    expect(await hasher.matches(PASSWORD, SUPPORTED.pbkdf2_sha256)).toBe(true);
    expect(hasher.needsRehash(SUPPORTED.pbkdf2_sha256)).toBe(true);
  });

  it('checks a Django password longer than bcrypt takes', async () => {
    const hasher = createPasswordHasher({ cost: 4, slots: countingSlots() });
    // 1 iteration: pbkdf2_sha256 of 100 × "a" with salt "seasalt" (Django 3.2).
    const long = 'pbkdf2_sha256$1$seasalt$9Wq/W1wd4HRU0CsIKJSV9Cp6LpMSIv1Itc6v1ZCVEHE=';
    expect(await hasher.matches('a'.repeat(100), long)).toBe(true);
  });

  it('fails unusable and legacy hashes after a full check', async () => {
    const slots = countingSlots();
    const hasher = createPasswordHasher({ cost: 4, slots });
    await hasher.warmUp();
    for (const stored of [
      '!WjnpE3BjpeR6RnWOhd4tEge1JqcUsFVD9oMMKJqv',
      'bc855c15e9fb9ce5d6c9267d7d49af59',
    ]) {
      const before = slots.runs;
      expect(await hasher.matches(PASSWORD, stored)).toBe(false);
      expect(slots.runs - before).toBe(1);
    }
  });
});
