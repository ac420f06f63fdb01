// cardinal-poc-vpc (ours, for proofs of concept): what a customer otherwise brings. A VPC over two
// or three Availability Zones with a public and a private subnet in each, one NAT gateway for the
// private subnets' egress (SQS, STS and public ECR have no endpoint here), and a free S3 gateway
// endpoint. Outputs carry the names the Lakerunner stacks' parameters take.
import { cidr, equals, getAZs, ifThen, join, ref, select, sub, type Expr, type Resource } from '@/lib/cfn/template';
import type { ParamSpec } from '@/lib/params/spec';
import { defineStack } from '../stack';
import type { CurrentStackId } from './ids';
import { cardinalTags } from './shared';

const AZ_INDEXES = [0, 1, 2] as const;
/** An IPv4 CIDR of /16 to /21: room for the six /24 subnets. */
const VPC_CIDR_PATTERN =
  '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/(1[6-9]|2[01])$';
/** The third AZ's subnets exist only when AzCount is 3. */
const inThirdAz = (az: number) => (az === 2 ? { Condition: 'ThreeAzs' } : {});
const named = (role: string) => cardinalTags(sub(`\${EnvironmentName}-${role}`), 'networking', 'cardinal-cfn-poc');

const PARAMETERS: ParamSpec[] = [
  {
    key: 'EnvironmentName',
    type: 'String',
    label: 'Environment name',
    description: 'Prefix of the Name tags of the VPC, its subnets, gateways and route tables.',
    group: 'Network',
    default: 'cardinal-poc',
    allowedPattern: '^[a-zA-Z][a-zA-Z0-9-]*$',
    maxLength: 64,
    constraintDescription: 'Environment name must start with a letter and contain only letters, digits and hyphens (at most 64).',
  },
  {
    key: 'VpcCidr',
    type: 'String',
    label: 'VPC CIDR block',
    description: 'IPv4 range of the VPC, /16 to /21; six /24 subnets are taken from its start.',
    group: 'Network',
    default: '10.0.0.0/16',
    allowedPattern: VPC_CIDR_PATTERN,
    constraintDescription: 'VPC CIDR block must be an IPv4 CIDR with a prefix from /16 to /21, such as 10.0.0.0/16.',
    format: 'cidr',
  },
  {
    key: 'AzCount',
    type: 'String',
    label: 'Availability Zones',
    description: "How many of the region's Availability Zones get a public and a private subnet: 2 (the fewest the database and load balancers accept) or 3.",
    group: 'Network',
    default: '2',
    allowedValues: ['2', '3'],
    constraintDescription: 'Availability Zones must be 2 or 3.',
  },
];

function subnets(): Record<string, Resource> {
  const resources: Record<string, Resource> = {};
  for (const az of AZ_INDEXES) {
    for (const tier of ['Public', 'Private'] as const) {
      const id = `${tier}Subnet${az + 1}`;
      const block = tier === 'Public' ? az : az + 3;
      resources[id] = {
        Type: 'AWS::EC2::Subnet',
        ...inThirdAz(az),
        Properties: {
          VpcId: ref('Vpc'),
          AvailabilityZone: select(az, getAZs('')),
          CidrBlock: select(block, cidr(ref('VpcCidr'), 6, 8)),
          MapPublicIpOnLaunch: tier === 'Public',
          Tags: named(`${tier.toLowerCase()}-${az + 1}`),
        },
      };
      resources[`${id}RouteTableAssociation`] = {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        ...inThirdAz(az),
        Properties: { SubnetId: ref(id), RouteTableId: ref(`${tier}RouteTable`) },
      };
    }
  }
  return resources;
}

/** Comma-separated ids of the tier's subnets in the AZs in use. */
const subnetCsv = (tier: 'Public' | 'Private'): Expr => {
  const ids = AZ_INDEXES.map((az) => ref(`${tier}Subnet${az + 1}`));
  return ifThen('ThreeAzs', join(',', ids), join(',', ids.slice(0, 2)));
};

export const vpcStack = defineStack<CurrentStackId>({
  id: 'vpc',
  stem: 'cardinal-poc-vpc',
  aliases: [],
  title: 'VPC (proof of concept)',
  purpose:
    'Creates a VPC over two or three Availability Zones with public and private subnets and one NAT gateway, for a proof of concept in an account without a VPC ready.',
  inclusion: 'new-network',
  lossOnDelete: 'No Lakerunner data; the network comes back with new IDs, so every stack in it must go first.',
  needs: [],
  after: [],
  inputs: {},
  rules: [],
  parameters: PARAMETERS,
  build: () => ({
    Description: 'Cardinal proof-of-concept VPC: public and private subnets over two or three Availability Zones, one NAT gateway and an S3 gateway endpoint.',
    Conditions: { ThreeAzs: equals(ref('AzCount'), '3') },
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: ref('VpcCidr'), EnableDnsHostnames: true, EnableDnsSupport: true, Tags: named('vpc') } },
      InternetGateway: { Type: 'AWS::EC2::InternetGateway', Properties: { Tags: named('igw') } },
      VpcGatewayAttachment: { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: ref('Vpc'), InternetGatewayId: ref('InternetGateway') } },
      PublicRouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('Vpc'), Tags: named('public-rt') } },
      PublicDefaultRoute: {
        Type: 'AWS::EC2::Route',
        DependsOn: 'VpcGatewayAttachment',
        Properties: { RouteTableId: ref('PublicRouteTable'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref('InternetGateway') },
      },
      PrivateRouteTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('Vpc'), Tags: named('private-rt') } },
      ...subnets(),
      NatEip: { Type: 'AWS::EC2::EIP', DependsOn: 'VpcGatewayAttachment', Properties: { Domain: 'vpc', Tags: named('nat-eip') } },
      NatGateway: {
        Type: 'AWS::EC2::NatGateway',
        Properties: { AllocationId: { 'Fn::GetAtt': ['NatEip', 'AllocationId'] }, SubnetId: ref('PublicSubnet1'), Tags: named('nat-gw') },
      },
      PrivateDefaultRoute: {
        Type: 'AWS::EC2::Route',
        Properties: { RouteTableId: ref('PrivateRouteTable'), DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: ref('NatGateway') },
      },
      // Free, and keeps S3 traffic (the buckets Lakerunner reads and writes) off the NAT gateway's per-GB charge.
      S3GatewayEndpoint: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: { VpcEndpointType: 'Gateway', ServiceName: sub('com.amazonaws.${AWS::Region}.s3'), VpcId: ref('Vpc'), RouteTableIds: [ref('PrivateRouteTable')] },
      },
    },
    Outputs: {
      VpcId: { Description: 'ID of the VPC.', Value: ref('Vpc') },
      VpcCidr: { Description: 'IPv4 range of the VPC.', Value: ref('VpcCidr') },
      PrivateSubnetsCsv: { Description: 'Comma-separated IDs of the private subnets, one per Availability Zone.', Value: subnetCsv('Private') },
      PublicSubnetsCsv: { Description: 'Comma-separated IDs of the public subnets, one per Availability Zone.', Value: subnetCsv('Public') },
    },
  }),
});
