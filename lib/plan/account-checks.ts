// Checks only the server can make: with an AWS connection (the sandbox by default), existing
// subnets must belong to the chosen VPC and span two Availability Zones. Subnets the connected
// account cannot see (another account, no permission) are left for CloudFormation to judge. The
// fields are found by type: in each stack of the plan's line that asks for a VPC, its subnet lists.
import 'server-only';
import { createAwsContext } from '@/lib/aws/clients';
import { getConnection } from '@/lib/aws/connection';
import { listSubnets, type SubnetSummary } from '@/lib/aws/network';
import { checkEnvironment, problemMessage } from '@/lib/deploy/environment';
import { HOME, placementOf } from '@/lib/params/accounts';
import { isIncluded, userSpecs, type Plan } from '@/lib/params/plan';
import type { FieldErrors } from '@/lib/params/schema';
import { splitList } from '@/lib/params/spec';
import { lineOf } from '@/templates';

const VPC = 'AWS::EC2::VPC::Id';
const SUBNETS = 'List<AWS::EC2::Subnet::Id>';

async function lookup(plan: Plan, ids: string[]): Promise<Map<string, SubnetSummary> | undefined> {
  try {
    const context = createAwsContext(await getConnection(), plan.region);
    const subnets = await listSubnets(context, undefined, ids);
    return subnets.length === ids.length ? new Map(subnets.map((s) => [s.id, s])) : undefined;
  } catch {
    return undefined;
  }
}

function checkList(label: string, ids: string[], vpcId: string, subnets: Map<string, SubnetSummary>): string | undefined {
  const foreign = ids.map((id) => subnets.get(id)!).find((s) => s.vpcId !== vpcId);
  if (foreign) return `${foreign.id} is in ${foreign.vpcId}, not in ${vpcId}: ${label} must belong to the chosen VPC.`;
  const zones = new Set(ids.map((id) => subnets.get(id)!.availabilityZone));
  if (ids.length >= 2 && zones.size < 2)
    return `${label} must span at least two Availability Zones: ${ids.join(' and ')} are all in ${[...zones][0]}.`;
  return undefined;
}

/** The subnet lists the user gives next to a VPC, by field path, with the VPC they must belong to. */
function subnetFields(plan: Plan): { path: string; label: string; vpcId: string; ids: string[] }[] {
  const metas = lineOf(plan).stacks;
  return metas
    // (a stack the plan puts in another account is looked up there, before a run)
    .filter((meta) => isIncluded(plan, meta) && placementOf(plan, meta) === HOME)
    .flatMap((meta) => {
      const specs = userSpecs(meta, plan, metas);
      const vpc = specs.find((s) => s.type === VPC);
      const values = plan.params[meta.id] ?? {};
      if (!vpc) return [];
      return specs
        .filter((s) => s.type === SUBNETS)
        .map((s) => ({ path: `params.${meta.id}.${s.key}`, label: s.label, vpcId: values[vpc.key] ?? '', ids: splitList(values[s.key] ?? '') }))
        .filter((field) => field.ids.length > 0);
    });
}

/** Sample values (ParamSpec.sample) are for the sandbox: against a real account they are refused on their field. */
async function sampleValues(plan: Plan): Promise<FieldErrors> {
  const metas = lineOf(plan).stacks;
  const used = metas
    .filter((meta) => isIncluded(plan, meta))
    .flatMap((meta) => meta.parameters.filter((spec) => spec.sample && plan.params[meta.id]?.[spec.key] === spec.sample.value).map((spec) => ({ meta, spec })));
  if (used.length === 0) return {};
  const mode = await getConnection()
    .then((connection) => connection.mode)
    .catch(() => undefined);
  if (mode === 'sandbox') return {};
  return Object.fromEntries(
    used.map(({ meta, spec }) => [`params.${meta.id}.${spec.key}`, `This is the sample ${spec.label.toLowerCase()}, which only the sandbox accepts: give your own.`]),
  );
}

/** The customer's own VPC and cluster, as the line names them (lib/deploy/environment.ts); nothing when the account cannot be reached. */
async function environmentErrors(plan: Plan): Promise<FieldErrors> {
  const line = lineOf(plan);
  if (!line.environment) return {};
  try {
    const context = createAwsContext(await getConnection(), plan.region);
    // Stacks the plan puts in another account are checked there, with its role, before a run.
    const home = (id: string) => (placementOf(plan, line.stacks.find((m) => m.id === id)) === HOME ? context : undefined);
    const { problems } = await checkEnvironment(context, plan, line, home);
    return Object.fromEntries(problems.map((p) => [p.path, problemMessage(p)]));
  } catch {
    return {};
  }
}

export async function checkAgainstAccount(plan: Plan): Promise<FieldErrors> {
  const samples = { ...(await sampleValues(plan)), ...(await environmentErrors(plan)) };
  if (plan.network !== 'existing') return samples;
  const fields = subnetFields(plan);
  if (fields.length === 0) return samples;
  const subnets = await lookup(plan, [...new Set(fields.flatMap((f) => f.ids))]);
  if (!subnets) return samples;
  const errors: FieldErrors = { ...samples };
  for (const field of fields) {
    const problem = checkList(field.label, field.ids, field.vpcId, subnets);
    if (problem && !errors[field.path]) errors[field.path] = problem;
  }
  return errors;
}
