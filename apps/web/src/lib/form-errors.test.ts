import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { formErrorsOf } from './form-errors.ts';
import { messages } from './messages.ts';

/** An error as the tRPC client builds it from an API error response. */
function apiError(message: string, zodError: unknown = null) {
  return TRPCClientError.from({
    error: {
      message,
      code: -32600,
      data: { code: 'BAD_REQUEST', httpStatus: 400, path: 'auth.signup', zodError },
    },
  });
}

describe('formErrorsOf', () => {
  it('is empty without an error', () => {
    expect(formErrorsOf(null)).toEqual({ fields: {} });
  });

  it('puts field messages next to their fields', () => {
    const error = apiError('x', {
      formErrors: [],
      fieldErrors: { username: ['Too short.', 'Bad characters.'], password: ['Too short.'] },
    });
    expect(formErrorsOf(error)).toEqual({
      form: undefined,
      fields: { username: 'Too short. Bad characters.', password: 'Too short.' },
    });
  });

  it('shows other API errors above the form', () => {
    expect(formErrorsOf(apiError('Unable to log in with provided credentials.'))).toEqual({
      form: 'Unable to log in with provided credentials.',
      fields: {},
    });
  });

  it('explains a network failure', () => {
    expect(formErrorsOf(TRPCClientError.from(new TypeError('Failed to fetch')))).toEqual({
      form: messages.unreachable,
      fields: {},
    });
  });
});
