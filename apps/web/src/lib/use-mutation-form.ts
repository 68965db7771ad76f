import {
  type ChangeEvent,
  type FormEvent,
  type RefObject,
  useEffect,
  useRef,
  useState,
} from 'react';
import { type FormErrors, formErrorsOf } from './form-errors.ts';

/** What a form needs of a mutation (tRPC's `useMutation` result is one). */
export type FormMutation<Input> = {
  mutate: (input: Input, options?: { onSuccess?: () => void }) => void;
  reset: () => void;
  isPending: boolean;
  error: unknown;
};

/** The fields' values, by input name. */
type Values<Name extends string> = Record<Name, string>;

type Options<Name extends string, Input> = {
  /** The mutation's input from the fields; without it, the fields are the input. */
  toInput?: (values: Values<Name>) => Input;
  /** Put the fields back to `initial` once the mutation succeeds (to empty a password). */
  clearOnSuccess?: boolean;
  /** The field a conflict is about ("that username is taken"). */
  conflictField?: NoInfer<Name>;
};

/** Props for a Field (or UsernameField, PasswordField): its value, its setter, its error. */
export type FieldBinding = {
  name: string;
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  error: string | undefined;
};

/** Props for the <form> itself. */
type FormBinding = {
  ref: RefObject<HTMLFormElement | null>;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  noValidate: true;
};

export type MutationForm<Name extends string> = {
  /** The alert above the form, and each field's message. */
  errors: FormErrors;
  field: (name: Name) => FieldBinding;
  form: FormBinding;
  /** Back to the initial values, with the mutation's error and result forgotten. */
  reset: () => void;
};

/**
 * A form that sends its fields to a mutation: the fields' state, the submit
 * handler (one call at a time), and the API's errors split between the form
 * and its fields. When the API refuses, focus goes to the first field it
 * marked, or else to the alert above the form (a Notice): a keyboard or
 * screen-reader user lands on what to fix, not on the page's top.
 */
export function useMutationForm<Name extends string>(
  mutation: FormMutation<Values<Name>>,
  initial: Values<Name>,
  options?: Options<Name, Values<Name>>,
): MutationForm<Name>;
export function useMutationForm<Name extends string, Input>(
  mutation: FormMutation<Input>,
  initial: Values<Name>,
  options: Options<Name, Input> & { toInput: (values: Values<Name>) => Input },
): MutationForm<Name>;
export function useMutationForm<Name extends string, Input>(
  mutation: FormMutation<Input>,
  initial: Values<Name>,
  { toInput, clearOnSuccess = false, conflictField }: Options<Name, Input> = {},
): MutationForm<Name> {
  const [values, setValues] = useState(initial);
  const errors = formErrorsOf(mutation.error, conflictField);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const form = ref.current;
    if (!mutation.error || !form) return;
    // The form's own alert first: a second form on a page (VerifyEmailPage) has its alert inside.
    const target =
      form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.querySelector<HTMLElement>('[role="alert"]') ??
      form.parentElement?.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
  }, [mutation.error]);
  return {
    errors,
    field: (name) => ({
      name,
      value: values[name],
      onChange: (event) => setValues((current) => ({ ...current, [name]: event.target.value })),
      error: errors.fields[name],
    }),
    form: {
      ref,
      noValidate: true,
      onSubmit(event) {
        event.preventDefault();
        // The button stays focusable while pending (SubmitButton): this is what stops a second call.
        if (mutation.isPending) return;
        // Without toInput the overloads make the values the input.
        const input = toInput ? toInput(values) : (values as unknown as Input);
        mutation.mutate(
          input,
          clearOnSuccess ? { onSuccess: () => setValues(initial) } : undefined,
        );
      },
    },
    reset() {
      setValues(initial);
      mutation.reset();
    },
  };
}
