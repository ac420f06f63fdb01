// Plans on the 2025 line for tests and benches: the line's plain data, its stacks' metas, and a
// default plan whose per-stack records are typed by the line's stack ids (so a test may write
// plan.params.common.VpcId without checking each stack is there).
import type { Plan } from '@/lib/params/plan';
import type { ParamValues } from '@/lib/params/schema';
import { toLineMeta } from '@/templates/line';
import { LINE_2025 } from '@/templates/line-2025';
import type { StackMeta } from '@/templates/stack';
import { defaultPlan } from '@/lib/params/plan';

export type StackId2025 = 'vpc' | 'common' | 'migration' | 'services' | 'grafana' | 'otel' | 'demo';

export const LINE_2025_META = toLineMeta(LINE_2025);

/** The 2025 line's stacks in deployment order. */
export const METAS_2025 = LINE_2025_META.stacks as readonly (StackMeta & { readonly id: StackId2025 })[];

export type Plan2025 = Plan & {
  include: Record<'grafana' | 'otel' | 'demo', boolean>;
  stackNames: Record<StackId2025, string> & Record<string, string>;
  params: Record<StackId2025, ParamValues> & Record<string, ParamValues>;
};

/** A new plan on the 2025 line, every value at its default. */
export const defaultPlan2025 = (): Plan2025 => defaultPlan(LINE_2025_META) as Plan2025;

/** The 2025 line's optional stacks all left out: the core stacks only, the quickest to deploy. */
export const CORE_ONLY_2025 = { grafana: false, otel: false, demo: false };

/**
 * A default plan named `name`, its stacks named `<prefix>-<id>` so that plans of one test file
 * never share a stack, with the optional stacks `include` says (the default plan's otherwise).
 */
export function namedPlan2025(name: string, include?: Plan2025['include'], prefix = name): Plan2025 {
  const plan = defaultPlan2025();
  plan.name = name;
  if (include) plan.include = { ...include };
  for (const meta of METAS_2025) plan.stackNames[meta.id] = `${prefix}-${meta.id}`;
  return plan;
}
