// The plan form's resolver as the page's first load carries it: a few lines that load the real
// checks (plan-checks.ts: zod and the line's schema) on first use, after the page has drawn
// itself, and pick the plan's release line. Also what the page does with it outside the form.
import type { FieldValues, Resolver, ResolverResult } from 'react-hook-form';
import { defaultPlan, releaseOf, type Plan } from '@/lib/params/plan';
import type { LoadedLine } from '@/lib/plan';
import type { LineMeta } from '@/templates/line';
import type { LineId } from '@/templates/stack';
import type { PlanResolver } from './plan-checks';

/** What the form says when the checks themselves could not be loaded (offline, or a new release). */
export const CHECKS_UNAVAILABLE = 'The plan checks could not be loaded: check the connection, then try again (or reload the page).';

/** The line a plan is on, among those the page offers (the first, the default, when it names none of them). */
export const lineFor = (lines: readonly LineMeta[], plan: Pick<Plan, 'release'>): LineMeta => lines.find((l) => l.id === releaseOf(plan)) ?? lines[0]!;

type Checks = typeof import('./plan-checks');

/**
 * Checks of one field that overlap (a slow first load, a fast typist) may finish in any order;
 * each of them answers with the latest one's result, so only the latest check of a field decides.
 */
export function latestPerField<V extends FieldValues, C, O>(resolver: Resolver<V, C, O>): Resolver<V, C, O> {
  const latest = new Map<string, Promise<ResolverResult<V, O>>>();
  return async (values, context, options) => {
    const run = Promise.resolve(resolver(values, context, options));
    const name = options.names?.length === 1 ? options.names[0]! : undefined;
    if (name === undefined) return run;
    latest.set(name, run);
    let mine = run;
    let result = await mine;
    while (latest.get(name) !== mine) {
      mine = latest.get(name)!;
      result = await mine;
    }
    return result;
  };
}

/**
 * The plan form's resolver: loads the checks once, on first use (the first check, or the
 * background check just after the page appears), and makes one per release line. When they
 * cannot be loaded the form gets an error of its own (`root`), no field is blamed, and the next
 * use tries again. `lines` may be a function, for lines loaded while the form is in use.
 */
export function lazyPlanResolver(lines: readonly LineMeta[] | (() => readonly LineMeta[]), load: () => Promise<Checks> = () => import('./plan-checks')): PlanResolver {
  let loading: Promise<Checks> | undefined;
  const made = new Map<LineId, PlanResolver>();
  return latestPerField<Plan, unknown, Plan>(async (values, context, options) => {
    let checks: Checks;
    try {
      checks = await (loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      }));
    } catch {
      return { values: {}, errors: { root: { type: 'unavailable', message: CHECKS_UNAVAILABLE } } };
    }
    const line = lineFor(typeof lines === 'function' ? lines() : lines, values);
    let resolver = made.get(line.id);
    if (!resolver) made.set(line.id, (resolver = checks.planResolver(line)));
    return resolver(values, context, options);
  });
}

/** The checked plan, or undefined when it has errors (or could not be checked): for what follows the form outside it. */
export async function checkedPlan(resolver: PlanResolver, values: Plan): Promise<Plan | undefined> {
  const result = await resolver(values, undefined, { fields: {}, shouldUseNativeValidation: false });
  return Object.keys(result.errors).length === 0 ? (result.values as Plan) : undefined;
}

/**
 * A plan's check result when the server already has it, so the checks need not load: a line
 * comes with its default plan checked. `{ plan }` (undefined when the defaults do not pass) for a
 * plan still at its line's defaults, undefined for any other plan.
 */
export function checkedByServer(line: LoadedLine | undefined, values: Plan): { plan: Plan | undefined } | undefined {
  if (!line || releaseOf(values) !== line.meta.id) return undefined;
  if (JSON.stringify(values) !== JSON.stringify(defaultPlan(line.meta))) return undefined;
  return { plan: line.checkedDefault ?? undefined };
}
