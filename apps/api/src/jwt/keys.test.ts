import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { devSigningKey } from './dev-key.ts';
import { keysFromPrivateKey } from './keys.ts';

describe('JWT keys', () => {
  it.each([
    ['Ed25519', generateKeyPairSync('ed25519').privateKey, 'EdDSA'],
    ['P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'ES256'],
  ])('names a %s key by its RFC 7638 thumbprint, as jose computes it', async (_, key, alg) => {
    const keys = keysFromPrivateKey(key);
    const [published] = keys.jwks.keys;
    expect(keys.signing).toMatchObject({ alg, kid: published?.kid });
    expect(published?.kid).toBe(await calculateJwkThumbprint(published as never));
    expect(published).not.toHaveProperty('d');
  });

  it('lists a previous key once, after the current one', () => {
    const current = generateKeyPairSync('ed25519').privateKey;
    const previous = generateKeyPairSync('ed25519').publicKey;
    const keys = keysFromPrivateKey(current, [previous, previous]);
    expect(keys.verifying.map((k) => k.kid)).toEqual(keys.jwks.keys.map((k) => k.kid));
    expect(keys.verifying).toHaveLength(2);
  });
});

describe('the development key', () => {
  it('is made once, kept private to its owner, and read back by the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenauth-dev-key-'));
    try {
      const file = join(dir, 'nested', 'jwt-dev-key.pem');
      const first = devSigningKey(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const again = devSigningKey(file);
      expect(again.export({ format: 'jwk' })).toEqual(first.export({ format: 'jwk' }));
      expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
