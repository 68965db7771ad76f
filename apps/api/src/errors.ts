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
