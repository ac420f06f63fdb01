// Derives the zod schema that validates a stack's parameter values in the browser (through
// zodResolver) and again on the server. Messages are the specs' own, so both sides agree. Written
// with zod/mini, which the plan page's bundle tree-shakes to a fraction of zod's classic API.
import * as z from 'zod/mini';
import { checkRule, checkValue } from './check';
import { checkYamlFormat, isYamlFormat } from './formats';
import type { ParamRule, ParamSpec } from './spec';

export type ParamValues = Record<string, string>;

export function toFieldSchema(spec: ParamSpec) {
  const base = z.string({ error: `${spec.label} must be text.` }).check(
    z.superRefine((value, ctx) => {
      const problem = checkValue(spec, value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
    }),
  );
  const format = spec.format;
  const checked = isYamlFormat(format)
    ? base.check(
        z.superRefine(async (value, ctx) => {
          const problem = await checkYamlFormat(format, value, spec.label);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      )
    : base;
  // prefault (not default) so a missing required value is still checked and reported.
  return z.prefault(checked, spec.default ?? '');
}

export function toZodSchema(specs: readonly ParamSpec[], rules: readonly ParamRule[] = []) {
  const shape = Object.fromEntries(specs.map((spec) => [spec.key, toFieldSchema(spec)]));
  return z.strictObject(shape).check(
    z.superRefine((values, ctx) => {
      for (const rule of rules) {
        const message = checkRule(rule, values as ParamValues);
        if (message) ctx.addIssue({ code: 'custom', message, path: [rule.then.key] });
      }
    }),
  );
}

export type FieldErrors = Record<string, string>;

/** Flattens zod issues into one message per field path ("a.b.c"), first message wins. */
export function toFieldErrors(error: z.core.$ZodError): FieldErrors {
  // A Map, then fromEntries: keys such as "__proto__" become ordinary own properties.
  const errors = new Map<string, string>();
  const add = (path: string, message: string) => {
    if (!errors.has(path)) errors.set(path, message);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path.map(String), key].join('.'), `Unknown field "${key}".`);
      continue;
    }
    add(issue.path.map(String).join('.') || '_form', issue.message);
  }
  return Object.fromEntries(errors);
}
