// Finds the Lakerunner stacks already deployed in one account and region (ListStacks, recognized
// by their template Description), groups them into deployments by the common stack they import
// from, and rebuilds each deployment's plan from DescribeStacks, so the console can adopt them.
import 'server-only';
import { ListStacksCommand, StackStatus, type StackSummary } from '@aws-sdk/client-cloudformation';
import type { AwsContext } from '@/lib/aws/clients';
import { awsCall } from '@/lib/aws/errors';
import { OPTIONAL_STACK_IDS, type Plan } from '@/lib/params/plan';
import { createPlanSchema } from '@/lib/params/plan-schema';
import { REGION_CODES, type RegionCode } from '@/lib/params/regions';
import { toFieldErrors, type ParamValues } from '@/lib/params/schema';
import { STACKS } from '@/templates';
import { renderTemplate, STACK_IDS, type StackDefinition, type StackId } from '@/templates/stack';
import { describeStack, type StackState } from './cfn';
import { isFailedStackStatus } from './types';

export interface DiscoveredDeployment {
  suggestedName: string;
  region: string;
  plan: Plan;
  stacks: { id: StackId; stackName: string; status: string; arn: string }[];
  /** `<stack id>.<parameter key>` of NoEcho values AWS does not reveal; updates keep them (UsePreviousValue). */
  secretsKept: string[];
  warnings: string[];
}

/** The Description of the original upstream templates (cardinalhq/lakerunner-cloudformation). */
const UPSTREAM_DESCRIPTIONS: Readonly<Record<string, StackId>> = {
  'Lakerunner VPC: Cost-optimized VPC with essential VPC endpoints for private AWS service access': 'vpc',
  'CommonInfra stack for Lakerunner.': 'common',
  'Lakerunner DB migration (single template): defines TaskDefinition and runs it via Custom Resource.': 'migration',
  'Lakerunner Services: ECS services, task definitions, IAM roles, and ALB integration': 'services',
  'Lakerunner Grafana Service: Grafana service with ALB, PostgreSQL storage, and datasource configuration': 'grafana',
  'Lakerunner OTEL Collector: ECS service with ALB for telemetry ingestion': 'otel',
};

/** What CloudFormation shows instead of a NoEcho parameter's value. */
const MASK = '****';
/** Stacks that exist: not deleted, and not a mere placeholder for a change set never executed. */
const LIVE_STATUSES = Object.values(StackStatus).filter((status) => status !== StackStatus.DELETE_COMPLETE && status !== StackStatus.REVIEW_IN_PROGRESS);
const DESCRIBE_CONCURRENCY = 4;
const PLAN_NAME_MAX = 63;

let descriptions: Map<string, { id: StackId; upstream: boolean }> | undefined;

