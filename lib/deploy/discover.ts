// Finds the Lakerunner stacks already deployed in one account and region (ListStacks, recognized
// by their template Description, for every release line), groups them into deployments as each
// line's discovery says (for the 2025 line, by the common stack they import from), and rebuilds each
// deployment's plan from DescribeStacks, so the console can adopt them.
import 'server-only';
import { ListStacksCommand, StackStatus, type StackSummary } from '@aws-sdk/client-cloudformation';
import type { AwsContext } from '@/lib/aws/clients';
import { awsCall } from '@/lib/aws/errors';
import type { Plan } from '@/lib/params/plan';
import { REGION_CODES, type RegionCode } from '@/lib/params/regions';
import { toFieldErrors, type ParamValues } from '@/lib/params/schema';
import { planSchemaOf } from '@/lib/plan';
import { LINES } from '@/templates';
import type { FoundGroup, FoundStack, ReleaseLine } from '@/templates/line';
import { renderTemplate, type LineId, type StackId } from '@/templates/stack';
import { describeStack, type StackState } from './cfn';
import { isFailedStackStatus } from './types';

export interface DiscoveredDeployment {
  suggestedName: string;
  region: string;
  plan: Plan;
  stacks: { id: StackId; title: string; stackName: string; status: string; arn: string }[];
  /** `<stack id>.<parameter key>` of NoEcho values AWS does not reveal; updates keep them (UsePreviousValue). */
  secretsKept: string[];
  warnings: string[];
}

/** What CloudFormation shows instead of a NoEcho parameter's value. */
const MASK = '****';
/** Stacks that exist: not deleted, and not a mere placeholder for a change set never executed. */
const LIVE_STATUSES = Object.values(StackStatus).filter((status) => status !== StackStatus.DELETE_COMPLETE && status !== StackStatus.REVIEW_IN_PROGRESS);
const DESCRIBE_CONCURRENCY = 4;
const PLAN_NAME_MAX = 63;

/** A recognized stack: its line, its id in that line, and whether it came from upstream's original template. */
export interface Recognized {
  line: LineId;
  id: StackId;
  upstream: boolean;
}

let descriptions: Map<string, Recognized> | undefined;

/** Which Lakerunner stack (of which line) a template Description belongs to, ours or the upstream original. */
export function recognizeStack(description: string | undefined): Recognized | undefined {
  if (!descriptions) {
    descriptions = new Map();
    for (const line of LINES) {
      for (const [text, id] of Object.entries(line.discovery.upstreamDescriptions)) descriptions.set(text, { line: line.id, id, upstream: true });
      for (const stack of line.stacks) descriptions.set(renderTemplate(stack).Description, { line: line.id, id: stack.id, upstream: false });
    }
  }
  return description === undefined ? undefined : descriptions.get(description.trim());
}

async function listLiveStacks(context: AwsContext): Promise<StackSummary[]> {
  const summaries: StackSummary[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall('ListStacks', () => context.cloudFormation.send(new ListStacksCommand({ StackStatusFilter: LIVE_STATUSES, NextToken: token })));
    summaries.push(...(page.StackSummaries ?? []));
    token = page.NextToken;
  } while (token);
  return summaries;
}

/** Runs `work` over `items` with at most `limit` calls in flight, keeping the order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface Found extends FoundStack {
  line: LineId;
  state: StackState;
}

interface Group extends FoundGroup {
  readonly members: Found[];
}

const titleIn = (line: ReleaseLine) => (id: StackId) => line.stacks.find((s) => s.id === id)?.title ?? id;

function statusWarning(line: ReleaseLine, stack: Found): string | undefined {
  const { status, reason } = stack.state;
  const label = `${stack.name} (${titleIn(line)(stack.id)})`;
  if (status === 'ROLLBACK_COMPLETE')
    return `${label} is in ROLLBACK_COMPLETE: its creation failed and was rolled back, so it holds no resources. Delete it before deploying it again.`;
  if (isFailedStackStatus(status) || status.endsWith('_IN_PROGRESS'))
    return `${label} is in ${status}${reason ? `: ${reason}` : ''}.`;
  return undefined;
}

function pick(line: ReleaseLine, group: Group, warnings: string[]): Map<StackId, Found> {
  const chosen = new Map<StackId, Found>();
  for (const { id } of line.stacks) {
    const candidates = group.members.filter((m) => m.id === id).sort((a, b) => a.name.localeCompare(b.name));
    const [first, ...others] = candidates;
    if (!first) continue;
    chosen.set(id, first);
    for (const other of others)
      warnings.push(`${other.name} is another ${titleIn(line)(id)} stack using ${group.key}; only ${first.name} is part of this deployment.`);
  }
  return chosen;
}

function paramsOf(line: ReleaseLine, stack: Found, secretsKept: string[], warnings: string[]): ParamValues {
  const definition = line.stacks.find((s) => s.id === stack.id)!;
  const deployed = stack.state.parameters;
  const values: ParamValues = {};
  for (const spec of definition.parameters) {
    const value = deployed[spec.key];
    if (value === undefined) values[spec.key] = spec.default ?? '';
    else if (spec.noEcho || value === MASK) {
      values[spec.key] = '';
      secretsKept.push(`${stack.id}.${spec.key}`);
      if (!spec.noEcho)
        warnings.push(`${spec.key} of ${stack.name} is secret in the deployed template but not in the console's; enter it again before an update, or it becomes empty.`);
    } else values[spec.key] = value;
  }
  const known = new Set(definition.parameters.map((s) => s.key));
  const unknown = Object.keys(deployed).filter((key) => !known.has(key));
  if (unknown.length > 0)
    warnings.push(`${stack.name} has parameters the console's ${definition.title} template does not: ${unknown.join(', ')}. An update from the console drops them.`);
  return values;
}

interface PlanInput {
  line: ReleaseLine;
  region: RegionCode;
  name: string;
  group: Group;
  chosen: Map<StackId, Found>;
  /** Names of every stack in the region, Lakerunner's or not. */
  existing: ReadonlySet<string>;
  warnings: string[];
  secretsKept: string[];
}

