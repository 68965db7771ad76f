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

// Bounds on the work one stored hash may ask of a login: well above any
// Django default (PBKDF2 1,000,000 iterations, bcrypt 12, argon2 m=100 MiB
// t=2, scrypt N=2^14), well below what would let a crafted row stall it.
const MAX_PBKDF2_ITERATIONS = 10_000_000;
const MAX_BCRYPT_COST = 16;
/** argon2's memory (KiB) × passes. */
const MAX_ARGON2_WORK = 4 * 1024 * 1024;
const MAX_MEMORY_BYTES = 1024 ** 3;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BCRYPT = /^\$2[ab]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
/** Django's argon2: `argon2$argon2id$v=19$m=…,t=…,p=…$salt$hash` (argon2i before Django 3.2). */
const ARGON2 =
  /^argon2(?:id|i)\$v=(?:16|19)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{22,}$/;
/**
 * The derived key, of exactly the length Django derives (the digest's size
 * for PBKDF2, 64 bytes for scrypt): a shorter one would match as a prefix,
 * an empty one anything.
 */
const digestOf = (text: string | undefined, bytes: number) => {
  const key = text && BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
  return key?.length === bytes ? key : undefined;
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
      const digest = algorithm === 'pbkdf2_sha256' ? 'sha256' : 'sha1';
      const bytes = digestOf(hash, digest === 'sha256' ? 32 : 20);
      if (!count || !salt || !bytes || extra.length > 0) return undefined;
      return { kind: 'pbkdf2', digest, iterations: count, salt, hash: bytes };
    }
    case 'bcrypt_sha256':
    case 'bcrypt': {
      const cost = Number(BCRYPT.exec(rest)?.[1]);
      return cost >= 4 && cost <= MAX_BCRYPT_COST
        ? { kind: 'bcrypt', sha256: algorithm === 'bcrypt_sha256', data: rest }
        : undefined;
    }
    case 'argon2': {
      const [, m = '', t = '', p = ''] = ARGON2.exec(rest) ?? [];
      const [memory, passes, lanes] = [Number(m), Number(t), Number(p)];
      if (!(passes >= 1 && lanes >= 1 && lanes <= 64 && memory >= 8 * lanes)) return undefined;
      if (memory * passes > MAX_ARGON2_WORK || memory * 1024 > MAX_MEMORY_BYTES) return undefined;
      return { kind: 'argon2', phc: `$${rest}` };
    }
    case 'scrypt': {
      const [n, salt, r, p, hash, ...extra] = rest.split('$');
      const N = positive(n, 2 ** 24);
      const R = positive(r, 64);
      const P = positive(p, 64);
      const bytes = digestOf(hash, 64);
      if (!N || !R || !P || !salt || !bytes || extra.length > 0) return undefined;
      if (N < 2 || (N & (N - 1)) !== 0 || 128 * N * R * P > MAX_MEMORY_BYTES) return undefined;
      return { kind: 'scrypt', n: N, salt, r: R, p: P, hash: bytes };
    }
    default:
      return undefined;
  }
}

/**
 * Whether `password` is the one Django hashed into `hash`. A hash the
 * library cannot take after all (parameters it refuses) matches nothing,
 * as Django's own check then fails: a wrong password, not a server error.
 */
export async function checkDjangoPassword(password: string, hash: DjangoHash): Promise<boolean> {
  try {
    return await check(password, hash);
  } catch {
    return false;
  }
}

async function check(password: string, hash: DjangoHash): Promise<boolean> {
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
