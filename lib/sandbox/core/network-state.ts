// The EC2 side of a sandbox region (VPCs, subnets, security groups), apart from the rest of the
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
}
