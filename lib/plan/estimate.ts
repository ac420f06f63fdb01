// The plan's cost estimate and Fargate footprint, made from the same rendered templates as the
// downloads, the previews and the deployments.
import 'server-only';
import { createHash } from 'node:crypto';
import { estimate, type Estimate, type EstimateStack } from '@/lib/cost/estimate';
import { fargateFootprint, type FargateFootprint } from '@/lib/cost/fargate';
import { planAfter, type Operation } from '@/lib/deploy/scope';
import type { StackAction } from '@/lib/deploy/types';
import type { Plan } from '@/lib/params/plan';
import { usageOf } from '@/lib/params/usage';
import { lineOf } from '@/templates';
import type { StackId } from '@/templates/stack';
import { renderPlan, type RenderedStack } from './index';

export const toEstimateStack = (stack: RenderedStack): EstimateStack => ({
  id: stack.meta.id,
  name: stack.stackName,
  title: stack.meta.title,
  template: stack.template,
  ...(stack.children ? { children: stack.children } : {}),
});

/** The estimate of the plan's stacks (all of them, or those `only` keeps). */
export function estimatePlan(plan: Plan, only: (id: StackId) => boolean = () => true): Estimate {
  const stacks = renderPlan(plan).filter((s) => only(s.meta.id));
  return estimate({ stacks: stacks.map(toEstimateStack), region: plan.region, usage: usageOf(plan), rules: lineOf(plan).priceRules });
}

// Recent estimates by the plan they are for: the live panel asks again for plans it asked before
// (an edit undone, a page reloaded), and an estimate renders every template of the plan.
const CACHED = 200;
const HELD = Symbol.for('lakerunner.console.estimates');
type Holder = typeof globalThis & { [HELD]?: Map<string, Estimate> };

/**
 * The plan's estimate, from the cache when this plan was estimated lately; otherwise `beforeWork`
 * runs first (it may throw: the per-user budget) and the estimate is made and kept.
 */
export function estimatePlanCached(plan: Plan, beforeWork: () => void = () => {}): { estimate: Estimate; cached: boolean } {
  const holder = globalThis as Holder;
  const cache = (holder[HELD] ??= new Map());
  const key = createHash('sha256').update(JSON.stringify(plan)).digest('hex');
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return { estimate: hit, cached: true };
  }
  beforeWork();
  const made = estimatePlan(plan);
  cache.set(key, made);
  for (const oldest of cache.keys()) {
    if (cache.size <= CACHED) break;
    cache.delete(oldest);
  }
  return { estimate: made, cached: false };
}

/** The vCPU and memory the plan's Fargate services keep running (for a quota check), of the stacks `only` keeps. */
export const planFootprint = (plan: Plan, only: (id: StackId) => boolean = () => true): FargateFootprint =>
  fargateFootprint(renderPlan(plan).filter((s) => only(s.meta.id)).map((s) => ({ id: s.meta.id, template: s.template, ...(s.children ? { children: s.children } : {}) })), plan.region);

/**
 * The estimate before and after a run of `operation`: stacks the run creates do not exist before
 * it, stacks it deletes do not exist after it; the others count as deployed on both sides.
 */
export function estimateChange(plan: Plan, operation: Operation, stacks: readonly { stackId: StackId; action: StackAction }[]): { before: Estimate; after: Estimate } {
  const doing = (action: StackAction) => new Set(stacks.filter((s) => s.action === action).map((s) => s.stackId));
  const created = doing('create');
  const deleted = doing('delete');
  return {
    before: estimatePlan(plan, (id) => !created.has(id)),
    after: estimatePlan(operation.kind === 'teardown' ? plan : planAfter(plan, lineOf(plan), operation), (id) => !deleted.has(id)),
  };
}
