import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { formErrorsOf } from './form-errors.ts';
import { messages } from './messages.ts';

/** An error as the tRPC client builds it from an API error response. */
function apiError(message: string, zodError: unknown = null, code = 'BAD_REQUEST') {
  return TRPCClientError.from({
    error: {
      message,
      code: -32600,
      data: { code, httpStatus: code === 'CONFLICT' ? 409 : 400, path: 'auth.signup', zodError },
    },
  });
}

describe('formErrorsOf', () => {
  it('is empty without an error', () => {
    expect(formErrorsOf(null)).toEqual({ fields: {} });
  });

  // Regression: an empty username showed "too short" and "bad characters" at once.
  it('puts one message next to each field, the first', () => {
    const error = apiError('x', {
      formErrors: [],
      fieldErrors: { username: ['Too short.', 'Bad characters.'], password: ['Too short.'] },
    });
    expect(formErrorsOf(error)).toEqual({
      form: undefined,
      fields: { username: 'Too short.', password: 'Too short.' },
    });
  });

  it('shows other API errors above the form, in people’s words', () => {
    expect(formErrorsOf(apiError('Unable to log in with provided credentials.'))).toEqual({
      form: 'That username and password do not match. Check both and try again.',
      fields: {},
    });
  });

  // Regression: a taken username was shown above the form, its field not marked.
  it('puts a conflict on the field the form names, and above the form otherwise', () => {
    const taken = apiError('A user with that username already exists.', null, 'CONFLICT');
    expect(formErrorsOf(taken, 'username')).toEqual({
      fields: { username: 'That username is taken. Try another.' },
    });
    expect(formErrorsOf(taken).form).toBe('That username is taken. Try another.');
  });

  it('explains a network failure', () => {
    expect(formErrorsOf(TRPCClientError.from(new TypeError('Failed to fetch')))).toEqual({
      form: messages.unreachable,
      fields: {},
    });
  });
});
