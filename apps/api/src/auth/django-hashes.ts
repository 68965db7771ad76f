import { createHash, pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { verify as verifyArgon2 } from '@node-rs/argon2';
import bcrypt from 'bcrypt';

/**
 * Django's password hashes (`<algorithm>$…`, as `auth_user.password` holds
 * them), checked as django.contrib.auth.hashers checks them, so that users
 * imported from Django log in with their passwords (README "Coming from
 * Django"). Every check runs on libuv's thread pool, never on the event loop.
 */
export type DjangoHash =
  | { kind: 'pbkdf2'; digest: 'sha256' | 'sha1'; iterations: number; salt: string; hash: Buffer }
  | { kind: 'bcrypt'; sha256: boolean; data: string }
  | { kind: 'argon2'; phc: string }
  | { kind: 'scrypt'; n: number; salt: string; r: number; p: number; hash: Buffer };

export type DjangoHashReading =
  | { ok: true; algorithm: string; hash: DjangoHash }
  /** `unusable`: Django's set_unusable_password (`!…`); otherwise why it cannot be kept. */
  | { ok: false; algorithm: string; reason: 'unusable' | 'legacy' | 'unknown' | 'malformed' };

/** Django's hashers that store no salt, a salted MD5 or SHA-1, or crypt(3): not safe to keep. */
const LEGACY = new Set(['md5', 'sha1', 'unsalted_md5', 'unsalted_sha1', 'crypt']);

// Bounds on the work one stored hash may ask of a login: far above any
// Django default, far below what would let a crafted row stall the server.
const MAX_PBKDF2_ITERATIONS = 100_000_000;
const MAX_MEMORY_BYTES = 1024 ** 3;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BCRYPT = /^\$2[ab]\$\d\d\$[./A-Za-z0-9]{53}$/;
const ARGON2 = /^argon2(id|i|d)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
/** A derived key shorter than this is a truncated row, not a hash (an empty one would match anything). */
const MIN_HASH_BYTES = 16;
const digestOf = (text: string | undefined) => {
  const bytes = text && BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
  return bytes && bytes.length >= MIN_HASH_BYTES ? bytes : undefined;
};
const positive = (text: string | undefined, max: number) => {
  const n = Number(text);
  return /^\d+$/.test(text ?? '') && n >= 1 && n <= max ? n : undefined;
};

/** Which hasher made `encoded`, and whether it can be checked here (as Django's identify_hasher). */
export function readDjangoHash(encoded: string): DjangoHashReading {
  if (encoded === '' || encoded.startsWith('!')) {
    return { ok: false, algorithm: 'unusable', reason: 'unusable' };
  }
  if (/^[0-9a-f]{32}$/i.test(encoded) || encoded.startsWith('md5$$')) {
    return { ok: false, algorithm: 'unsalted_md5', reason: 'legacy' };
  }
  if (encoded.startsWith('sha1$$'))
    return { ok: false, algorithm: 'unsalted_sha1', reason: 'legacy' };
  const dollar = encoded.indexOf('$');
  const algorithm = dollar === -1 ? encoded.slice(0, 32) : encoded.slice(0, dollar);
  const rest = encoded.slice(dollar + 1);
  const hash = dollar === -1 ? undefined : parse(algorithm, rest);
  if (hash) return { ok: true, algorithm, hash };
  if (LEGACY.has(algorithm)) return { ok: false, algorithm, reason: 'legacy' };
  const known = ['pbkdf2_sha256', 'pbkdf2_sha1', 'bcrypt_sha256', 'bcrypt', 'argon2', 'scrypt'];
  return { ok: false, algorithm, reason: known.includes(algorithm) ? 'malformed' : 'unknown' };
}

function parse(algorithm: string, rest: string): DjangoHash | undefined {
  switch (algorithm) {
    case 'pbkdf2_sha256':
    case 'pbkdf2_sha1': {
      const [iterations, salt, hash, ...extra] = rest.split('$');
      const count = positive(iterations, MAX_PBKDF2_ITERATIONS);
      const bytes = digestOf(hash);
      if (!count || !salt || !bytes || extra.length > 0) return undefined;
      const digest = algorithm === 'pbkdf2_sha256' ? 'sha256' : 'sha1';
      return { kind: 'pbkdf2', digest, iterations: count, salt, hash: bytes };
    }
    case 'bcrypt_sha256':
    case 'bcrypt':
      return BCRYPT.test(rest)
        ? { kind: 'bcrypt', sha256: algorithm === 'bcrypt_sha256', data: rest }
        : undefined;
    case 'argon2': {
      const m = ARGON2.exec(rest);
      if (!m || Number(m[3]) * 1024 > MAX_MEMORY_BYTES || Number(m[4]) > 1000) return undefined;
      return { kind: 'argon2', phc: `$${rest}` };
    }
    case 'scrypt': {
      const [n, salt, r, p, hash, ...extra] = rest.split('$');
      const N = positive(n, 2 ** 24);
      const R = positive(r, 64);
      const P = positive(p, 64);
      const bytes = digestOf(hash);
      if (!N || !R || !P || !salt || !bytes || extra.length > 0) return undefined;
      if ((N & (N - 1)) !== 0 || 128 * N * R * P > MAX_MEMORY_BYTES) return undefined;
      return { kind: 'scrypt', n: N, salt, r: R, p: P, hash: bytes };
    }
    default:
      return undefined;
  }
}

/** Whether `password` is the one Django hashed into `hash`. */
export async function checkDjangoPassword(password: string, hash: DjangoHash): Promise<boolean> {
  switch (hash.kind) {
    case 'pbkdf2': {
      const derived = await new Promise<Buffer>((resolve, reject) =>
        pbkdf2(password, hash.salt, hash.iterations, hash.hash.length, hash.digest, (e, key) =>
          e ? reject(e) : resolve(key),
        ),
      );
      return timingSafeEqual(derived, hash.hash);
    }
    case 'bcrypt':
      // bcrypt_sha256 hashes the password's SHA-256, in hex, to lift bcrypt's 72-byte limit.
      return bcrypt.compare(
        hash.sha256 ? createHash('sha256').update(password).digest('hex') : password,
        hash.data,
      );
    case 'argon2':
      return verifyArgon2(hash.phc, password);
    case 'scrypt': {
      const { n: N, r, p } = hash;
      const derived = await new Promise<Buffer>((resolve, reject) =>
        scrypt(
          password,
          hash.salt,
          hash.hash.length,
          { N, r, p, maxmem: 256 * N * r * p },
          (e, key) => (e ? reject(e) : resolve(key)),
        ),
      );
      return timingSafeEqual(derived, hash.hash);
    }
  }
}
