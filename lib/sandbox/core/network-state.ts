// The EC2 side of a sandbox region (VPCs, subnets, security groups, seeded route tables), apart from the rest of the
// state so the seeded network and the stack model can use these types without importing state.ts.

export interface Tag {
  Key: string;
  Value: string;
}

export interface VpcState {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  tags: Tag[];
  ownerStackId?: string;
}

export interface SubnetState {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  tags: Tag[];
  ownerStackId?: string;
}

export interface SecurityGroupState {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  tags: Tag[];
  ownerStackId?: string;
}

export interface NetworkState {
  vpcs: VpcState[];
  subnets: SubnetState[];
  securityGroups: SecurityGroupState[];
  /** Route tables of the seeded VPCs; stacks' route tables are read from their resources (services/routes.ts). */
  routeTables: RouteTableState[];
}

export interface RouteState {
  destinationCidrBlock: string;
  /** `local` for the VPC's own range, or an internet gateway. */
  gatewayId?: string;
  natGatewayId?: string;
  origin: 'CreateRouteTable' | 'CreateRoute';
}

export interface RouteTableState {
  routeTableId: string;
  vpcId: string;
  /** The VPC's main route table: subnets without an explicit association use it. */
  main: boolean;
  routes: RouteState[];
  /** Explicit subnet associations. */
  associations: { associationId: string; subnetId: string }[];
  tags: Tag[];
}
