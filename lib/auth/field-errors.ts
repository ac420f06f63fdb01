// zod errors as one message per form field, never empty: if every issue sits on a key that cannot
// be an ordinary field (such as "__proto__"), the first message is reported for the whole form.
import type { z } from 'zod';
import { toFieldErrors } from '@/lib/params/schema';

export function fieldErrorsOf(error: z.core.$ZodError): Record<string, string> {
  const errors = Object.fromEntries(Object.entries(toFieldErrors(error)));
  if (Object.keys(errors).length === 0) errors._form = error.issues[0]?.message ?? 'The input is not valid.';
  return errors;
}
