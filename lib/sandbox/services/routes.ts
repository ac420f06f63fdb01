// A region's route tables as EC2 reports them: the seeded VPCs' (kept in the state) and those
// stacks made, read from their live resources — each stack VPC's main table, its
// AWS::EC2::RouteTable resources with their routes and subnet associations.
import { propString } from '../cfn/json';
import { stableEc2Id } from '../core/ids';
import type { RouteState, RouteTableState } from '../core/network-state';
import type { RegionState } from '../core/state';
import { liveResources } from '../resources/live';

const tagsOf = (value: unknown) =>
  Array.isArray(value) ? value.filter((t): t is { Key: string; Value: string } => typeof t?.Key === 'string' && typeof t?.Value === 'string') : [];

export function routeTables(r: RegionState): RouteTableState[] {
  const tables = r.routeTables.map((t) => ({ ...t, routes: [...t.routes], associations: [...t.associations] }));
  for (const vpc of r.vpcs) {
    if (tables.some((t) => t.vpcId === vpc.vpcId && t.main)) continue;
    tables.push({
      routeTableId: stableEc2Id('rtb', `${vpc.vpcId}/main`),
      vpcId: vpc.vpcId,
      main: true,
      routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' }],
      associations: [],
      tags: [],
    });
  }
  for (const table of liveResources(r, 'AWS::EC2::RouteTable')) {
    const vpcId = propString(table.properties, 'VpcId') ?? '';
    const cidr = r.vpcs.find((v) => v.vpcId === vpcId)?.cidrBlock;
    tables.push({
      routeTableId: table.physicalId!,
      vpcId,
      main: false,
      routes: cidr ? [{ destinationCidrBlock: cidr, gatewayId: 'local', origin: 'CreateRouteTable' }] : [],
      associations: [],
      tags: tagsOf(table.properties.Tags),
    });
  }
  const byId = new Map(tables.map((t) => [t.routeTableId, t]));
  for (const route of liveResources(r, 'AWS::EC2::Route')) {
    const table = byId.get(propString(route.properties, 'RouteTableId') ?? '');
    const destination = propString(route.properties, 'DestinationCidrBlock');
    if (!table || !destination) continue;
    const entry: RouteState = { destinationCidrBlock: destination, origin: 'CreateRoute' };
    const gateway = propString(route.properties, 'GatewayId');
    const nat = propString(route.properties, 'NatGatewayId');
    if (gateway) entry.gatewayId = gateway;
    if (nat) entry.natGatewayId = nat;
    table.routes.push(entry);
  }
  for (const link of liveResources(r, 'AWS::EC2::SubnetRouteTableAssociation')) {
    const table = byId.get(propString(link.properties, 'RouteTableId') ?? '');
    const subnetId = propString(link.properties, 'SubnetId');
    if (table && subnetId) table.associations.push({ associationId: link.physicalId!, subnetId });
  }
  return tables;
}