/** Which Lakerunner stack a template Description belongs to, ours or the upstream original. */
export function recognizeStack(description: string | undefined): { id: StackId; upstream: boolean } | undefined {
  if (!descriptions) {
    descriptions = new Map(Object.entries(UPSTREAM_DESCRIPTIONS).map(([text, id]) => [text, { id, upstream: true }]));
    for (const stack of STACKS) descriptions.set(renderTemplate(stack).Description, { id: stack.id, upstream: false });
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

interface Found {
  id: StackId;
  upstream: boolean;
  name: string;
  state: StackState;
}

interface Group {
  /** The common stack's name, or the VPC stack's for a VPC no common stack uses. */
  key: string;
  members: Found[];
}

function group(found: readonly Found[]): Group[] {
  const groups = new Map<string, Group>();
  const join = (key: string, stack: Found) => {
    const existing = groups.get(key) ?? { key, members: [] };
    existing.members.push(stack);
    groups.set(key, existing);
  };
  for (const stack of found) {
    if (stack.id === 'common') join(stack.name, stack);
    else if (stack.id !== 'vpc') join(stack.state.parameters.CommonInfraStackName ?? '', stack);
  }
  for (const vpc of found.filter((s) => s.id === 'vpc')) {
    const vpcId = vpc.state.outputs.VpcId;
    const common = found.find((s) => s.id === 'common' && vpcId !== undefined && s.state.parameters.VpcId === vpcId);
    join(common ? common.name : `vpc:${vpc.name}`, vpc);
  }
  return [...groups.values()];
}

const TITLES = Object.fromEntries(STACKS.map((s) => [s.id, s.title])) as Record<StackId, string>;
const stackById = (id: StackId) => STACKS.find((s) => s.id === id) as StackDefinition;

function statusWarning(stack: Found): string | undefined {
  const { status, reason } = stack.state;
  const label = `${stack.name} (${TITLES[stack.id]})`;
  if (status === 'ROLLBACK_COMPLETE')
    return `${label} is in ROLLBACK_COMPLETE: its creation failed and was rolled back, so it holds no resources. Delete it before deploying it again.`;
  if (isFailedStackStatus(status) || status.endsWith('_IN_PROGRESS'))
    return `${label} is in ${status}${reason ? `: ${reason}` : ''}.`;
  return undefined;
}

/**
 * A name for a stack the group lacks: the common stack's prefix and the stack's own suffix
 * (acme-common → acme-services), never the name of a stack that exists, which a deploy would update.
 */
function missingName(commonName: string, id: StackId, existing: ReadonlySet<string>): string {
  const suffix = stackById(id).stem.replace(/^lakerunner-/, '');
  const prefix = commonName.endsWith('common') ? commonName.slice(0, -'common'.length) : `${commonName}-`;
  const base = `${prefix}${suffix}`.slice(0, 120);
  let name = base;
  for (let n = 2; existing.has(name); n += 1) name = `${base}-${n}`;
  return name;
}

function suggestName(key: string): string {
  const base = key.replace(/^vpc:/, '').replace(/-?(common|vpc)$/i, '') || key.replace(/^vpc:/, '');
  const cleaned = base.replace(/[^A-Za-z0-9 _.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || 'lakerunner').slice(0, PLAN_NAME_MAX);
}

function pick(group: Group, warnings: string[]): Map<StackId, Found> {
  const chosen = new Map<StackId, Found>();
  for (const id of STACK_IDS) {
    const candidates = group.members.filter((m) => m.id === id).sort((a, b) => a.name.localeCompare(b.name));
    const [first, ...others] = candidates;
    if (!first) continue;
    chosen.set(id, first);
    for (const other of others)
      warnings.push(`${other.name} is another ${TITLES[id]} stack using ${group.key}; only ${first.name} is part of this deployment.`);
  }
  return chosen;
}

function relationWarnings(group: Group, chosen: Map<StackId, Found>, warnings: string[]) {
  const common = chosen.get('common');
  const vpcOnly = group.key.startsWith('vpc:');
  if (vpcOnly) {
    warnings.push(`No ${TITLES.common} stack uses the VPC of ${chosen.get('vpc')?.name}; only the VPC stack was found.`);
    return;
  }
  if (!common) {
    const dependents = [...chosen.values()].map((s) => `${s.name} (${TITLES[s.id]})`).join(', ');
    warnings.push(`${dependents} import${chosen.size === 1 ? 's' : ''} from the ${TITLES.common} stack ${group.key || '(none given)'}, which was not found in this region.`);
  }
  for (const id of ['migration', 'services'] as const)
    if (!chosen.has(id) && common) warnings.push(`No ${TITLES[id]} stack was found for ${common.name}; deploying this deployment would create one.`);
  const services = chosen.get('services');
  for (const id of ['grafana', 'demo'] as const) {
    const stack = chosen.get(id);
    const wanted = stack?.state.parameters.ServicesStackName;
    if (stack && wanted !== undefined && wanted !== services?.name)
      warnings.push(`${stack.name} (${TITLES[id]}) reads from the services stack ${wanted}, which ${services ? `is not ${services.name}, the one attached` : 'was not found'}.`);
  }
  const demo = chosen.get('demo');
  const otelWanted = demo?.state.parameters.OtelCollectorStackName;
  if (demo && otelWanted !== undefined && otelWanted !== chosen.get('otel')?.name)
    warnings.push(`${demo.name} (${TITLES.demo}) sends telemetry to the collector stack ${otelWanted}, which was not found among the attached stacks.`);
}

function paramsOf(stack: Found, secretsKept: string[], warnings: string[]): ParamValues {
  const definition = stackById(stack.id);
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
    warnings.push(`${stack.name} has parameters the console's ${TITLES[stack.id]} template does not: ${unknown.join(', ')}. An update from the console drops them.`);
  return values;
}

interface PlanInput {
  region: RegionCode;
  name: string;
  group: Group;
  chosen: Map<StackId, Found>;
  /** Names of every stack in the region, Lakerunner's or not. */
  existing: ReadonlySet<string>;
  warnings: string[];
  secretsKept: string[];
}

function buildPlan({ region, name, group, chosen, existing, warnings, secretsKept }: PlanInput): Plan {
  const vpcBase = group.key.startsWith('vpc:') ? group.key.slice(4).replace(/-?vpc$/i, '') || 'lakerunner' : undefined;
  const commonName = chosen.get('common')?.name ?? (vpcBase !== undefined ? missingName(vpcBase, 'common', existing) : group.key || 'lakerunner-common');
  const stackNames = Object.fromEntries(
    STACK_IDS.map((id) => [id, chosen.get(id)?.name ?? (id === 'common' ? commonName : missingName(commonName, id, existing))]),
  ) as Record<StackId, string>;
  const params = Object.fromEntries(
    STACKS.map((definition) => {
      const stack = chosen.get(definition.id);
      const values = stack ? paramsOf(stack, secretsKept, warnings) : Object.fromEntries(definition.parameters.map((s) => [s.key, s.default ?? '']));
      return [definition.id, values];
    }),
  ) as Record<StackId, ParamValues>;
  return {
    name,
    region,
    network: chosen.has('vpc') ? 'new' : 'existing',
    include: Object.fromEntries(OPTIONAL_STACK_IDS.map((id) => [id, chosen.has(id)])) as Plan['include'],
    stackNames,
    templateBaseUrl: '',
    params,
  };
}

const planSchema = createPlanSchema(STACKS);

async function planWarnings(plan: Plan): Promise<string[]> {
  const result = await planSchema.safeParseAsync(plan);
  if (result.success) return [];
  return Object.entries(toFieldErrors(result.error)).map(([path, message]) => `The rebuilt plan has a value the console would not accept (${path}): ${message}`);
}

/**
 * Every Lakerunner deployment in the context's account and region, one per common stack (plus
 * stacks whose common stack is gone, and VPC stacks no common stack uses), sorted by name.
 */
export async function discoverDeployments(context: AwsContext): Promise<DiscoveredDeployment[]> {
  const region = REGION_CODES.find((code) => code === context.region);
  if (!region) throw new RangeError(`${context.region} is not a region the console deploys to.`);

  const live = await listLiveStacks(context);
  const existing = new Set(live.map((summary) => summary.StackName ?? ''));
  const candidates = live
    .map((summary) => ({ summary, recognized: recognizeStack(summary.TemplateDescription) }))
    .filter((c): c is { summary: StackSummary; recognized: { id: StackId; upstream: boolean } } => c.recognized !== undefined);
  const described = await mapLimited(candidates, DESCRIBE_CONCURRENCY, async ({ summary, recognized }) => {
    const state = await describeStack(context.cloudFormation, summary.StackId ?? summary.StackName ?? '');
    return state && { ...recognized, name: summary.StackName ?? '', state };
  });
  const found = described.filter((s): s is Found => s !== undefined && s.state.status !== 'DELETE_COMPLETE');

  const taken = new Set<string>();
  const deployments: DiscoveredDeployment[] = [];
  for (const g of group(found).sort((a, b) => suggestName(a.key).localeCompare(suggestName(b.key)) || a.key.localeCompare(b.key))) {
    const warnings: string[] = [];
    const secretsKept: string[] = [];
    const chosen = pick(g, warnings);
    let name = suggestName(g.key);
    for (let n = 2; taken.has(name); n += 1) name = `${suggestName(g.key).slice(0, PLAN_NAME_MAX - String(n).length - 1)}-${n}`;
    taken.add(name);

    const ordered = STACK_IDS.flatMap((id) => (chosen.has(id) ? [chosen.get(id)!] : []));
    for (const stack of ordered) {
      const problem = statusWarning(stack);
      if (problem) warnings.push(problem);
      if (stack.upstream)
        warnings.push(`${stack.name} was deployed from the original upstream ${TITLES[stack.id]} template; an update from the console replaces it with the console's template.`);
    }
    relationWarnings(g, chosen, warnings);
    const plan = buildPlan({ region, name, group: g, chosen, existing, warnings, secretsKept });
    warnings.push(...(await planWarnings(plan)));
    deployments.push({
      suggestedName: name,
      region: context.region,
      plan,
      stacks: ordered.map((s) => ({ id: s.id, stackName: s.name, status: s.state.status, arn: s.state.arn })),
      secretsKept,
      warnings,
    });
  }
  return deployments;
}

/** Whether every stack of a discovered deployment finished its last operation successfully. */
export const allStacksComplete = (deployment: Pick<DiscoveredDeployment, 'stacks'>) =>
  deployment.stacks.length > 0 && deployment.stacks.every((s) => s.status.endsWith('_COMPLETE') && !isFailedStackStatus(s.status));
