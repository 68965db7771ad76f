import { TRPCError } from '@trpc/server';
import { type MessageKey, messages } from './messages.ts';

/**
 * The errors procedures throw. Each face (tRPC, REST) turns them into its
 * own answer; the causes below carry what it needs beyond code and message.
 */

/** 401 with one of DRF's messages. */
export function unauthorized(key: MessageKey): TRPCError {
  return new TRPCError({ code: 'UNAUTHORIZED', message: messages[key] });
}

/** The cause of a 429: how long until the client may try again. */
export class RetryAfter extends Error {
  constructor(readonly seconds: number) {
    super(`retry after ${seconds} s`);
  }
}

/** 429, with a message that says when to retry; the face adds Retry-After. */
export function tooManyRequests(retryAfterSeconds: number): TRPCError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: messages.tooManyAttempts(seconds),
    cause: new RetryAfter(seconds),
  });
}

/** The cause of a 400 about one field that schema validation could not judge. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly problems: string[],
  ) {
    super(problems.join(' '));
  }
}

/** A 400 that names one field, shaped like input validation errors for clients. */
export function fieldError(field: string, ...problems: string[]): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: problems.join(' '),
    cause: new FieldError(field, problems),
  });
}

/**
 * The cause of a 401 about a JSON Web Token: the body simplejwt answers on
 * the REST face (with `WWW-Authenticate: Bearer realm="api"`); tRPC shows
 * the error's own message.
 */
export class SimpleJwtRefusal extends Error {
  constructor(readonly body: Record<string, unknown>) {
    super(String(body.detail));
  }
}

const jwtRefusal = (message: string, body: Record<string, unknown>) =>
  new TRPCError({ code: 'UNAUTHORIZED', message, cause: new SimpleJwtRefusal(body) });

/** An access token in the Authorization header that does not work: DRF's words on tRPC. */
export const accessTokenRefused = (key: 'invalidToken' | 'tokenExpired') =>
  jwtRefusal(messages[key], {
    detail: messages.jwtNotValidForAnyType,
    code: 'token_not_valid',
    messages: [{ token_class: 'AccessToken', token_type: 'access', message: messages.jwtInvalid }],
  });

/** A token given to jwt/refresh/ or jwt/verify/ that does not work. */
export const jwtNotValid = () =>
  jwtRefusal(messages.jwtInvalid, { detail: messages.jwtInvalid, code: 'token_not_valid' });

/** Wrong credentials at jwt/create/. */
export const noActiveAccount = () =>
  jwtRefusal(messages.noActiveAccount, { detail: messages.noActiveAccount });
