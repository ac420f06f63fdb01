// How discovery recognizes a 2025-layout deployment among a region's stacks: every stack but the
// VPC names the common stack it imports from (CommonInfraStackName), and the VPC stack is the one
// whose VpcId the common stack uses. Names for the stacks a deployment lacks follow the common
// stack's prefix. lib/deploy/discover.ts does the rest, the same for every line.
import type { FoundGroup, FoundStack, LineDiscovery } from './line';
import type { StackId, StackMeta } from './stack';

type Stacks = readonly Pick<StackMeta, 'id' | 'stem'>[];

/** The Description of the original upstream templates (cardinalhq/lakerunner-cloudformation). */
const UPSTREAM_DESCRIPTIONS: Readonly<Record<string, StackId>> = {
  'Lakerunner VPC: Cost-optimized VPC with essential VPC endpoints for private AWS service access': 'vpc',
  'CommonInfra stack for Lakerunner.': 'common',
  'Lakerunner DB migration (single template): defines TaskDefinition and runs it via Custom Resource.': 'migration',
  'Lakerunner Services: ECS services, task definitions, IAM roles, and ALB integration': 'services',
  'Lakerunner Grafana Service: Grafana service with ALB, PostgreSQL storage, and datasource configuration': 'grafana',
  'Lakerunner OTEL Collector: ECS service with ALB for telemetry ingestion': 'otel',
};

function group(found: readonly FoundStack[]): FoundGroup[] {
  const groups = new Map<string, FoundGroup>();
  const join = (key: string, stack: FoundStack) => {
    const existing = groups.get(key) ?? { key, members: [] };
    existing.members.push(stack);
    groups.set(key, existing);
  };
  for (const stack of found) {
    if (stack.id === 'common') join(stack.name, stack);
    else if (stack.id !== 'vpc') join(stack.parameters.CommonInfraStackName ?? '', stack);
  }
  for (const vpc of found.filter((s) => s.id === 'vpc')) {
    const vpcId = vpc.outputs.VpcId;
    const common = found.find((s) => s.id === 'common' && vpcId !== undefined && s.parameters.VpcId === vpcId);
    join(common ? common.name : `vpc:${vpc.name}`, vpc);
  }
  return [...groups.values()];
}

function relationWarnings(group: FoundGroup, chosen: ReadonlyMap<StackId, FoundStack>, titleOf: (id: StackId) => string): string[] {
  const warnings: string[] = [];
  const common = chosen.get('common');
  const vpcOnly = group.key.startsWith('vpc:');
  if (vpcOnly) {
    warnings.push(`No ${titleOf('common')} stack uses the VPC of ${chosen.get('vpc')?.name}; only the VPC stack was found.`);
    return warnings;
  }
  if (!common) {
    const dependents = [...chosen.values()].map((s) => `${s.name} (${titleOf(s.id)})`).join(', ');
    warnings.push(`${dependents} import${chosen.size === 1 ? 's' : ''} from the ${titleOf('common')} stack ${group.key || '(none given)'}, which was not found in this region.`);
  }
  for (const id of ['migration', 'services'] as const)
    if (!chosen.has(id) && common) warnings.push(`No ${titleOf(id)} stack was found for ${common.name}; deploying this deployment would create one.`);
  const services = chosen.get('services');
  for (const id of ['grafana', 'demo'] as const) {
    const stack = chosen.get(id);
    const wanted = stack?.parameters.ServicesStackName;
    if (stack && wanted !== undefined && wanted !== services?.name)
      warnings.push(`${stack.name} (${titleOf(id)}) reads from the services stack ${wanted}, which ${services ? `is not ${services.name}, the one attached` : 'was not found'}.`);
  }
  const demo = chosen.get('demo');
  const otelWanted = demo?.parameters.OtelCollectorStackName;
  if (demo && otelWanted !== undefined && otelWanted !== chosen.get('otel')?.name)
    warnings.push(`${demo.name} (${titleOf('demo')}) sends telemetry to the collector stack ${otelWanted}, which was not found among the attached stacks.`);
  return warnings;
}

/**
 * A name for a stack the group lacks: the common stack's prefix and the stack's own suffix
 * (acme-common → acme-services), never the name of a stack that exists, which a deploy would update.
 */
function missingName(stacks: Stacks, commonName: string, id: StackId, existing: ReadonlySet<string>): string {
  const suffix = (stacks.find((s) => s.id === id)?.stem ?? id).replace(/^lakerunner-/, '');
  const prefix = commonName.endsWith('common') ? commonName.slice(0, -'common'.length) : `${commonName}-`;
  const base = `${prefix}${suffix}`.slice(0, 120);
  let name = base;
  for (let n = 2; existing.has(name); n += 1) name = `${base}-${n}`;
  return name;
}

function stackNames(stacks: Stacks, group: FoundGroup, chosen: ReadonlyMap<StackId, FoundStack>, existing: ReadonlySet<string>): Record<StackId, string> {
  const vpcBase = group.key.startsWith('vpc:') ? group.key.slice(4).replace(/-?vpc$/i, '') || 'lakerunner' : undefined;
  const commonName = chosen.get('common')?.name ?? (vpcBase !== undefined ? missingName(stacks, vpcBase, 'common', existing) : group.key || 'lakerunner-common');
  return Object.fromEntries(
    stacks.map(({ id }) => [id, chosen.get(id)?.name ?? (id === 'common' ? commonName : missingName(stacks, commonName, id, existing))]),
  );
}

const PLAN_NAME_MAX = 63;

function suggestName(key: string): string {
  const base = key.replace(/^vpc:/, '').replace(/-?(common|vpc)$/i, '') || key.replace(/^vpc:/, '');
  const cleaned = base.replace(/[^A-Za-z0-9 _.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || 'lakerunner').slice(0, PLAN_NAME_MAX);
}

/** The 2025 line's discovery, naming missing stacks after `stacks` (the line's, in order). */
export const discovery2025 = (stacks: Stacks): LineDiscovery => ({
  upstreamDescriptions: UPSTREAM_DESCRIPTIONS,
  group,
  relationWarnings,
  stackNames: (g, chosen, existing) => stackNames(stacks, g, chosen, existing),
  suggestName,
});
