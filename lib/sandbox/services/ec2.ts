// EC2's read side over the EC2 query protocol: VPCs, subnets, security groups, route tables and
// Availability Zones of the caller's account, including whatever its stacks have created.
import { AwsError } from '../core/errors';
import { stableHex } from '../core/ids';
import type { RegionState, Tag } from '../core/state';
import { list, str, strList, type QueryParams } from '../protocols/query';
import type { XmlValue } from '../protocols/xml';
import { availabilityZones, zoneId } from './network';
import { routeTables } from './routes';

type Filter = { name: string; values: string[] };

function filtersOf(params: QueryParams): Filter[] {
  return list(params, 'Filter').map((f) => ({ name: str(f, 'Name') ?? '', values: strList(f, 'Value') }));
}

function matchTags(filter: Filter, tags: Tag[]): boolean | undefined {
  if (filter.name.startsWith('tag:')) return tags.some((t) => t.Key === filter.name.slice(4) && filter.values.includes(t.Value));
  if (filter.name === 'tag-key') return tags.some((t) => filter.values.includes(t.Key));
  return undefined;
}

/** Keeps the items every filter matches; a field may have several values (a route table's routes), any of which may match. */
function applyFilters<T>(items: T[], filters: Filter[], fields: Record<string, (item: T) => string | string[]>, tags: (item: T) => Tag[]): T[] {
  for (const filter of filters) {
    if (!(filter.name in fields) && !filter.name.startsWith('tag:') && filter.name !== 'tag-key') {
      throw new AwsError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    }
  }
  return items.filter((item) =>
    filters.every((f) => matchTags(f, tags(item)) ?? [fields[f.name]!(item)].flat().some((value) => f.values.some((v) => wildcard(v).test(value)))),
  );
}

const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
const tagSet = (tags: Tag[]) => tags.map((t) => ({ key: t.Key, value: t.Value }));

function requireIds<T>(items: T[], ids: string[], id: (item: T) => string, notFound: (missing: string) => AwsError): T[] {
  const missing = ids.find((wanted) => !items.some((item) => id(item) === wanted));
  if (missing) throw notFound(missing);
  return ids.length ? items.filter((item) => ids.includes(id(item))) : items;
}

export function handleEc2(action: string, params: QueryParams, r: RegionState, region: string, account: string): Record<string, XmlValue> {
  const filters = filtersOf(params);
  switch (action) {
    case 'DescribeVpcs': {
      const vpcs = requireIds(r.vpcs, strList(params, 'VpcId'), (v) => v.vpcId, (id) => new AwsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`));
      const matched = applyFilters(vpcs, filters, { 'vpc-id': (v) => v.vpcId, 'cidr-block': (v) => v.cidrBlock, 'is-default': (v) => String(v.isDefault), state: () => 'available', 'owner-id': () => account }, (v) => v.tags);
      return {
        vpcSet: matched.map((v) => ({
          vpcId: v.vpcId,
          ownerId: account,
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
          'availability-zone-id': (s) => zoneId(region, s.availabilityZone),
          'owner-id': () => account,
          state: () => 'available',
        },
        (s) => s.tags,
      );
      return {
        subnetSet: matched.map((s) => ({
          subnetId: s.subnetId,
          subnetArn: `arn:aws:ec2:${region}:${account}:subnet/${s.subnetId}`,
          state: 'available',
          ownerId: account,
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
          ownerId: account,
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
    case 'DescribeRouteTables': {
      const all = routeTables(r);
      const tables = requireIds(all, strList(params, 'RouteTableId'), (t) => t.routeTableId, (id) => new AwsError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`));
      const mainAssociation = (t: (typeof all)[number]) => `rtbassoc-${stableHex(`${t.routeTableId}/main`, 17)}`;
      const matched = applyFilters(
        tables,
        filters,
        {
          'route-table-id': (t) => t.routeTableId,
          'vpc-id': (t) => t.vpcId,
          'owner-id': () => account,
          'association.subnet-id': (t) => t.associations.map((a) => a.subnetId),
          'association.route-table-association-id': (t) => [...(t.main ? [mainAssociation(t)] : []), ...t.associations.map((a) => a.associationId)],
          // A table without associations has no value here, so either filter value leaves it out (as EC2 documents).
          'association.main': (t) => [...(t.main ? ['true'] : []), ...t.associations.map(() => 'false')],
          'route.destination-cidr-block': (t) => t.routes.map((route) => route.destinationCidrBlock),
          'route.gateway-id': (t) => t.routes.flatMap((route) => (route.gatewayId ? [route.gatewayId] : [])),
          'route.nat-gateway-id': (t) => t.routes.flatMap((route) => (route.natGatewayId ? [route.natGatewayId] : [])),
        },
        (t) => t.tags,
      );
      return {
        routeTableSet: matched.map((t) => ({
          routeTableId: t.routeTableId,
          vpcId: t.vpcId,
          ownerId: account,
          routeSet: t.routes.map((route) => ({
            destinationCidrBlock: route.destinationCidrBlock,
            gatewayId: route.gatewayId,
            natGatewayId: route.natGatewayId,
            state: 'active',
            origin: route.origin,
          })),
          associationSet: [
            ...(t.main ? [{ main: true, routeTableAssociationId: mainAssociation(t), routeTableId: t.routeTableId, associationState: { state: 'associated' } }] : []),
            ...t.associations.map((a) => ({ main: false, routeTableAssociationId: a.associationId, routeTableId: t.routeTableId, subnetId: a.subnetId, associationState: { state: 'associated' } })),
          ],
          propagatingVgwSet: [],
          tagSet: tagSet(t.tags),
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
