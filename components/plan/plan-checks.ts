// The plan page's checks: a release line's plan schema (zod, the one the server uses) as the
// form's resolver. Loaded on demand by plan-resolver.ts, after the page has drawn itself, so the
// validation library is not part of the page's first load.
import { zodResolver } from '@hookform/resolvers/zod';
import type { Resolver } from 'react-hook-form';
import type { Plan, PlanLine } from '@/lib/params/plan';
import { createPlanSchema } from '@/lib/params/plan-schema';

export type PlanResolver = Resolver<Plan, unknown, Plan>;

/** The resolver of plans on one release line. */
export function planResolver(line: PlanLine): PlanResolver {
  // The form holds a plan as the user edits it (the schema's input); a checked one is a Plan.
  return zodResolver(createPlanSchema(line)) as unknown as PlanResolver;
}
