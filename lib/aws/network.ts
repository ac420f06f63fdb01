// VPCs and subnets of the connected account, for the plan's pickers and for the server-side
// check that private subnets span two Availability Zones of the chosen VPC.
import 'server-only';
import { DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcsCommand, type RouteTable, type Subnet, type Vpc } from '@aws-sdk/client-ec2';
import type { AwsContext } from './clients';
import { awsCall, NotFoundError } from './errors';

export interface VpcSummary {
  id: string;
  cidr: string;
  name?: string;
  isDefault: boolean;
}

export interface SubnetSummary {
  id: string;
  vpcId: string;
  cidr: string;
  availabilityZone: string;
  name?: string;
  /** Subnets that give instances public IPs are almost always the public ones. */
  publicIpOnLaunch: boolean;
}

const nameTag = (tags?: { Key?: string; Value?: string }[]) => tags?.find((t) => t.Key === 'Name')?.Value;

const toVpc = (vpc: Vpc): VpcSummary => ({ id: vpc.VpcId ?? '', cidr: vpc.CidrBlock ?? '', name: nameTag(vpc.Tags), isDefault: vpc.IsDefault ?? false });
const toSubnet = (subnet: Subnet): SubnetSummary => ({
  id: subnet.SubnetId ?? '',
  vpcId: subnet.VpcId ?? '',
  cidr: subnet.CidrBlock ?? '',
  availabilityZone: subnet.AvailabilityZone ?? '',
  name: nameTag(subnet.Tags),
  publicIpOnLaunch: subnet.MapPublicIpOnLaunch ?? false,
});

export async function listVpcs(context: AwsContext): Promise<VpcSummary[]> {
  const result = await awsCall('DescribeVpcs', () => context.ec2.send(new DescribeVpcsCommand({})));
  return (result.Vpcs ?? []).map(toVpc);
}

export async function listSubnets(context: AwsContext, vpcId?: string, subnetIds?: string[]): Promise<SubnetSummary[]> {
  const result = await awsCall('DescribeSubnets', () =>
    context.ec2.send(
      new DescribeSubnetsCommand({
        ...(vpcId ? { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] } : {}),
        ...(subnetIds ? { SubnetIds: subnetIds } : {}),
      }),
    ),
  );
  return (result.Subnets ?? []).map(toSubnet);
}

/** Whether the VPC exists in the account and region (EC2 answers InvalidVpcID.NotFound otherwise). */
export async function vpcExists(context: AwsContext, vpcId: string): Promise<boolean> {
  try {
    const result = await awsCall('DescribeVpcs', () => context.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })));
    return (result.Vpcs ?? []).some((vpc) => vpc.VpcId === vpcId);
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/**
 * The subnets of `ids` that exist, with whether each routes 0.0.0.0/0 to an internet gateway (its
 * own route table, else its VPC's main one). EC2 refuses the whole DescribeSubnets when one id
 * does not exist, so on that refusal each is asked alone.
 */
export async function describeSubnets(context: AwsContext, ids: readonly string[]): Promise<Map<string, SubnetSummary & { routedToInternet: boolean }>> {
  let subnets: SubnetSummary[];
  try {
    subnets = await listSubnets(context, undefined, [...ids]);
  } catch (error) {
    if (!(error instanceof NotFoundError) || ids.length === 1) {
      if (error instanceof NotFoundError) return new Map();
      throw error;
    }
    subnets = (await Promise.all(ids.map((id) => describeSubnets(context, [id])))).flatMap((found) => [...found.values()]);
  }
  const vpcIds = [...new Set(subnets.map((s) => s.vpcId))];
  const tables = vpcIds.length
    ? ((await awsCall('DescribeRouteTables', () => context.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: vpcIds }] })))).RouteTables ?? [])
    : [];
  const toInternet = (table: RouteTable) => (table.Routes ?? []).some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && (r.GatewayId ?? '').startsWith('igw-'));
  const tableOf = (subnet: SubnetSummary) =>
    tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnet.id)) ?? tables.find((t) => t.VpcId === subnet.vpcId && (t.Associations ?? []).some((a) => a.Main));
  return new Map(subnets.map((s) => {
    const table = tableOf(s);
    return [s.id, { ...s, routedToInternet: table ? toInternet(table) : false }];
  }));
}
