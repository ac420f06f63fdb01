// The deployment plan: which stacks, their names, region and every user-entered parameter value,
// and the pure derivations the downloads, CLI commands and quick-create links are built from.
// Isomorphic and free of the validation library: the plan page renders from this module and
// loads the schema (plan-schema.ts) only once it has something to check.
import type { StackId, StackMeta } from '@/templates/stack';
import { stackGraph } from './graph';
import { DEFAULT_REGION, type RegionCode } from './regions';
import type { ParamValues } from './schema';
import { ruleKeys, type ParamRule, type ParamSpec } from './spec';
import { DEFAULT_USAGE, type UsageAssumptions } from './usage';

export type NetworkMode = 'new' | 'existing';
export const OPTIONAL_STACK_IDS = ['grafana', 'otel', 'demo'] as const;
export type OptionalStackId = (typeof OPTIONAL_STACK_IDS)[number];

export interface Plan {
  name: string;
  region: RegionCode;
  network: NetworkMode;
  include: Record<OptionalStackId, boolean>;
  stackNames: Record<StackId, string>;
  /** Where the templates are published for quick-create links (optional). */
  templateBaseUrl: string;
  /** User-entered values per stack, keyed by CloudFormation parameter key. */
  params: Record<StackId, ParamValues>;
  /** What the cost estimate assumes; absent in plans saved before estimates existed. */
  usage?: UsageAssumptions;
}

/** A parameter whose value is another stack's output, known only once that stack exists. */
export interface PendingOutput {
  stack: StackId;
  output: string;
}

export interface PlanStack {
  meta: StackMeta;
  stackName: string;
  /** Every parameter value the stack is launched with, except pending outputs. */
  values: ParamValues;
  pending: Record<string, PendingOutput>;
}

export function isIncluded(plan: Pick<Plan, 'network' | 'include'>, id: StackId): boolean {
  if (id === 'vpc') return plan.network === 'new';
  if (id === 'grafana' || id === 'otel' || id === 'demo') return plan.include[id];
  return true;
}

/** The graph of a plan's stacks: optional stacks left out and, with an existing VPC, the VPC stack. */
export const planGraph = (plan: Pick<Plan, 'network' | 'include'>, metas: readonly StackMeta[]) => stackGraph(metas, (id) => isIncluded(plan, id));

/** Keys the plan fills itself (stack names, outputs of included stacks): never asked twice. */
export function filledKeys(meta: StackMeta, plan: Pick<Plan, 'network' | 'include'>): string[] {
  return Object.entries(meta.inputs)
    .filter(([, input]) => 'stackName' in input || isIncluded(plan, input.output[0]))
    .map(([key]) => key);
}

export function userSpecs(meta: StackMeta, plan: Pick<Plan, 'network' | 'include'>): ParamSpec[] {
  const filled = filledKeys(meta, plan);
  return meta.parameters.filter((spec) => !filled.includes(spec.key));
}

export function userRules(meta: StackMeta, plan: Pick<Plan, 'network' | 'include'>): ParamRule[] {
  const filled = filledKeys(meta, plan);
  return meta.rules.filter((rule) => !ruleKeys(rule).some((key) => filled.includes(key)));
}

export function defaultPlan(metas: readonly StackMeta[]): Plan {
  const byId = <T,>(f: (m: StackMeta) => T) => Object.fromEntries(metas.map((m) => [m.id, f(m)])) as Record<StackId, T>;
  return {
    name: 'lakerunner',
    region: DEFAULT_REGION,
    network: 'new',
    include: { grafana: true, otel: true, demo: false },
    stackNames: byId((m) => m.stem),
    templateBaseUrl: '',
    params: byId((m) => Object.fromEntries(m.parameters.map((s) => [s.key, s.default ?? '']))),
    usage: { ...DEFAULT_USAGE },
  };
}

/** The included stacks in deployment order, with every value resolved from the plan. */
export function planStacks(plan: Plan, metas: readonly StackMeta[]): PlanStack[] {
  return metas
    .filter((meta) => isIncluded(plan, meta.id))
    .map((meta) => {
      const values: ParamValues = {};
      const pending: Record<string, PendingOutput> = {};
      for (const spec of meta.parameters) {
        const input = meta.inputs[spec.key];
        if (input && 'stackName' in input) values[spec.key] = plan.stackNames[input.stackName];
        else if (input && isIncluded(plan, input.output[0])) pending[spec.key] = { stack: input.output[0], output: input.output[1] };
        else values[spec.key] = plan.params[meta.id]?.[spec.key] ?? spec.default ?? '';
      }
      return { meta, stackName: plan.stackNames[meta.id], values, pending };
    });
}
