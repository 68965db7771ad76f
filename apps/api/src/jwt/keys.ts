import { createHash, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';

export type JwtAlgorithm = 'EdDSA' | 'ES256' | 'HS256';

/** A key that signed tokens: its algorithm, its id (none for a secret), and the key. */
export type VerifyKey = { alg: JwtAlgorithm; kid: string | undefined; key: KeyObject };

/** The keys JWTs are signed and checked with, made once from the configuration. */
export type JwtKeys = {
  signing: VerifyKey;
  /** The signing key's own (public) half first, then the previous ones. */
  verifying: VerifyKey[];
  /** What `GET /.well-known/jwks.json` publishes: the public keys (none for HS256). */
  jwks: { keys: Record<string, string>[] };
};

/** The algorithm a key signs with, or undefined for a kind of key the API does not use. */
function algorithmOf(key: KeyObject): Exclude<JwtAlgorithm, 'HS256'> | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ES256';
  }
  return undefined;
}

/** Whether the API can sign or check JWTs with `key`: Ed25519 or P-256. */
export const isJwtKey = (key: KeyObject) => algorithmOf(key) !== undefined;

/** A public key as a JWK, with the members RFC 7638's thumbprint is taken over. */
function publicJwk(key: KeyObject): Record<string, string> {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  return jwk.kty === 'EC'
    ? { crv: jwk.crv as string, kty: 'EC', x: jwk.x as string, y: jwk.y as string }
    : { crv: jwk.crv as string, kty: 'OKP', x: jwk.x as string };
}

/**
 * RFC 7638's thumbprint: SHA-256 of the required members in lexicographic
 * order, without spaces. `publicJwk` lists them in that order already.
 */
const thumbprint = (jwk: Record<string, string>) =>
  createHash('sha256').update(JSON.stringify(jwk)).digest('base64url');

function asymmetric(publicKey: KeyObject): VerifyKey & { jwk: Record<string, string> } {
  const alg = algorithmOf(publicKey);
  if (!alg) throw new Error('a JWT key must be an Ed25519 (EdDSA) or P-256 (ES256) key');
  const jwk = publicJwk(publicKey);
  return { alg, kid: thumbprint(jwk), key: publicKey, jwk };
}

/**
 * Keys from a private key and the public keys of earlier ones (key
 * rotation: tokens signed before stay valid until they expire). Each key's
 * id is its thumbprint, sent in the tokens' header and published in the JWKS.
 */
export function keysFromPrivateKey(privateKey: KeyObject, previous: KeyObject[] = []): JwtKeys {
  const current = asymmetric(createPublicKey(privateKey));
  // Each key once, by its id: the current one listed again among the previous is the current one.
  const byKid = new Map([current, ...previous.map(asymmetric)].map((key) => [key.kid, key]));
  byKid.set(current.kid, current);
  const all = [...byKid.values()];
  return {
    signing: { alg: current.alg, kid: current.kid, key: privateKey },
    verifying: all.map(({ alg, kid, key }) => ({ alg, kid, key })),
    jwks: {
      keys: all.map(({ alg, kid, jwk }) => ({ ...jwk, kid: kid as string, alg, use: 'sig' })),
    },
  };
}

/** HS256 keys, as simplejwt signs by default: the secret, then the previous one. Nothing is published. */
export function keysFromSecret(secret: string, previous?: string): JwtKeys {
  const hs256 = (text: string): VerifyKey => ({
    alg: 'HS256',
    kid: undefined,
    key: createSecretKey(Buffer.from(text, 'utf8')),
  });
  const signing = hs256(secret);
  return {
    signing,
    verifying: previous === undefined ? [signing] : [signing, hs256(previous)],
    jwks: { keys: [] },
  };
}
