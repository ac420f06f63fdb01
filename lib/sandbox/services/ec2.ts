// EC2's read side over the EC2 query protocol: VPCs, subnets, security groups and
// Availability Zones, including whatever the stacks have created.
import { ACCOUNT_ID } from '../auth/identity';
import { AwsError } from '../core/errors';
import { stableHex } from '../core/ids';
import type { RegionState, Tag } from '../core/state';
import { list, str, strList, type QueryParams } from '../protocols/query';
import type { XmlValue } from '../protocols/xml';
import { availabilityZones, zoneId } from './network';

type Filter = { name: string; values: string[] };

function filtersOf(params: QueryParams): Filter[] {
  return list(params, 'Filter').map((f) => ({ name: str(f, 'Name') ?? '', values: strList(f, 'Value') }));
}

function matchTags(filter: Filter, tags: Tag[]): boolean | undefined {
  if (filter.name.startsWith('tag:')) return tags.some((t) => t.Key === filter.name.slice(4) && filter.values.includes(t.Value));
  if (filter.name === 'tag-key') return tags.some((t) => filter.values.includes(t.Key));
  return undefined;
}

function applyFilters<T>(items: T[], filters: Filter[], fields: Record<string, (item: T) => string>, tags: (item: T) => Tag[]): T[] {
  for (const filter of filters) {
    if (!(filter.name in fields) && !filter.name.startsWith('tag:') && filter.name !== 'tag-key') {
      throw new AwsError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    }
  }
  return items.filter((item) =>
    filters.every((f) => matchTags(f, tags(item)) ?? f.values.some((v) => wildcard(v).test(fields[f.name]!(item)))),
  );
}

const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
const tagSet = (tags: Tag[]) => tags.map((t) => ({ key: t.Key, value: t.Value }));

function requireIds<T>(items: T[], ids: string[], id: (item: T) => string, notFound: (missing: string) => AwsError): T[] {
  const missing = ids.find((wanted) => !items.some((item) => id(item) === wanted));
  if (missing) throw notFound(missing);
  return ids.length ? items.filter((item) => ids.includes(id(item))) : items;
}

export function handleEc2(action: string, params: QueryParams, r: RegionState, region: string): Record<string, XmlValue> {
  const filters = filtersOf(params);
  switch (action) {
    case 'DescribeVpcs': {
      const vpcs = requireIds(r.vpcs, strList(params, 'VpcId'), (v) => v.vpcId, (id) => new AwsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`));
      const matched = applyFilters(vpcs, filters, { 'vpc-id': (v) => v.vpcId, 'cidr-block': (v) => v.cidrBlock, 'is-default': (v) => String(v.isDefault), state: () => 'available', 'owner-id': () => ACCOUNT_ID }, (v) => v.tags);
      return {
        vpcSet: matched.map((v) => ({
          vpcId: v.vpcId,
          ownerId: ACCOUNT_ID,
          state: 'available',
          cidrBlock: v.cidrBlock,
          cidrBlockAssociationSet: [{ associationId: `vpc-cidr-assoc-${stableHex(v.vpcId, 17)}`, cidrBlock: v.cidrBlock, cidrBlockState: { state: 'associated' } }],
          dhcpOptionsId: `dopt-${stableHex(region, 17)}`,
          instanceTenancy: 'default',
          isDefault: v.isDefault,
          tagSet: tagSet(v.tags),
        })),
      };
    }
    case 'DescribeSubnets': {
      const subnets = requireIds(r.subnets, strList(params, 'SubnetId'), (s) => s.subnetId, (id) => new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`));
      const matched = applyFilters(
        subnets,
        filters,
        {
          'vpc-id': (s) => s.vpcId,
          'subnet-id': (s) => s.subnetId,
          'availability-zone': (s) => s.availabilityZone,
          'default-for-az': (s) => String(s.defaultForAz),
          'defaultForAz': (s) => String(s.defaultForAz),
          'cidr-block': (s) => s.cidrBlock,
          'map-public-ip-on-launch': (s) => String(s.mapPublicIpOnLaunch),
          state: () => 'available',
        },
        (s) => s.tags,
      );
      return {
        subnetSet: matched.map((s) => ({
          subnetId: s.subnetId,
          subnetArn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:subnet/${s.subnetId}`,
          state: 'available',
          ownerId: ACCOUNT_ID,
          vpcId: s.vpcId,
          cidrBlock: s.cidrBlock,
          availableIpAddressCount: Math.max(0, 2 ** (32 - Number(s.cidrBlock.split('/')[1] ?? 24)) - 5),
          availabilityZone: s.availabilityZone,
          availabilityZoneId: zoneId(region, s.availabilityZone),
          defaultForAz: s.defaultForAz,
          mapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
          tagSet: tagSet(s.tags),
        })),
      };
    }
    case 'DescribeSecurityGroups': {
      let groups = requireIds(r.securityGroups, strList(params, 'GroupId'), (g) => g.groupId, (id) => new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`));
      const names = strList(params, 'GroupName');
      if (names.length) groups = groups.filter((g) => names.includes(g.groupName));
      const matched = applyFilters(groups, filters, { 'vpc-id': (g) => g.vpcId, 'group-id': (g) => g.groupId, 'group-name': (g) => g.groupName, description: (g) => g.description }, (g) => g.tags);
      return {
        securityGroupInfo: matched.map((g) => ({
          ownerId: ACCOUNT_ID,
          groupId: g.groupId,
          groupName: g.groupName,
          groupDescription: g.description,
          vpcId: g.vpcId,
          ipPermissions: [],
          ipPermissionsEgress: [{ ipProtocol: '-1', ipRanges: [{ cidrIp: '0.0.0.0/0' }] }],
          tagSet: tagSet(g.tags),
        })),
      };
    }
    case 'DescribeAvailabilityZones': {
      const zones = availabilityZones(region).map((name) => ({ name }));
      const wanted = strList(params, 'ZoneName');
      const picked = wanted.length ? zones.filter((z) => wanted.includes(z.name)) : zones;
      const matched = applyFilters(picked, filters, { 'zone-name': (z) => z.name, 'region-name': () => region, state: () => 'available', 'zone-type': () => 'availability-zone' }, () => []);
      return {
        availabilityZoneInfo: matched.map((z) => ({
          zoneName: z.name,
          zoneId: zoneId(region, z.name),
          zoneState: 'available',
          regionName: region,
          groupName: region,
          networkBorderGroup: region,
          optInStatus: 'opt-in-not-required',
          zoneType: 'availability-zone',
          messageSet: [],
        })),
      };
    }
    case 'DescribeRegions':
      return {
        regionInfo: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'].map((name) => ({
          regionName: name,
          regionEndpoint: `ec2.${name}.amazonaws.com`,
          optInStatus: 'opt-in-not-required',
        })),
      };
    default:
      throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
  }
}
