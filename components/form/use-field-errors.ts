'use client';

// Subscriptions to a react-hook-form form's errors (from the FormProvider around): a component
// re-renders when the errors of the fields it names change, never on a keystroke elsewhere.
import { useFormState } from 'react-hook-form';
import { errorAt, flattenErrors } from './field-errors';

/** One field's error message. */
export function useFieldError(name: string): string | undefined {
  const { errors } = useFormState({ name, exact: true });
  return errorAt(errors, name);
}

/** The error messages of these fields, by path. */
export function useFieldErrors(names: readonly string[]): (name: string) => string | undefined {
  const { errors } = useFormState({ name: [...names], exact: true });
  return (name) => errorAt(errors, name);
}

/** Every field error below `prefix` (all of the form's without one) as [path, message] pairs. */
export function useErrorList(prefix?: string): [string, string][] {
  const { errors } = useFormState(prefix ? { name: prefix } : {});
  const all = flattenErrors(errors);
  return prefix ? all.filter(([path]) => path.startsWith(`${prefix}.`)) : all;
}
