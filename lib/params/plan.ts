// The deployment plan: which stacks, their names, region and every user-entered parameter value,
// validated by one schema in the browser and on the server, and the pure derivations the
// downloads, CLI commands and quick-create links are built from. Isomorphic.
import * as z from 'zod/mini';
import type { StackId, StackMeta } from '@/templates/stack';
import { checkFormatSync } from './formats';
import { stackGraph } from './graph';
import { REGION_CODES, DEFAULT_REGION, type RegionCode } from './regions';
import { toZodSchema, type ParamValues } from './schema';
import type { ParamRule, ParamSpec } from './spec';
import { checkTemplateBaseUrl } from './template-url';
import { DEFAULT_USAGE, usageSchema, type UsageAssumptions } from './usage';

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
  return meta.rules.filter((rule) => !filled.includes(rule.then.key) && !filled.includes(rule.when.key));
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

const stackNameField = (label: string) =>
  z.string({ error: `${label} must be text.` }).check(
    z.superRefine((value, ctx) => {
      const problem = value === '' ? `${label} is required.` : checkFormatSync('stack-name', value, label);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether the cross-field checks can run although some plain fields failed: they only need
 * the network, the include flags, the stack names and the per-stack value objects to be well-formed.
 */
function isRefinable(value: unknown, metas: readonly StackMeta[]): boolean {
  if (!isObject(value) || (value.network !== 'new' && value.network !== 'existing')) return false;
  const { include, stackNames, params } = value;
  if (!isObject(include) || !OPTIONAL_STACK_IDS.every((id) => typeof include[id] === 'boolean')) return false;
  if (!isObject(stackNames) || !isObject(params)) return false;
  return metas.every((m) => typeof stackNames[m.id] === 'string' && isObject(params[m.id]));
}

const PLAN_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/;

/**
 * The plan schema: shape first, then each included stack's own derived schema (so fields of
 * excluded stacks are ignored), then the cross-stack rules.
 */
export function createPlanSchema(metas: readonly StackMeta[]) {
  const perStack = <T extends z.ZodMiniType>(make: (m: StackMeta) => T) => z.strictObject(Object.fromEntries(metas.map((m) => [m.id, make(m)])));
  const longestFile = `${metas.reduce((a, m) => (m.stem.length > a.length ? m.stem : a), '')}.yaml`;

  const shape = z.strictObject({
    name: z
      .string({ error: 'Plan name must be text.' })
      .check(z.regex(PLAN_NAME, 'Plan name must start with a letter or digit and use letters, digits, spaces, dots, dashes or underscores (at most 63).')),
    region: z.enum(REGION_CODES, { error: 'Choose a region from the list.' }),
    network: z.enum(['new', 'existing'], { error: 'Choose whether to create a VPC or use an existing one.' }),
    include: z.strictObject({
      grafana: z.boolean({ error: 'Must be true or false.' }),
      otel: z.boolean({ error: 'Must be true or false.' }),
      demo: z.boolean({ error: 'Must be true or false.' }),
    }),
    stackNames: perStack((m) => stackNameField(`${m.title} stack name`)),
    templateBaseUrl: z.string({ error: 'Template base URL must be text.' }).check(
      z.superRefine((value, ctx) => {
        const problem = checkTemplateBaseUrl(value, longestFile);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    ),
    params: perStack(() => z.record(z.string(), z.unknown())),
    usage: z.optional(usageSchema),
  });
  type Shape = z.output<typeof shape>;

  const crossChecks = z.superRefine<Shape>(async (plan, ctx) => {
    if (plan.include.demo && !plan.include.otel)
      ctx.addIssue({ code: 'custom', path: ['include', 'demo'], message: 'The demo apps send their telemetry to the OTEL collector: include the collector too, or leave the demo apps out.' });

    const seen = new Map<string, StackId>();
    for (const meta of metas) {
      if (!isIncluded(plan, meta.id)) continue;
      const name = plan.stackNames[meta.id as keyof typeof plan.stackNames] as string;
      const other = seen.get(name);
      if (other) ctx.addIssue({ code: 'custom', path: ['stackNames', meta.id], message: `Stack name ${name} is already used by the ${other} stack.` });
      else seen.set(name, meta.id);
    }

    for (const meta of metas) {
      if (!isIncluded(plan, meta.id)) continue;
      const schema = toZodSchema(userSpecs(meta, plan), userRules(meta, plan));
      const result = await schema.safeParseAsync(plan.params[meta.id as keyof typeof plan.params]);
      if (!result.success)
        for (const issue of result.error.issues) {
          if (issue.code === 'unrecognized_keys') {
            const known = meta.parameters.map((s) => s.key);
            for (const key of issue.keys.filter((k) => !known.includes(k)))
              ctx.addIssue({ code: 'custom', path: ['params', meta.id, key], message: `Unknown field "${key}".` });
            continue;
          }
          ctx.addIssue({ code: 'custom', path: ['params', meta.id, ...issue.path.map(String)], message: issue.message });
        }
    }

    const common = plan.params.common as ParamValues | undefined;
    if (plan.include.otel && plan.network === 'existing' && (plan.params.otel as ParamValues | undefined)?.LoadBalancerType === 'internet-facing' && !common?.PublicSubnets)
      ctx.addIssue({ code: 'custom', path: ['params', 'otel', 'LoadBalancerType'], message: 'An internet-facing collector needs public subnets: set Public subnets in the common stack, or keep the collector internal.' });
  }, { when: (payload) => isRefinable(payload.value, metas) });

  return z.pipe(
    shape.check(crossChecks),
    z.transform((plan: Shape): Plan => ({
      ...plan,
      usage: plan.usage ?? { ...DEFAULT_USAGE },
      stackNames: plan.stackNames as Record<StackId, string>,
      params: Object.fromEntries(
        metas.map((m) => {
          const given = plan.params[m.id as keyof typeof plan.params] as Record<string, unknown>;
          return [m.id, Object.fromEntries(m.parameters.map((s) => [s.key, typeof given[s.key] === 'string' ? (given[s.key] as string) : (s.default ?? '')]))];
        }),
      ) as Record<StackId, ParamValues>,
    })),
  );
}

export type PlanInput = z.input<ReturnType<typeof createPlanSchema>>;
