// The network every sandbox region of every account starts with: a default VPC (172.31.0.0/16)
// with one public default subnet per AZ, and a "workloads" VPC with two private subnets (routed
// through a NAT gateway) and two public ones (routed to an internet gateway). Ids are stable per
// account and region, so they survive restarts without being stored anywhere else. More VPCs can
// be seeded (a customer's network, for preflights).
import { DEFAULT_ACCOUNT_ID } from '../auth/identity';
import { parseCidr } from '../cfn/intrinsics';
import { ec2Id, stableEc2Id } from '../core/ids';
import type { NetworkState, RouteTableState, Tag } from '../core/network-state';

/** Three AZs per region, named like AWS names them. */
export const availabilityZones = (region: string) => ['a', 'b', 'c'].map((suffix) => `${region}${suffix}`);

export function zoneId(region: string, zone: string): string {
  const prefix = region
    .split('-')
    .map((part, i) => (i === 0 ? part : i === 1 ? part.slice(0, 1) : part))
    .join('');
  return `${prefix}-az${'abc'.indexOf(zone.slice(-1)) + 1}`;
}

/** The seed of an account's stable ids; the default account keeps the ids it always had. */
const seedOf = (account: string, region: string) => (account === DEFAULT_ACCOUNT_ID ? region : `${account}/${region}`);

const WORKLOAD_TIERS = (zones: string[]) => [
  { name: 'private-a', zone: zones[0]!, cidr: '10.20.0.0/20', isPublic: false },
  { name: 'private-b', zone: zones[1]!, cidr: '10.20.16.0/20', isPublic: false },
  { name: 'public-a', zone: zones[0]!, cidr: '10.20.128.0/24', isPublic: true },
  { name: 'public-b', zone: zones[1]!, cidr: '10.20.129.0/24', isPublic: true },
];

