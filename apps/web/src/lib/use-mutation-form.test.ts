import { TRPCClientError } from '@trpc/client';
import { createElement, type FormEvent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { type FormMutation, type MutationForm, useMutationForm } from './use-mutation-form.ts';

type Credentials = { username: string; password: string };

function fakeMutation(state: { isPending?: boolean; error?: unknown } = {}) {
  return {
    mutate: vi.fn<FormMutation<Credentials>['mutate']>(),
    reset: vi.fn(),
    isPending: state.isPending ?? false,
    error: state.error ?? null,
  };
}

/** A component that only calls a hook and passes on what it returned. */
function Probe<T>({ hook, onResult }: { hook: () => T; onResult: (result: T) => void }) {
  onResult(hook());
  return null;
}

/** Renders the hook once (on the server renderer: no DOM needed), and hands back its result. */
function renderHook<T>(hook: () => T): T {
  let result: T | undefined;
  const onResult = (value: T) => {
    result = value;
  };
  renderToStaticMarkup(createElement(Probe<T>, { hook, onResult }));
  if (result === undefined) throw new Error('the hook did not run');
  return result;
}

/** Submits as the browser would, and hands back the event to see what was done with it. */
function submit(onSubmit: MutationForm<string>['form']['onSubmit']) {
  const event = { preventDefault: vi.fn() } as unknown as FormEvent<HTMLFormElement>;
  onSubmit(event);
  return event;
}

describe('useMutationForm', () => {
  it('gives each field its value and its own error from the API', () => {
    const error = TRPCClientError.from({
      error: {
        message: 'Invalid input',
        code: -32600,
        data: {
          code: 'BAD_REQUEST',
          httpStatus: 400,
          path: 'auth.login',
          zodError: { formErrors: [], fieldErrors: { password: ['This field is required.'] } },
        },
      },
    });
    const form = renderHook(() =>
      useMutationForm(fakeMutation({ error }), { username: 'ann', password: '' }),
    );

    expect(form.errors.form).toBeUndefined();
    expect(form.field('username')).toEqual({
      name: 'username',
      value: 'ann',
      onChange: expect.any(Function),
      error: undefined,
    });
    expect(form.field('password').error).toBe('Enter a password.');
  });

  it('sends the values as the input, without letting the browser submit the page', () => {
    const mutation = fakeMutation();
    const form = renderHook(() => useMutationForm(mutation, { username: 'ann', password: 'pw' }));

    const event = submit(form.form.onSubmit);

    expect(event.preventDefault).toHaveBeenCalled();
    expect(mutation.mutate).toHaveBeenCalledExactlyOnceWith(
      { username: 'ann', password: 'pw' },
      undefined,
    );
  });

  it('sends what toInput makes of the values', () => {
    const mutation = fakeMutation();
    const form = renderHook(() =>
      useMutationForm(
        mutation,
        { username: ' ann ', password: 'pw' },
        { toInput: (values) => ({ ...values, username: values.username.trim() }) },
      ),
    );

    submit(form.form.onSubmit);

    expect(mutation.mutate).toHaveBeenCalledExactlyOnceWith(
      { username: 'ann', password: 'pw' },
      undefined,
    );
  });

  it('sends nothing while the previous submit is still under way', () => {
    const mutation = fakeMutation({ isPending: true });
    const form = renderHook(() => useMutationForm(mutation, { username: 'ann', password: 'pw' }));

    const event = submit(form.form.onSubmit);

    expect(event.preventDefault).toHaveBeenCalled();
    expect(mutation.mutate).not.toHaveBeenCalled();
  });

  it('forgets the error when the form is reset', () => {
    const mutation = fakeMutation();
    const form = renderHook(() => useMutationForm(mutation, { username: '', password: '' }));

    form.reset();

    expect(mutation.reset).toHaveBeenCalledOnce();
  });
});
