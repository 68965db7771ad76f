import { TRPCError } from '@trpc/server';
import { RetryAfter, SimpleJwtRefusal } from '../errors.ts';
import { HttpError } from '../http/exchange.ts';
import { messages } from '../messages.ts';
import { validationErrorsOf } from '../validation-errors.ts';
import type { RestAnswer } from './operation.ts';

const detail = (status: number, text: string, headers?: string[]): RestAnswer => ({
  status,
  body: { detail: text },
  ...(headers ? { headers } : {}),
});

/** DRF's words for what the pipeline and the body reader refuse. */
export function drfRefusal(error: HttpError, contentType?: string): RestAnswer {
  const text =
    error.status === 415 ? messages.unsupportedMediaType(contentType ?? '') : error.message;
  return detail(error.status, text, [...error.headers]);
}

/**
 * A domain error as DRF shapes it: `{"detail": …}` for authentication,
 * throttling and the like; `{"<field>": ["…"]}` for field validation;
 * `{"non_field_errors": ["…"]}` for the rest of a 400.
 */
export function drfError(error: unknown): RestAnswer {
  if (error instanceof HttpError) return drfRefusal(error);
  if (!(error instanceof TRPCError)) return detail(500, messages.internal);
  switch (error.code) {
    case 'UNAUTHORIZED':
      if (error.cause instanceof SimpleJwtRefusal) {
        return {
          status: 401,
          body: error.cause.body,
          headers: ['www-authenticate', 'Bearer realm="api"'],
        };
      }
      return detail(401, error.message, ['www-authenticate', 'Token']);
    case 'TOO_MANY_REQUESTS': {
      const seconds = error.cause instanceof RetryAfter ? error.cause.seconds : 1;
      return detail(429, messages.throttled(seconds), ['retry-after', String(seconds)]);
    }
    case 'BAD_REQUEST': {
      const fields = validationErrorsOf(error);
      if (!fields) return { status: 400, body: { non_field_errors: [error.message] } };
      const body: Record<string, string[]> = { ...fields.fieldErrors };
      if (fields.formErrors.length > 0) body.non_field_errors = fields.formErrors;
      return { status: 400, body };
    }
    case 'NOT_FOUND':
      return detail(404, messages.notFound);
    case 'SERVICE_UNAVAILABLE':
    case 'CLIENT_CLOSED_REQUEST':
      return detail(error.code === 'SERVICE_UNAVAILABLE' ? 503 : 499, error.message);
    default:
      return detail(500, messages.internal);
  }
}
