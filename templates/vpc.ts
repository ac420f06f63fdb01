// lakerunner-vpc: an optional, cost-conscious VPC for proofs of concept. Two public and two
// private /24 subnets carved from VpcCidr across two AZs, one optional NAT gateway, and the
// endpoints Lakerunner's tasks need to reach AWS services without crossing the internet.
import { cidr, equals, exported, getAtt, getAZs, join, ref, select, sub, tags, type Resource } from '@/lib/cfn/template';
import { VPC_CIDR_PATTERN } from '@/lib/params/formats';
import { defineStack } from './stack';

const SUBNETS = [
  { id: 'PublicSubnet1', tier: 'Public', az: 0, block: 0 },
  { id: 'PublicSubnet2', tier: 'Public', az: 1, block: 1 },
  { id: 'PrivateSubnet1', tier: 'Private', az: 0, block: 2 },
  { id: 'PrivateSubnet2', tier: 'Private', az: 1, block: 3 },
] as const;

const INTERFACE_ENDPOINTS = [
  { id: 'SecretsManagerEndpoint', service: 'secretsmanager' },
  { id: 'LogsEndpoint', service: 'logs' },
  { id: 'EcsEndpoint', service: 'ecs' },
  { id: 'EcrApiEndpoint', service: 'ecr.api' },
  { id: 'EcrDkrEndpoint', service: 'ecr.dkr' },
] as const;

const named = (suffix: string) => tags({ Name: sub(`\${EnvironmentName}-${suffix}`) });
const privateSubnets = [ref('PrivateSubnet1'), ref('PrivateSubnet2')];
const publicSubnets = [ref('PublicSubnet1'), ref('PublicSubnet2')];

function subnetResources(): Record<string, Resource> {
  const resources: Record<string, Resource> = {};
  for (const subnet of SUBNETS) {
    const isPublic = subnet.tier === 'Public';
    resources[subnet.id] = {
      Type: 'AWS::EC2::Subnet',
      Properties: {
        VpcId: ref('VPC'),
        AvailabilityZone: select(subnet.az, getAZs('')),
        CidrBlock: select(subnet.block, cidr(ref('VpcCidr'), 4, 8)),
        MapPublicIpOnLaunch: isPublic,
        Tags: tags({ Name: sub(`\${EnvironmentName}-${subnet.tier.toLowerCase()}-${subnet.az + 1}`), Type: subnet.tier }),
      },
    };
    resources[`${subnet.id}RouteTableAssociation`] = {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { SubnetId: ref(subnet.id), RouteTableId: ref(isPublic ? 'PublicRouteTable' : 'PrivateRouteTable') },
    };
  }
  return resources;
}

function endpointResources(): Record<string, Resource> {
  const resources: Record<string, Resource> = {
    VPCEndpointSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'HTTPS from inside the VPC to the interface endpoints',
        VpcId: ref('VPC'),
        SecurityGroupIngress: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: ref('VpcCidr'), Description: 'HTTPS from the VPC' },
        ],
        Tags: named('vpce-sg'),
      },
    },
    S3GatewayEndpoint: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcEndpointType: 'Gateway',
        ServiceName: sub('com.amazonaws.${AWS::Region}.s3'),
        VpcId: ref('VPC'),
        RouteTableIds: [ref('PrivateRouteTable')],
      },
    },
  };
  for (const endpoint of INTERFACE_ENDPOINTS) {
    resources[endpoint.id] = {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcEndpointType: 'Interface',
        ServiceName: sub(`com.amazonaws.\${AWS::Region}.${endpoint.service}`),
        VpcId: ref('VPC'),
        SubnetIds: privateSubnets,
        SecurityGroupIds: [ref('VPCEndpointSecurityGroup')],
        PrivateDnsEnabled: true,
      },
    };
  }
  return resources;
}