export function seedNetwork(r: NetworkState, account: string, region: string) {
  const seed = seedOf(account, region);
  const zones = availabilityZones(region);
  const defaultVpc = stableEc2Id('vpc', `${seed}/default`);
  r.vpcs.push({ vpcId: defaultVpc, cidrBlock: '172.31.0.0/16', isDefault: true, tags: [] });
  zones.forEach((zone, i) => {
    r.subnets.push({
      subnetId: stableEc2Id('subnet', `${seed}/default/${zone}`),
      vpcId: defaultVpc,
      cidrBlock: `172.31.${i * 16}.0/20`,
      availabilityZone: zone,
      defaultForAz: true,
      mapPublicIpOnLaunch: true,
      tags: [],
    });
  });
  r.securityGroups.push({ groupId: stableEc2Id('sg', `${seed}/default/sg`), groupName: 'default', description: 'default VPC security group', vpcId: defaultVpc, tags: [] });

  const workloads = stableEc2Id('vpc', `${seed}/workloads`);
  r.vpcs.push({ vpcId: workloads, cidrBlock: '10.20.0.0/16', isDefault: false, tags: [{ Key: 'Name', Value: 'sandbox-workloads' }] });
  for (const tier of WORKLOAD_TIERS(zones)) {
    r.subnets.push({
      subnetId: stableEc2Id('subnet', `${seed}/workloads/${tier.name}`),
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
  r.securityGroups.push({ groupId: stableEc2Id('sg', `${seed}/workloads/sg`), groupName: 'default', description: 'default VPC security group', vpcId: workloads, tags: [] });
  r.routeTables.push(...seedRouting(account, region));
}

const localRoute = (cidr: string) => ({ destinationCidrBlock: cidr, gatewayId: 'local', origin: 'CreateRouteTable' as const });
const association = (routeTableId: string, subnetId: string) => ({ associationId: stableEc2Id('rtbassoc', `${routeTableId}/${subnetId}`), subnetId });

/** The seeded VPCs' route tables (also rebuilt for state files written before route tables were kept). */
export function seedRouting(account: string, region: string): RouteTableState[] {
  const seed = seedOf(account, region);
  const defaultVpc = stableEc2Id('vpc', `${seed}/default`);
  const workloads = stableEc2Id('vpc', `${seed}/workloads`);
  const subnet = (name: string) => stableEc2Id('subnet', `${seed}/workloads/${name}`);
  const tiers = WORKLOAD_TIERS(availabilityZones(region));
  const publicRtb = stableEc2Id('rtb', `${seed}/workloads/public`);
  const privateRtb = stableEc2Id('rtb', `${seed}/workloads/private`);
  return [
    // The default VPC's main table sends everything else to its internet gateway: its subnets are public.
    {
      routeTableId: stableEc2Id('rtb', `${seed}/default/main`),
      vpcId: defaultVpc,
      main: true,
      routes: [localRoute('172.31.0.0/16'), { destinationCidrBlock: '0.0.0.0/0', gatewayId: stableEc2Id('igw', `${seed}/default`), origin: 'CreateRoute' }],
      associations: [],
      tags: [],
    },
    { routeTableId: stableEc2Id('rtb', `${seed}/workloads/main`), vpcId: workloads, main: true, routes: [localRoute('10.20.0.0/16')], associations: [], tags: [] },
    {
      routeTableId: publicRtb,
      vpcId: workloads,
      main: false,
      routes: [localRoute('10.20.0.0/16'), { destinationCidrBlock: '0.0.0.0/0', gatewayId: stableEc2Id('igw', `${seed}/workloads`), origin: 'CreateRoute' }],
      associations: tiers.filter((t) => t.isPublic).map((t) => association(publicRtb, subnet(t.name))),
      tags: [{ Key: 'Name', Value: 'sandbox-workloads-public' }],
    },
    {
      routeTableId: privateRtb,
      vpcId: workloads,
      main: false,
      routes: [localRoute('10.20.0.0/16'), { destinationCidrBlock: '0.0.0.0/0', natGatewayId: stableEc2Id('nat', `${seed}/workloads`), origin: 'CreateRoute' }],
      associations: tiers.filter((t) => !t.isPublic).map((t) => association(privateRtb, subnet(t.name))),
      tags: [{ Key: 'Name', Value: 'sandbox-workloads-private' }],
    },
  ];
}

export interface SubnetSeed {
  cidrBlock: string;
  availabilityZone: string;
  /** Routed to an internet gateway (default false: private, through a NAT gateway when the VPC has a public subnet, else isolated). */
  public?: boolean;
  /** Default: the same as `public`. */
  mapPublicIpOnLaunch?: boolean;
  tags?: Tag[];
}

export interface VpcSeed {
  cidrBlock: string;
  tags?: Tag[];
  subnets?: SubnetSeed[];
}

export interface SeededVpc {
  vpcId: string;
  subnetIds: string[];
  /** The main table, and the public and private ones when the VPC has such subnets. */
  routeTableIds: { main: string; public?: string; private?: string };
}

const isTags = (tags: unknown): tags is Tag[] => Array.isArray(tags) && tags.every((t) => typeof t === 'object' && t !== null && typeof (t as Tag).Key === 'string' && typeof (t as Tag).Value === 'string');

/** Adds a VPC (a customer's network) with its subnets and route tables; throws on input EC2 would refuse. */
export function seedVpc(r: NetworkState, region: string, seed: VpcSeed): SeededVpc {
  const vpcRange = typeof seed.cidrBlock === 'string' ? parseCidr(seed.cidrBlock) : undefined;
  if (!vpcRange || !/\/(1[6-9]|2[0-8])$/.test(seed.cidrBlock)) throw new Error('cidrBlock must be an IPv4 CIDR block from /16 to /28');
  if (seed.tags !== undefined && !isTags(seed.tags)) throw new Error('tags must be a list of { Key, Value }');
  const subnets = seed.subnets ?? [];
  if (!Array.isArray(subnets)) throw new Error('subnets must be a list');
  const zones = availabilityZones(region);
  const ranges: { start: number; end: number }[] = [];
  subnets.forEach((s, i) => {
    const range = typeof s?.cidrBlock === 'string' ? parseCidr(s.cidrBlock) : undefined;
    if (!range || range.start < vpcRange.start || range.end > vpcRange.end) throw new Error(`subnets[${i}].cidrBlock must be a CIDR block inside ${seed.cidrBlock}`);
    if (ranges.some((o) => range.start <= o.end && o.start <= range.end)) throw new Error(`subnets[${i}].cidrBlock overlaps another subnet`);
    ranges.push(range);
    if (!zones.includes(s.availabilityZone)) throw new Error(`subnets[${i}].availabilityZone must be one of ${zones.join(', ')}`);
    if (s.tags !== undefined && !isTags(s.tags)) throw new Error(`subnets[${i}].tags must be a list of { Key, Value }`);
  });

  const vpcId = ec2Id('vpc');
  r.vpcs.push({ vpcId, cidrBlock: seed.cidrBlock, isDefault: false, tags: seed.tags ?? [] });
  r.securityGroups.push({ groupId: ec2Id('sg'), groupName: 'default', description: 'default VPC security group', vpcId, tags: [] });
  const subnetIds = subnets.map((s) => {
    const subnetId = ec2Id('subnet');
    r.subnets.push({
      subnetId,
      vpcId,
      cidrBlock: s.cidrBlock,
      availabilityZone: s.availabilityZone,
      defaultForAz: false,
      mapPublicIpOnLaunch: s.mapPublicIpOnLaunch ?? s.public === true,
      tags: s.tags ?? [],
    });
    return subnetId;
  });
  const main = ec2Id('rtb');
  r.routeTables.push({ routeTableId: main, vpcId, main: true, routes: [localRoute(seed.cidrBlock)], associations: [], tags: [] });
  const ids: SeededVpc['routeTableIds'] = { main };
  const publicOnes = subnetIds.filter((_, i) => subnets[i]!.public === true);
  const privateOnes = subnetIds.filter((_, i) => subnets[i]!.public !== true);
  if (publicOnes.length) {
    ids.public = ec2Id('rtb');
    r.routeTables.push({
      routeTableId: ids.public,
      vpcId,
      main: false,
      routes: [localRoute(seed.cidrBlock), { destinationCidrBlock: '0.0.0.0/0', gatewayId: ec2Id('igw'), origin: 'CreateRoute' }],
      associations: publicOnes.map((id) => association(ids.public!, id)),
      tags: [],
    });
  }
  if (privateOnes.length) {
    ids.private = ec2Id('rtb');
    r.routeTables.push({
      routeTableId: ids.private,
      vpcId,
      main: false,
      routes: publicOnes.length
        ? [localRoute(seed.cidrBlock), { destinationCidrBlock: '0.0.0.0/0', natGatewayId: ec2Id('nat'), origin: 'CreateRoute' }]
        : [localRoute(seed.cidrBlock)],
      associations: privateOnes.map((id) => association(ids.private!, id)),
      tags: [],
    });
  }
  return { vpcId, subnetIds, routeTableIds: ids };
}
