// Checks only the server can make: with an AWS connection (the sandbox by default), existing
// subnets must belong to the chosen VPC and span two Availability Zones. Subnets the connected
// account cannot see (another account, no permission) are left for CloudFormation to judge.
import 'server-only';
import { createAwsContext } from '@/lib/aws/clients';
import { getConnection } from '@/lib/aws/connection';
import { listSubnets, type SubnetSummary } from '@/lib/aws/network';
import type { Plan } from '@/lib/params/plan';
import type { FieldErrors } from '@/lib/params/schema';
import { splitList } from '@/lib/params/spec';

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

export async function checkAgainstAccount(plan: Plan): Promise<FieldErrors> {
  if (plan.network !== 'existing') return {};
  const common = plan.params.common;
  const privateIds = splitList(common.PrivateSubnets ?? '');
  const publicIds = splitList(common.PublicSubnets ?? '');
  const subnets = await lookup(plan, [...new Set([...privateIds, ...publicIds])]);
  if (!subnets) return {};
  const errors: FieldErrors = {};
  const vpcId = common.VpcId ?? '';
  const privateProblem = checkList('Private subnets', privateIds, vpcId, subnets);
  if (privateProblem) errors['params.common.PrivateSubnets'] = privateProblem;
  const publicProblem = publicIds.length > 0 ? checkList('Public subnets', publicIds, vpcId, subnets) : undefined;
  if (publicProblem) errors['params.common.PublicSubnets'] = publicProblem;
  return errors;
}