export const vpcStack = defineStack({
  id: 'vpc',
  stem: 'lakerunner-vpc',
  aliases: [],
  title: 'VPC',
  purpose: 'Creates a VPC over two Availability Zones with public and private subnets, one NAT gateway and private endpoints, for accounts without a VPC ready.',
  inclusion: 'new-network',
  lossOnDelete: 'No Lakerunner data; the network comes back with new IDs, so every stack in it must go first.',
  needs: [],
  after: [],
  inputs: {},
  rules: [],
  parameters: [
    {
      key: 'EnvironmentName',
      type: 'String',
      label: 'Environment name',
      description: 'Prefix for the Name tags of the VPC, subnets, gateways and security group.',
      group: 'Network',
      default: 'lakerunner',
      allowedPattern: '^[a-zA-Z][a-zA-Z0-9-]*$',
      maxLength: 64,
      constraintDescription: 'Environment name must start with a letter and contain only letters, digits and hyphens (at most 64).',
    },
    {
      key: 'VpcCidr',
      type: 'String',
      label: 'VPC CIDR block',
      description: 'IPv4 range of the VPC, /16 to /22; the four /24 subnets are taken from its start.',
      group: 'Network',
      default: '10.0.0.0/16',
      allowedPattern: VPC_CIDR_PATTERN,
      constraintDescription: 'VPC CIDR block must be an IPv4 CIDR with a prefix from /16 to /22, such as 10.0.0.0/16.',
      format: 'cidr',
    },
    {
      key: 'CreateNatGateway',
      type: 'String',
      label: 'Create a NAT gateway',
      description: 'Yes gives the private subnets internet egress through one shared NAT gateway; Lakerunner needs it to pull public images and reach SQS and SSM.',
      group: 'Network',
      default: 'Yes',
      allowedValues: ['Yes', 'No'],
      constraintDescription: 'Create a NAT gateway must be Yes or No.',
    },
  ],
  build: () => ({
    Description: 'Lakerunner VPC: two-AZ VPC with public and private subnets, an optional NAT gateway and private endpoints for AWS services.',
    Conditions: { CreateNatGateway: equals(ref('CreateNatGateway'), 'Yes') },
    Resources: {
      VPC: {
        Type: 'AWS::EC2::VPC',
        Properties: { CidrBlock: ref('VpcCidr'), EnableDnsHostnames: true, EnableDnsSupport: true, Tags: named('vpc') },
      },
      InternetGateway: { Type: 'AWS::EC2::InternetGateway', Properties: { Tags: named('igw') } },
      VPCGatewayAttachment: {
        Type: 'AWS::EC2::VPCGatewayAttachment',
        Properties: { VpcId: ref('VPC'), InternetGatewayId: ref('InternetGateway') },
      },
      PublicRouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('VPC'), Tags: named('public-rt') } },
      PublicRoute: {
        Type: 'AWS::EC2::Route',
        DependsOn: 'VPCGatewayAttachment',
        Properties: { RouteTableId: ref('PublicRouteTable'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref('InternetGateway') },
      },
      PrivateRouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('VPC'), Tags: named('private-rt') } },
      ...subnetResources(),
      NatEIP: {
        Type: 'AWS::EC2::EIP',
        Condition: 'CreateNatGateway',
        DependsOn: 'VPCGatewayAttachment',
        Properties: { Domain: 'vpc', Tags: named('nat-eip') },
      },
      NatGateway: {
        Type: 'AWS::EC2::NatGateway',
        Condition: 'CreateNatGateway',
        Properties: { AllocationId: getAtt('NatEIP', 'AllocationId'), SubnetId: ref('PublicSubnet1'), Tags: named('nat-gw') },
      },
      PrivateRoute: {
        Type: 'AWS::EC2::Route',
        Condition: 'CreateNatGateway',
        Properties: { RouteTableId: ref('PrivateRouteTable'), DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: ref('NatGateway') },
      },
      ...endpointResources(),
    },
    Outputs: {
      VpcId: exported('ID of the VPC.', ref('VPC'), 'VpcId'),
      VpcCidr: exported('IPv4 CIDR block of the VPC.', ref('VpcCidr'), 'VpcCidr'),
      PublicSubnets: exported('Comma-separated IDs of the two public subnets.', join(',', publicSubnets), 'PublicSubnets'),
      PrivateSubnets: exported('Comma-separated IDs of the two private subnets.', join(',', privateSubnets), 'PrivateSubnets'),
      VPCEndpointSecurityGroupId: exported(
        'Security group of the interface endpoints.',
        ref('VPCEndpointSecurityGroup'),
        'VPCEndpointSecurityGroupId',
      ),
      NatGatewayId: {
        Description: 'ID of the NAT gateway, when one was created.',
        Condition: 'CreateNatGateway',
        Value: ref('NatGateway'),
      },
    },
  }),
});