function buildPlan({ line, region, name, group, chosen, existing, warnings, secretsKept }: PlanInput): Plan {
  const params = Object.fromEntries(
    line.stacks.map((definition) => {
      const stack = chosen.get(definition.id);
      const values = stack ? paramsOf(line, stack, secretsKept, warnings) : Object.fromEntries(definition.parameters.map((s) => [s.key, s.default ?? '']));
      return [definition.id, values];
    }),
  );
  return {
    release: line.id,
    name,
    region,
    network: line.stacks.some((s) => s.inclusion === 'new-network' && chosen.has(s.id)) ? 'new' : 'existing',
    include: Object.fromEntries(line.toggles.map((t) => [t.id, chosen.has(t.id)])),
    stackNames: line.discovery.stackNames(group, chosen, existing),
    templateBaseUrl: '',
    params,
  };
}

async function planWarnings(line: ReleaseLine, plan: Plan): Promise<string[]> {
  const result = await planSchemaOf(line.id).safeParseAsync(plan);
  if (result.success) return [];
  return Object.entries(toFieldErrors(result.error)).map(([path, message]) => `The rebuilt plan has a value the console would not accept (${path}): ${message}`);
}

/**
 * Every Lakerunner deployment in the context's account and region, as each line groups its stacks
 * (for the 2025 line: one per common stack, plus stacks whose common stack is gone, and VPC stacks
 * no common stack uses), sorted by name.
 */
export async function discoverDeployments(context: AwsContext): Promise<DiscoveredDeployment[]> {
  const region = REGION_CODES.find((code) => code === context.region);
  if (!region) throw new RangeError(`${context.region} is not a region the console deploys to.`);

  const live = await listLiveStacks(context);
  const existing = new Set(live.map((summary) => summary.StackName ?? ''));
  // A nested stack belongs to its root: the root's discovery covers it.
  const candidates = live
    .filter((summary) => !summary.ParentId)
    .map((summary) => ({ summary, recognized: recognizeStack(summary.TemplateDescription) }))
    .filter((c): c is { summary: StackSummary; recognized: Recognized } => c.recognized !== undefined);
  const described = await mapLimited(candidates, DESCRIBE_CONCURRENCY, async ({ summary, recognized }): Promise<Found | undefined> => {
    const state = await describeStack(context.cloudFormation, summary.StackId ?? summary.StackName ?? '');
    return state && { ...recognized, name: summary.StackName ?? '', parameters: state.parameters, outputs: state.outputs, state };
  });
  const found = described.filter((s): s is Found => s !== undefined && s.state.status !== 'DELETE_COMPLETE');

  // Each line groups its own stacks; the groups are found stacks, so their members are Found.
  const groups = LINES.flatMap((line) => line.discovery.group(found.filter((s) => s.line === line.id)).map((group) => ({ line, group: group as Group })));
  const nameOf = ({ line, group }: (typeof groups)[number]) => line.discovery.suggestName(group.key);
  const taken = new Set<string>();
  const deployments: DiscoveredDeployment[] = [];
  for (const entry of groups.sort((a, b) => nameOf(a).localeCompare(nameOf(b)) || a.group.key.localeCompare(b.group.key))) {
    const { line, group: g } = entry;
    const title = titleIn(line);
    const warnings: string[] = [];
    const secretsKept: string[] = [];
    const chosen = pick(line, g, warnings);
    let name = nameOf(entry);
    for (let n = 2; taken.has(name); n += 1) name = `${nameOf(entry).slice(0, PLAN_NAME_MAX - String(n).length - 1)}-${n}`;
    taken.add(name);

    const ordered = line.stacks.flatMap(({ id }) => (chosen.has(id) ? [chosen.get(id)!] : []));
    for (const stack of ordered) {
      const problem = statusWarning(line, stack);
      if (problem) warnings.push(problem);
      if (stack.upstream)
        warnings.push(`${stack.name} was deployed from the original upstream ${title(stack.id)} template; an update from the console replaces it with the console's template.`);
    }
    warnings.push(...line.discovery.relationWarnings(g, chosen, title));
    const plan = buildPlan({ line, region, name, group: g, chosen, existing, warnings, secretsKept });
    warnings.push(...(await planWarnings(line, plan)));
    deployments.push({
      suggestedName: name,
      region: context.region,
      plan,
      stacks: ordered.map((s) => ({ id: s.id, title: title(s.id), stackName: s.name, status: s.state.status, arn: s.state.arn })),
      secretsKept,
      warnings,
    });
  }
  return deployments;
}

/** Whether every stack of a discovered deployment finished its last operation successfully. */
export const allStacksComplete = (deployment: Pick<DiscoveredDeployment, 'stacks'>) =>
  deployment.stacks.length > 0 && deployment.stacks.every((s) => s.status.endsWith('_COMPLETE') && !isFailedStackStatus(s.status));
