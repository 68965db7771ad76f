import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.ts';
import { parseEnv } from './env.ts';

describe('parseEnv', () => {
  it('works with nothing set', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 3000,
      BCRYPT_COST: 12,
      TOKEN_IDLE_TIMEOUT: 14 * 86_400_000,
      TOKEN_MAX_AGE: 90 * 86_400_000,
      TOKEN_TOUCH_INTERVAL: 60_000,
      UV_THREADPOOL_SIZE: 4,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DIR).toMatch(/\/\.data\/pglite$/);
  });

  it('treats empty values as unset', () => {
    const env = parseEnv({ DATABASE_URL: '', PORT: '' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
  });

  it.each([
    ['45', 45_000],
    ['45s', 45_000],
    ['500ms', 500],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
  ])('reads the duration %s', (value, ms) => {
    expect(parseEnv({ TOKEN_IDLE_TIMEOUT: value }).TOKEN_IDLE_TIMEOUT).toBe(ms);
  });

  it('names every invalid variable at once', () => {
    expect(() =>
      parseEnv({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://localhost/db',
        TOKEN_MAX_AGE: 'a week',
        BCRYPT_COST: '3',
      }),
    ).toThrowError(/PORT[\s\S]*DATABASE_URL[\s\S]*BCRYPT_COST[\s\S]*TOKEN_MAX_AGE/);
  });

  it('resolves a relative PGLITE_DIR from the repository root', () => {
    const { PGLITE_DIR } = parseEnv({ PGLITE_DIR: 'somewhere/db' });
    expect(PGLITE_DIR).toMatch(/^\/.*\/somewhere\/db$/);
  });
});

describe('rate limits and lists', () => {
  it('reads rate limits and off', () => {
    const env = parseEnv({
      RATE_LIMIT_PASSWORD_FAILURES_PER_USERNAME: '3/10s',
      RATE_LIMIT_SIGNUPS_PER_IP: 'off',
    });
    expect(env.RATE_LIMIT_PASSWORD_FAILURES_PER_USERNAME).toEqual({
      points: 3,
      durationMs: 10_000,
    });
    expect(env.RATE_LIMIT_SIGNUPS_PER_IP).toBeNull();
    expect(env.RATE_LIMIT_PASSWORD_FAILURES_PER_IP).toEqual({ points: 50, durationMs: 900_000 });
  });

  it.each(['10', '0/1m', 'ten/1m', '5/soon'])('refuses the rate limit %j', (value) => {
    expect(() => parseEnv({ RATE_LIMIT_SIGNUPS_PER_IP: value })).toThrowError(
      /RATE_LIMIT_SIGNUPS_PER_IP/,
    );
  });

  it('reads CORS origins as a list, and refuses junk', () => {
    expect(
      parseEnv({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).CORS_ORIGINS,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(parseEnv({}).CORS_ORIGINS).toEqual([]);
    expect(() => parseEnv({ CORS_ORIGINS: 'not a url' })).toThrowError(/CORS_ORIGINS/);
  });
});

describe('JWT keys', () => {
  const ed25519 = generateKeyPairSync('ed25519').privateKey.export({
    format: 'pem',
    type: 'pkcs8',
  });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
    format: 'pem',
    type: 'pkcs8',
  });

  it('reads a PEM key, also with \\n escapes on one line as env files carry it', () => {
    const oneLine = String(ed25519).trim().replaceAll('\n', '\\n');
    expect(parseEnv({ JWT_PRIVATE_KEY: oneLine }).JWT_PRIVATE_KEY?.asymmetricKeyType).toBe(
      'ed25519',
    );
  });

  it('refuses what cannot sign JWTs here, and choices that exclude each other', () => {
    expect(() => parseEnv({ JWT_PRIVATE_KEY: 'not a key' })).toThrowError(
      /JWT_PRIVATE_KEY: must be a private key in PEM/,
    );
    expect(() => parseEnv({ JWT_PRIVATE_KEY: String(rsa) })).toThrowError(
      /JWT_PRIVATE_KEY: must be an Ed25519 or P-256/,
    );
    expect(() => parseEnv({ JWT_SECRET: 'too short' })).toThrowError(
      /JWT_SECRET: must be at least 32/,
    );
    expect(() =>
      parseEnv({ JWT_PRIVATE_KEY: String(ed25519), JWT_SECRET: 'x'.repeat(32) }),
    ).toThrowError(/not both/);
    expect(() => parseEnv({ JWT_PREVIOUS_KEYS: String(ed25519) })).toThrowError(
      /JWT_PREVIOUS_KEYS: needs JWT_PRIVATE_KEY/,
    );
  });

  it('is off in production without a key; JWT_SECRET turns it on with HS256', () => {
    expect(configFromEnv(parseEnv({ NODE_ENV: 'production' })).jwt).toBeUndefined();
    const secret = configFromEnv(parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }));
    expect(secret.jwt?.keys.signing.alg).toBe('HS256');
  });
});

describe('helper threads', () => {
  const threads = (env: Record<string, string>) =>
    configFromEnv(parseEnv({ NODE_ENV: 'production', ...env })).passwords.threads;

  it('with JWT on, leaves one thread of the pool to its checks: bcrypt hashes on the others', () => {
    const secret = { JWT_SECRET: 'x'.repeat(32) };
    expect(threads(secret)).toBe(3);
    expect(threads({ ...secret, UV_THREADPOOL_SIZE: '1' })).toBe(1);
    // Without JWT, bcrypt has them all.
    expect(threads({})).toBe(4);
  });
});
