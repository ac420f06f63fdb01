// The plan page's checks: the plan schema (zod, the one the server uses) turned into the form's
// check. Loaded on demand by use-plan-form.ts, after the page has drawn itself, so the validation
// library is not part of the page's first load.
import type { Checked } from '@/components/form/form-store';
import type { Plan, PlanLine } from '@/lib/params/plan';
import { createPlanSchema } from '@/lib/params/plan-schema';
import { toFieldErrors } from '@/lib/params/schema';

/** The check of plans on one release line. */
export function planChecks(line: PlanLine) {
  const schema = createPlanSchema(line);
  return async (values: unknown): Promise<Checked<Plan>> => {
    const result = await schema.safeParseAsync(values);
    return result.success ? { ok: true, value: result.data } : { ok: false, errors: toFieldErrors(result.error) };
  };
}

export type PlanCheck = ReturnType<typeof planChecks>;
