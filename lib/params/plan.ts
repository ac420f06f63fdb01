// The deployment plan: its release line, which stacks, their names, region and every user-entered
// parameter value, and the pure derivations the downloads, CLI commands and quick-create links are
// built from. Isomorphic and free of the validation library: the plan page renders from this module
// and loads the schema (plan-schema.ts) only once it has something to check.
import type { LineId, StackId, StackInput, StackMeta } from '@/templates/stack';
import { crossesAccounts, type AccountGroup, type PlanAccounts } from './accounts';
import { stackGraph } from './graph';
import { hasMirrorableImages, withImageRegistry } from './images';
import { DEFAULT_REGION, type RegionCode } from './regions';
import type { ParamValues } from './schema';
import { ruleKeys, type ParamRule, type ParamSpec } from './spec';
import { DEFAULT_USAGE, type UsageAssumptions } from './usage';

export type NetworkMode = 'new' | 'existing';

/** The line of a plan or deployment saved before there were several: the 2025 layout. */
export const LEGACY_RELEASE: LineId = '2025';

export interface Plan {
  /** The release line; absent in plans saved before there were several, which are on the 2025 line. */
  release?: LineId;
  name: string;
  region: RegionCode;
  network: NetworkMode;
  /** The line's optional stacks (its toggles), in or out. */
  include: Record<StackId, boolean>;
  stackNames: Record<StackId, string>;
  /** Where the templates are published for quick-create links (optional). */
  templateBaseUrl: string;
  /**
   * Where the console's deploys load nested stacks' templates from: a mirror holding the line's
   * templates as published (each child at <url><child file>.yaml), for installs that cannot reach
   * the console's staging bucket. Absent or empty: the console publishes them there itself.
   */
  childTemplatesUrl?: string;
  /** User-entered values per stack, keyed by CloudFormation parameter key. */
  params: Record<StackId, ParamValues>;
  /** What the cost estimate assumes; absent in plans saved before estimates existed. */
  usage?: UsageAssumptions;
  /**
   * A private registry (mirror) prefix for the line's images, such as an ECR pull-through cache;
   * empty or absent pulls them from where the release publishes them. Only lines with mirrorable
   * image parameters (ParamSpec.mirrorable) have it.
   */
  imageRegistry?: string;
  /**
   * The release of its line the deployment runs (a manifest's version, templates/release-manifest.ts),
   * set by a release upgrade; absent: the release the line's templates are built for.
   */
  releaseVersion?: string;
  /**
   * Groups of stacks the plan puts in other AWS accounts (by the line's AccountGroup id), with the
   * role the console assumes in each; absent or empty: every stack is in the deployment's account.
   */
  accounts?: PlanAccounts;
}

export const releaseOf = (plan: Pick<Plan, 'release'>): LineId => plan.release ?? LEGACY_RELEASE;

/** An optional stack as the plan form offers it: a checkbox, on or off by default. */
export interface PlanToggle {
  readonly id: StackId;
  readonly label: string;
  /** One sentence under the checkbox. */
  readonly help: string;
  readonly default: boolean;
}

/**
 * A check across a plan's stacks that a release line declares as data (each stack's own rules live
 * with its parameters); plan-rules.ts runs them.
 */
export type PlanRule =
  /** Including `toggle` needs `needs` included too; said on the toggle. */
  | { readonly kind: 'toggle-needs'; readonly toggle: StackId; readonly needs: StackId; readonly message: string }
  /**
   * When an included `when.stack` has `when.key` set to `when.equals`, `needs.stack` must have a
   * value for `needs.key` (or the plan fills it, from a stack it includes); said on `when.key`.
   */
  | {
      readonly kind: 'value-needs';
      readonly when: { readonly stack: StackId; readonly key: string; readonly equals: string };
      readonly needs: { readonly stack: StackId; readonly key: string };
      readonly message: string;
    };

