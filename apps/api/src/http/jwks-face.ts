import type { JwtKeys } from '../jwt/keys.ts';
import { messages } from '../messages.ts';
import { HttpError, sendJson } from './exchange.ts';
import { type Face, plainRefusal } from './pipeline.ts';
import { withHeader } from './static-asset.ts';

/**
 * `GET /.well-known/jwks.json`: the public keys JWTs are checked with
 * (RFC 7517), the current one and those still trusted after a rotation, so
 * other services can check our access tokens themselves. Empty for HS256:
 * a shared secret is never published.
 */
export function jwksFace(keys: JwtKeys): Face {
  const body = keys.jwks;
  return {
    async handle(ex) {
      if (ex.req.method !== 'GET' && ex.req.method !== 'HEAD') {
        throw new HttpError(405, messages.methodNotAllowed(ex.req.method ?? ''), ['allow', 'GET']);
      }
      // A verifier may keep the keys a few minutes (the pipeline's no-store replaced).
      ex.headers = withHeader(ex.headers, 'cache-control', 'public, max-age=300');
      sendJson(ex, 200, body);
    },
    refuse: plainRefusal,
  };
}
