'use client';

// React bindings for FormStore: one store per form, shared through context; components subscribe
// to just the values and errors they show, so typing in one field re-renders that field's readers only.
import { createContext, useContext, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { FormStore, getIn, type Check } from './form-store';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the provider holds forms of any shape; useFormStore names it
const FormContext = createContext<FormStore<any, unknown> | null>(null);

/** A form's store, made once; the latest `check` is always the one used. */
export function useForm<Values extends object, Out>(defaults: Values, check: Check<Values, Out>): FormStore<Values, Out> {
  const [store] = useState(() => new FormStore(defaults, check));
  store.setCheck(check);
  return store;
}

export function FormProvider<Values extends object, Out>({ form, children }: { form: FormStore<Values, Out>; children: ReactNode }) {
  return <FormContext.Provider value={form as FormStore<Values, unknown>}>{children}</FormContext.Provider>;
}

export function useFormStore<Values extends object>(): FormStore<Values, unknown> {
  const store = useContext(FormContext);
  if (!store) throw new Error('useFormStore needs a FormProvider around it.');
  return store as FormStore<Values, unknown>;
}

/** The current values at these paths, re-rendering only when one of them changes. */
export function useWatch<T extends unknown[] = unknown[]>(paths: readonly string[]): T {
  const store = useFormStore();
  const last = useRef<unknown[]>([]);
  const read = () => {
    const values = store.getValues();
    const next = paths.map((path) => getIn(values, path));
    if (next.length === last.current.length && next.every((value, i) => Object.is(value, last.current[i]))) return last.current;
    last.current = next;
    return next;
  };
  return useSyncExternalStore(store.subscribe, read, read) as T;
}

/** Every value of the form (the one given, or the provider's), re-rendering on any change. */
export function useValues<Values extends object>(form?: FormStore<Values, unknown>): Values {
  const provided = useContext(FormContext) as FormStore<Values, unknown> | null;
  const store = form ?? provided;
  if (!store) throw new Error('useValues needs a form or a FormProvider around it.');
  return useSyncExternalStore(store.subscribe, store.getValues, store.getValues);
}

/** Every field error of the form. */
export function useErrors() {
  const store = useFormStore();
  const read = () => store.errors;
  return useSyncExternalStore(store.subscribe, read, read);
}

/** One field's error message, re-rendering only when it changes. */
export function useFieldError(path: string): string | undefined {
  const store = useFormStore();
  const read = () => store.errors[path]?.message;
  return useSyncExternalStore(store.subscribe, read, read);
}