/** What the plan, its schema and its form need of a release line (templates/line.ts has the rest). */
export interface PlanLine {
  readonly id: LineId;
  /** The line's stacks in deployment order. */
  readonly stacks: readonly StackMeta[];
  readonly toggles: readonly PlanToggle[];
  /** Checks across stacks, beyond each stack's own rules. */
  readonly rules: readonly PlanRule[];
  /** Groups of stacks a plan may place in another AWS account (StackMeta.accountGroup). */
  readonly accountGroups?: readonly AccountGroup[];
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

/** What decides which stacks a plan includes. */
export type PlanChoice = Pick<Plan, 'network' | 'include' | 'accounts'>;

export function isIncluded(plan: PlanChoice, meta: Pick<StackMeta, 'id' | 'inclusion'>): boolean {
  switch (meta.inclusion) {
    case 'always':
      return true;
    case 'new-network':
      return plan.network === 'new';
    case 'toggle':
      return plan.include[meta.id] === true;
  }
}

/** Whether the plan includes a stack of its line, by id; an id the line does not have is not included. */
export function includedIn(plan: PlanChoice, metas: readonly StackMeta[]): (id: StackId) => boolean {
  return (id) => {
    const meta = metas.find((m) => m.id === id);
    return meta !== undefined && isIncluded(plan, meta);
  };
}

/** The graph of a plan's stacks: optional stacks left out and, with an existing VPC, the network stacks. */
export const planGraph = (plan: PlanChoice, metas: readonly StackMeta[]) => stackGraph(metas, includedIn(plan, metas));

/**
 * The included producer of an input, when the plan fills it from an output or another stack's
 * value; an output from another account only when it is usable there (`acrossAccounts`).
 */
function inputApplies(input: StackInput, included: (id: StackId) => boolean, crosses: (producer: StackId) => boolean): boolean {
  if ('stackName' in input) return true;
  if ('output' in input) return included(input.output[0]) && (input.acrossAccounts === true || !crosses(input.output[0]));
  if ('outputBy' in input) return Object.values(input.outputBy.cases).every(([producer]) => included(producer) && !crosses(producer));
  return included(input.sameAs[0]);
}

/**
 * Keys the plan fills itself, never asked twice: stack names, outputs of included stacks (for an
 * `outputBy` input, when every case's producer is included), and values another included stack's
 * parameter gives (`sameAs`).
 */
export function filledKeys(meta: StackMeta, plan: PlanChoice, metas: readonly StackMeta[]): string[] {
  const included = includedIn(plan, metas);
  const crosses = (producer: StackId) => crossesAccounts(plan, metas, meta.id, producer);
  return Object.entries(meta.inputs)
    .filter(([, input]) => inputApplies(input, included, crosses))
    .map(([key]) => key);
}

export function userSpecs(meta: StackMeta, plan: PlanChoice, metas: readonly StackMeta[]): ParamSpec[] {
  const filled = filledKeys(meta, plan, metas);
  return meta.parameters.filter((spec) => !filled.includes(spec.key));
}

export function userRules(meta: StackMeta, plan: PlanChoice, metas: readonly StackMeta[]): ParamRule[] {
  const filled = filledKeys(meta, plan, metas);
  return meta.rules.filter((rule) => !ruleKeys(rule).some((key) => filled.includes(key)));
}

/** A new plan on `line`: every stack under its default name, every toggle and parameter at its default. */
export function defaultPlan(line: Pick<PlanLine, 'id' | 'stacks' | 'toggles'>): Plan {
  const byId = <T,>(f: (m: StackMeta) => T) => Object.fromEntries(line.stacks.map((m) => [m.id, f(m)])) as Record<StackId, T>;
  return {
    release: line.id,
    name: 'lakerunner',
    region: DEFAULT_REGION,
    network: 'new',
    include: Object.fromEntries(line.toggles.map((t) => [t.id, t.default])),
    stackNames: byId((m) => m.stem),
    templateBaseUrl: '',
    params: byId((m) => Object.fromEntries(m.parameters.map((s) => [s.key, s.default ?? '']))),
    usage: { ...DEFAULT_USAGE },
    ...(hasMirrorableImages(line.stacks) ? { imageRegistry: '' } : {}),
  };
}

/** The stack name a plan gives a stack of its line (its default name when the plan has none). */
export const stackNameOf = (plan: Pick<Plan, 'stackNames'>, meta: Pick<StackMeta, 'id' | 'stem'>) => plan.stackNames[meta.id] ?? meta.stem;

/** How the plan settles one parameter: a value, or an output known once its stack exists. */
export type Settled = { value: string } | { pending: PendingOutput };

/**
 * Settles every parameter of a plan's stacks: the user's value (or the default), unless an input
 * applies — a stack name, an output (for `outputBy`, the case the chooser's settled value names),
 * or the settled value of the parameter `sameAs` names, followed through.
 */
export function settler(plan: Plan, metas: readonly StackMeta[]): (meta: StackMeta, spec: ParamSpec) => Settled {
  const included = includedIn(plan, metas);
  const nameOf = (id: StackId) => {
    const meta = metas.find((m) => m.id === id);
    return meta ? stackNameOf(plan, meta) : (plan.stackNames[id] ?? '');
  };
  const settle = (meta: StackMeta, spec: ParamSpec, seen: ReadonlySet<string>): Settled => {
    const own = (): Settled => ({ value: plan.params[meta.id]?.[spec.key] ?? spec.default ?? '' });
    const input = meta.inputs[spec.key];
    const here = `${meta.id}.${spec.key}`;
    if (!input || seen.has(here) || !inputApplies(input, included, (producer) => crossesAccounts(plan, metas, meta.id, producer))) return own();
    const next = new Set(seen).add(here);
    if ('stackName' in input) return { value: nameOf(input.stackName) };
    if ('output' in input) return { pending: { stack: input.output[0], output: input.output[1] } };
    if ('outputBy' in input) {
      const chooser = meta.parameters.find((p) => p.key === input.outputBy.key);
      const chosen = chooser && settle(meta, chooser, next);
      const producer = chosen && 'value' in chosen ? input.outputBy.cases[chosen.value] : undefined;
      return producer ? { pending: { stack: producer[0], output: producer[1] } } : own();
    }
    const owner = metas.find((m) => m.id === input.sameAs[0]);
    const ownerSpec = owner?.parameters.find((p) => p.key === input.sameAs[1]);
    return owner && ownerSpec ? settle(owner, ownerSpec, next) : own();
  };
  return (meta, spec) => settle(meta, spec, new Set());
}

/** The included stacks in deployment order, with every value resolved from the plan. */
export function planStacks(plan: Plan, metas: readonly StackMeta[]): PlanStack[] {
  const settle = settler(plan, metas);
  return metas
    .filter((meta) => isIncluded(plan, meta))
    .map((meta) => {
      const values: ParamValues = {};
      const pending: Record<string, PendingOutput> = {};
      for (const spec of meta.parameters) {
        const settled = settle(meta, spec);
        if ('pending' in settled) pending[spec.key] = settled.pending;
        else values[spec.key] = withImageRegistry(plan.imageRegistry, spec, settled.value);
      }
      return { meta, stackName: stackNameOf(plan, meta), values, pending };
    });
}
