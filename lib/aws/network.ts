// VPCs and subnets of the connected account, for the plan's pickers and for the server-side
// check that private subnets span two Availability Zones of the chosen VPC.
import 'server-only';
import { DescribeSubnetsCommand, DescribeVpcsCommand, type Subnet, type Vpc } from '@aws-sdk/client-ec2';
import type { AwsContext } from './clients';
import { awsCall } from './errors';

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
