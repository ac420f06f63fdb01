// The network every sandbox region starts with: a default VPC (172.31.0.0/16) with one default
// subnet per AZ, and a "workloads" VPC with two private and two public subnets. Ids are stable
// per region, so they survive restarts without being stored anywhere else.
import { stableEc2Id } from '../core/ids';
import type { NetworkState } from '../core/network-state';

/** Three AZs per region, named like AWS names them. */
export const availabilityZones = (region: string) => ['a', 'b', 'c'].map((suffix) => `${region}${suffix}`);

export function zoneId(region: string, zone: string): string {
  const prefix = region
    .split('-')
    .map((part, i) => (i === 0 ? part : i === 1 ? part.slice(0, 1) : part))
    .join('');
  return `${prefix}-az${'abc'.indexOf(zone.slice(-1)) + 1}`;
}

export function seedNetwork(r: NetworkState, region: string) {
  const zones = availabilityZones(region);
  const defaultVpc = stableEc2Id('vpc', `${region}/default`);
  r.vpcs.push({ vpcId: defaultVpc, cidrBlock: '172.31.0.0/16', isDefault: true, tags: [] });
  zones.forEach((zone, i) => {
    r.subnets.push({
      subnetId: stableEc2Id('subnet', `${region}/default/${zone}`),
      vpcId: defaultVpc,
      cidrBlock: `172.31.${i * 16}.0/20`,
      availabilityZone: zone,
      defaultForAz: true,
      mapPublicIpOnLaunch: true,
      tags: [],
    });
  });
  r.securityGroups.push({ groupId: stableEc2Id('sg', `${region}/default/sg`), groupName: 'default', description: 'default VPC security group', vpcId: defaultVpc, tags: [] });

  const workloads = stableEc2Id('vpc', `${region}/workloads`);
  r.vpcs.push({ vpcId: workloads, cidrBlock: '10.20.0.0/16', isDefault: false, tags: [{ Key: 'Name', Value: 'sandbox-workloads' }] });
  const tiers = [
    { name: 'private-a', zone: zones[0]!, cidr: '10.20.0.0/20', isPublic: false },
    { name: 'private-b', zone: zones[1]!, cidr: '10.20.16.0/20', isPublic: false },
    { name: 'public-a', zone: zones[0]!, cidr: '10.20.128.0/24', isPublic: true },
    { name: 'public-b', zone: zones[1]!, cidr: '10.20.129.0/24', isPublic: true },
  ];
  for (const tier of tiers) {
    r.subnets.push({
      subnetId: stableEc2Id('subnet', `${region}/workloads/${tier.name}`),
      vpcId: workloads,
      cidrBlock: tier.cidr,
      availabilityZone: tier.zone,
      defaultForAz: false,
      mapPublicIpOnLaunch: tier.isPublic,
      tags: [
        { Key: 'Name', Value: `sandbox-workloads-${tier.name}` },
        { Key: 'Tier', Value: tier.isPublic ? 'Public' : 'Private' },
      ],
    });
  }
  r.securityGroups.push({ groupId: stableEc2Id('sg', `${region}/workloads/sg`), groupName: 'default', description: 'default VPC security group', vpcId: workloads, tags: [] });
}
