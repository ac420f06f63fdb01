'use client';

import { useState, type ReactNode } from 'react';
import { FormProvider, type FieldValues, type UseFormReturn } from 'react-hook-form';

/**
 * react-hook-form's FormProvider with a context that never changes. FormProvider's own context
 * carries the form state, which is new on every render of the component that owns the form (and
 * react-hook-form renders it again as soon as the form is ready, mid-hydration); a new context
 * value makes React hydrate every section still waiting below at once, in one long task, and
 * re-render every useFormContext reader. The methods are the same functions for the form's whole
 * life, so they are given once. Read form state through useFormState or useWatch (as every
 * reader here does), never through useFormContext().formState, which stays as it was at first.
 */
export function StableFormProvider<Values extends FieldValues, Context, Out>({ form, children }: { form: UseFormReturn<Values, Context, Out>; children: ReactNode }) {
  const [methods] = useState(() => ({ ...form }));
  return <FormProvider {...methods}>{children}</FormProvider>;
}
