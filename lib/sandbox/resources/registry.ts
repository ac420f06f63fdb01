// Per resource type: how its physical id (the Ref value) and GetAtt attributes look, how long
// CloudFormation typically takes to create, update and delete it, and its naming rules. The
// attribute names and property schemas come from types.json (generated from aws-service-spec).
import { cfnSuffix, digits, ec2Id, hex, upperAlnum, uuid } from '../core/ids';
import type { AttrValue } from '../cfn/intrinsics';
import { isObject, propString, propStrings, type Json, type JsonObject } from '../cfn/json';
import { MODELLED_TYPES } from './modelled';
import spec from './types.json';

export type Shape = string | { list: Shape } | { map: Shape } | { union: Shape[] };
export interface PropSchema {
  shape: Shape;
  required?: true;
  replace?: 'yes' | 'maybe';
}

interface TypeSpec {
  attributes: Record<string, 'string' | 'list'>;
  properties: Record<string, PropSchema>;
  primaryIdentifier: string[];
}

const SPEC = spec as unknown as { types: Record<string, TypeSpec>; definitions: Record<string, Record<string, PropSchema>> };
export const definitions = SPEC.definitions;

export interface NamingContext {
  region: string;
  account: string;
  stackName: string;
  logicalId: string;
  properties: JsonObject;
  /** Next revision of an ECS task definition family in this region. */
  nextRevision(family: string): number;
}

type Seconds = number | ((properties: JsonObject) => number);

interface TypeBehaviour {
  /** Typical seconds CloudFormation spends on each operation. */
  create: Seconds;
  update?: Seconds;
  delete?: Seconds;
  /** Emits "Resource creation Initiated" (everything that is not instantaneous). */
  initiated?: boolean;
  /** Property holding a custom name; replacing such a resource is refused, names must be unique. */
  nameProperty?: string;
  nameScope?: 'region' | 'account';
  nameMaxLength?: number;
  /** The physical id (Ref value) for a new resource. */
  physicalId(ctx: NamingContext): string;
  /** Attribute values that differ from the generic derivation. */
  attributes?(ctx: NamingContext, physicalId: string): Record<string, AttrValue>;
}


/** `<stack>-<logical>-<SUFFIX>` trimmed to `max`, the way CloudFormation generates names. */
export function generatedName(ctx: NamingContext, max = 255, options: { lower?: boolean; separator?: string } = {}): string {
  const suffix = cfnSuffix(max <= 32 ? 12 : 13);
  const sep = options.separator ?? '-';
  const budget = Math.max(2, max - suffix.length - 2 * sep.length);
  let stack = ctx.stackName;
  let logical = ctx.logicalId;
  if (stack.length + logical.length > budget) {
    const half = Math.floor(budget / 2);
    logical = logical.slice(0, Math.max(half, budget - stack.length));
    stack = stack.slice(0, budget - logical.length);
  }
  const name = `${stack}${sep}${logical}${sep}${suffix}`;
  return options.lower ? name.toLowerCase() : name;
}

const arn = (service: string, ctx: NamingContext, resource: string, region = ctx.region) => `arn:aws:${service}:${region}:${ctx.account}:${resource}`;
const nameOr = (ctx: NamingContext, property: string, max: number, options?: { lower?: boolean }) =>
  propString(ctx.properties, property) ?? generatedName(ctx, max, options);
const lastSegment = (value: string) => value.split('/').pop() ?? value;
const publicIp = () => `3.${Number(digits(3)) % 255}.${Number(digits(3)) % 255}.${Number(digits(3)) % 255}`;
const privateIp = () => `10.0.${Number(digits(2)) % 255}.${Number(digits(3)) % 250}`;

const lowerAlnum = (length: number) => upperAlnum(length).toLowerCase();

const ELB_ZONES: Record<string, string> = { 'us-east-1': 'Z35SXDOTRQ7X7K', 'us-east-2': 'Z3AADJGX6KTTL2', 'us-west-2': 'Z1H1FL5HABSF5', 'eu-west-1': 'Z32O12XQLNTSW2' };
const DB_PORTS: Record<string, string> = { postgres: '5432', mysql: '3306', mariadb: '3306', 'aurora-postgresql': '5432', 'aurora-mysql': '3306', 'sqlserver-ex': '1433', 'oracle-ee': '1521' };

/** The identifier Application Auto Scaling gives a scalable target. */
export function scalableTargetId(properties: JsonObject): string {
  return [propString(properties, 'ResourceId') ?? '', propString(properties, 'ScalableDimension') ?? '', propString(properties, 'ServiceNamespace') ?? ''].join('|');
}

/** Lambda-backed custom resources: the provider decides; this models a typical one. */
const CUSTOM: TypeBehaviour = {
  create: 60,
  update: 60,
  delete: 30,
  physicalId: (ctx) => `${ctx.stackName}-${ctx.logicalId}-${cfnSuffix(12)}`,
};

const BEHAVIOURS: Record<string, TypeBehaviour> = {
  'AWS::CloudFormation::CustomResource': CUSTOM,
  'AWS::EC2::VPC': {
    create: 15,
    delete: 10,
    physicalId: () => ec2Id('vpc'),
    attributes: (ctx, id) => ({
      VpcId: id,
      CidrBlock: propString(ctx.properties, 'CidrBlock') ?? '10.0.0.0/16',
      CidrBlockAssociations: [ec2Id('vpc-cidr-assoc')],
      DefaultNetworkAcl: ec2Id('acl'),
      DefaultSecurityGroup: ec2Id('sg'),
      Ipv6CidrBlocks: [],
    }),
  },
  'AWS::EC2::Subnet': {
    create: 5,
    delete: 5,
    physicalId: () => ec2Id('subnet'),
    attributes: (ctx, id) => ({
      SubnetId: id,
      AvailabilityZone: propString(ctx.properties, 'AvailabilityZone') ?? `${ctx.region}a`,
      CidrBlock: propString(ctx.properties, 'CidrBlock') ?? '',
      VpcId: propString(ctx.properties, 'VpcId') ?? '',
      NetworkAclAssociationId: ec2Id('aclassoc'),
      Ipv6CidrBlocks: [],
    }),
  },
  'AWS::EC2::InternetGateway': { create: 5, delete: 5, physicalId: () => ec2Id('igw') },
  'AWS::EC2::VPCGatewayAttachment': {
    create: 15,
    delete: 15,
    physicalId: (ctx) => `IGW|${propString(ctx.properties, 'VpcId') ?? ''}`,
  },
  'AWS::EC2::RouteTable': { create: 3, delete: 3, physicalId: () => ec2Id('rtb') },
  'AWS::EC2::Route': {
    create: 3,
    delete: 3,
    physicalId: (ctx) => `${propString(ctx.properties, 'RouteTableId') ?? ''}|${propString(ctx.properties, 'DestinationCidrBlock') ?? propString(ctx.properties, 'DestinationIpv6CidrBlock') ?? ''}`,
  },
  'AWS::EC2::SubnetRouteTableAssociation': { create: 3, delete: 3, physicalId: () => ec2Id('rtbassoc') },
  'AWS::EC2::EIP': {
    create: 5,
    delete: 5,
    physicalId: () => publicIp(),
    attributes: (_ctx, id) => ({ PublicIp: id, AllocationId: ec2Id('eipalloc') }),
  },
  'AWS::EC2::NatGateway': { create: 120, delete: 60, physicalId: () => ec2Id('nat') },
  'AWS::EC2::SecurityGroup': {
    create: 5,
    update: 3,
    delete: 5,
    physicalId: () => ec2Id('sg'),
    attributes: (ctx, id) => ({ GroupId: id, VpcId: propString(ctx.properties, 'VpcId') ?? '' }),
  },
  'AWS::EC2::SecurityGroupIngress': { create: 2, delete: 2, physicalId: () => ec2Id('sgr') },
  'AWS::EC2::SecurityGroupEgress': { create: 2, delete: 2, physicalId: () => ec2Id('sgr') },
  'AWS::EC2::VPCEndpoint': {
    create: (p) => (propString(p, 'VpcEndpointType') === 'Interface' ? 90 : 5),
    update: 10,
    delete: (p) => (propString(p, 'VpcEndpointType') === 'Interface' ? 60 : 5),
    physicalId: () => ec2Id('vpce'),
    attributes: (ctx, id) => {
      const service = (propString(ctx.properties, 'ServiceName') ?? '').split('.').slice(3).join('.');
      const dns = `${id}-${hex(8)}.${service}.${ctx.region}.vpce.amazonaws.com`;
      return {
        Id: id,
        CreationTimestamp: new Date().toISOString(),
        DnsEntries: propString(ctx.properties, 'VpcEndpointType') === 'Interface' ? [`Z7HUB22UULQXV:${dns}`] : [],
        NetworkInterfaceIds: propString(ctx.properties, 'VpcEndpointType') === 'Interface' ? propStrings(ctx.properties, 'SubnetIds').map(() => ec2Id('eni')) : [],
      };
    },
  },
  'AWS::RDS::DBInstance': {
    create: 480,
    update: 240,
    delete: 300,
    nameProperty: 'DBInstanceIdentifier',
    nameScope: 'region',
    nameMaxLength: 63,
    physicalId: (ctx) => nameOr(ctx, 'DBInstanceIdentifier', 63, { lower: true }).toLowerCase(),
    attributes: (ctx, id) => ({
      'Endpoint.Address': `${id}.${hex(12)}.${ctx.region}.rds.amazonaws.com`,
      'Endpoint.Port': propString(ctx.properties, 'Port') ?? DB_PORTS[propString(ctx.properties, 'Engine') ?? 'postgres'] ?? '5432',
      'Endpoint.HostedZoneId': 'Z2R2ITUGPM61AM',
      DBInstanceArn: arn('rds', ctx, `db:${id}`),
      DbiResourceId: `db-${upperAlnum(26)}`,
    }),
  },
  'AWS::RDS::DBSubnetGroup': {
    create: 3,
    delete: 3,
    nameProperty: 'DBSubnetGroupName',
    nameScope: 'region',
    nameMaxLength: 255,
    physicalId: (ctx) => nameOr(ctx, 'DBSubnetGroupName', 255, { lower: true }).toLowerCase(),
  },
  'AWS::SecretsManager::Secret': {
    create: 3,
    update: 3,
    delete: 3,
    nameProperty: 'Name',
    nameScope: 'region',
    nameMaxLength: 512,
    physicalId: (ctx) => {
      const name = propString(ctx.properties, 'Name') ?? `${ctx.logicalId}-${cfnSuffix(12)}`;
      return arn('secretsmanager', ctx, `secret:${name}-${upperAlnum(6)}`);
    },
    attributes: (_ctx, id) => ({ Id: id }),
  },
  'AWS::SecretsManager::SecretTargetAttachment': {
    create: 3,
    delete: 3,
    physicalId: (ctx) => propString(ctx.properties, 'SecretId') ?? '',
    attributes: (_ctx, id) => ({ Id: id }),
  },
  'AWS::EFS::FileSystem': {
    create: 10,
    delete: 10,
    physicalId: () => ec2Id('fs'),
    attributes: (ctx, id) => ({ FileSystemId: id, Arn: arn('elasticfilesystem', ctx, `file-system/${id}`) }),
  },
  'AWS::EFS::MountTarget': {
    create: 90,
    delete: 60,
    physicalId: () => ec2Id('fsmt'),
    attributes: (_ctx, id) => ({ Id: id, IpAddress: privateIp() }),
  },
  'AWS::EFS::AccessPoint': {
    create: 5,
    delete: 5,
    physicalId: () => ec2Id('fsap'),
    attributes: (ctx, id) => ({ AccessPointId: id, Arn: arn('elasticfilesystem', ctx, `access-point/${id}`) }),
  },
  'AWS::S3::Bucket': {
    create: 20,
    delete: 10,
    nameProperty: 'BucketName',
    nameMaxLength: 63,
    physicalId: (ctx) => nameOr(ctx, 'BucketName', 63, { lower: true }).toLowerCase(),
    attributes: (ctx, id) => ({
      Arn: `arn:aws:s3:::${id}`,
      DomainName: `${id}.s3.amazonaws.com`,
      RegionalDomainName: `${id}.s3.${ctx.region}.amazonaws.com`,
      DualStackDomainName: `${id}.s3.dualstack.${ctx.region}.amazonaws.com`,
      WebsiteURL: `http://${id}.s3-website-${ctx.region}.amazonaws.com`,
    }),
  },
  'AWS::S3::BucketPolicy': { create: 2, delete: 2, physicalId: (ctx) => propString(ctx.properties, 'Bucket') ?? generatedName(ctx) },
  'AWS::SQS::Queue': {
    create: 60,
    update: 60,
    delete: 60,
    nameProperty: 'QueueName',
    nameScope: 'region',
    nameMaxLength: 80,
    physicalId: (ctx) => {
      const fifo = ctx.properties.FifoQueue === true || ctx.properties.FifoQueue === 'true';
      const name = propString(ctx.properties, 'QueueName') ?? `${generatedName(ctx, fifo ? 75 : 80)}${fifo ? '.fifo' : ''}`;
      return `https://sqs.${ctx.region}.amazonaws.com/${ctx.account}/${name}`;
    },
    attributes: (ctx, id) => ({ Arn: arn('sqs', ctx, lastSegment(id)), QueueName: lastSegment(id), QueueUrl: id }),
  },
  'AWS::SQS::QueuePolicy': { create: 2, delete: 2, physicalId: (ctx) => generatedName(ctx) },
  'AWS::ECS::Cluster': {
    create: 5,
    delete: 5,
    nameProperty: 'ClusterName',
    nameScope: 'region',
    nameMaxLength: 255,
    physicalId: (ctx) => nameOr(ctx, 'ClusterName', 255),
    attributes: (ctx, id) => ({ Arn: arn('ecs', ctx, `cluster/${id}`) }),
  },
  'AWS::ECS::TaskDefinition': {
    create: 2,
    delete: 2,
    physicalId: (ctx) => {
      const family = propString(ctx.properties, 'Family') ?? generatedName(ctx, 255, { separator: '' });
      return arn('ecs', ctx, `task-definition/${family}:${ctx.nextRevision(family)}`);
    },
    attributes: (_ctx, id) => ({ TaskDefinitionArn: id }),
  },
  'AWS::ECS::Service': {
    create: 180,
    update: 120,
    delete: 120,
    nameProperty: 'ServiceName',
    nameScope: 'region',
    nameMaxLength: 255,
    physicalId: (ctx) => {
      const cluster = lastSegment(propString(ctx.properties, 'Cluster') ?? 'default');
      return arn('ecs', ctx, `service/${cluster}/${nameOr(ctx, 'ServiceName', 255)}`);
    },
    attributes: (_ctx, id) => ({ ServiceArn: id, Name: lastSegment(id) }),
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    create: 180,
    update: 10,
    delete: 30,
    nameProperty: 'Name',
    nameScope: 'region',
    nameMaxLength: 32,
    physicalId: (ctx) => {
      const kind = propString(ctx.properties, 'Type') === 'network' ? 'net' : 'app';
      return arn('elasticloadbalancing', ctx, `loadbalancer/${kind}/${nameOr(ctx, 'Name', 32)}/${hex(16)}`);
    },
    attributes: (ctx, id) => {
      const [, kind, name, suffix] = id.split(':').pop()!.split('/');
      const internal = propString(ctx.properties, 'Scheme') === 'internal' ? 'internal-' : '';
      return {
        LoadBalancerArn: id,
        LoadBalancerName: name ?? '',
        LoadBalancerFullName: `${kind}/${name}/${suffix}`,
        DNSName: `${internal}${name}-${digits(10)}.${ctx.region}.elb.amazonaws.com`,
        CanonicalHostedZoneID: ELB_ZONES[ctx.region] ?? 'Z35SXDOTRQ7X7K',
        SecurityGroups: propStrings(ctx.properties, 'SecurityGroups'),
      };
    },
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    create: 15,
    update: 5,
    delete: 5,
    nameProperty: 'Name',
    nameScope: 'region',
    nameMaxLength: 32,
    physicalId: (ctx) => arn('elasticloadbalancing', ctx, `targetgroup/${nameOr(ctx, 'Name', 32)}/${hex(16)}`),
    attributes: (_ctx, id) => {
      const [, name, suffix] = id.split(':').pop()!.split('/');
      return { TargetGroupArn: id, TargetGroupName: name ?? '', TargetGroupFullName: `targetgroup/${name}/${suffix}`, LoadBalancerArns: [] };
    },
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    create: 3,
    update: 3,
    delete: 3,
    physicalId: (ctx) => `${(propString(ctx.properties, 'LoadBalancerArn') ?? arn('elasticloadbalancing', ctx, 'loadbalancer/app/unknown/0')).replace(':loadbalancer/', ':listener/')}/${hex(16)}`,
    attributes: (_ctx, id) => ({ ListenerArn: id }),
  },
  'AWS::ElasticLoadBalancingV2::ListenerRule': {
    create: 3,
    update: 3,
    delete: 3,
    physicalId: (ctx) => `${(propString(ctx.properties, 'ListenerArn') ?? '').replace(':listener/', ':listener-rule/')}/${hex(16)}`,
    attributes: (_ctx, id) => ({ RuleArn: id, IsDefault: 'false' }),
  },
  'AWS::IAM::Role': {
    create: 15,
    update: 10,
    delete: 10,
    nameProperty: 'RoleName',
    nameScope: 'account',
    nameMaxLength: 64,
    physicalId: (ctx) => nameOr(ctx, 'RoleName', 64),
    attributes: (ctx, id) => ({ Arn: `arn:aws:iam::${ctx.account}:role${propString(ctx.properties, 'Path') ?? '/'}${id}`, RoleId: `AROA${upperAlnum(17)}` }),
  },
  'AWS::IAM::Policy': { create: 15, update: 10, delete: 10, physicalId: (ctx) => `${ctx.stackName.slice(0, 5)}-${ctx.logicalId.slice(0, 5)}-${cfnSuffix(12)}` },
  'AWS::IAM::ManagedPolicy': {
    create: 10,
    update: 10,
    delete: 10,
    nameProperty: 'ManagedPolicyName',
    nameScope: 'account',
    nameMaxLength: 128,
    physicalId: (ctx) => `arn:aws:iam::${ctx.account}:policy${propString(ctx.properties, 'Path') ?? '/'}${nameOr(ctx, 'ManagedPolicyName', 128)}`,
    attributes: (_ctx, id) => ({ PolicyArn: id, PolicyId: `ANPA${upperAlnum(17)}` }),
  },
  'AWS::IAM::InstanceProfile': {
    create: 120,
    delete: 10,
    nameProperty: 'InstanceProfileName',
    nameScope: 'account',
    nameMaxLength: 128,
    physicalId: (ctx) => nameOr(ctx, 'InstanceProfileName', 128),
    attributes: (ctx, id) => ({ Arn: `arn:aws:iam::${ctx.account}:instance-profile${propString(ctx.properties, 'Path') ?? '/'}${id}` }),
  },
  'AWS::Logs::LogGroup': {
    create: 2,
    update: 2,
    delete: 2,
    nameProperty: 'LogGroupName',
    nameScope: 'region',
    nameMaxLength: 512,
    physicalId: (ctx) => nameOr(ctx, 'LogGroupName', 512),
    attributes: (ctx, id) => ({ Arn: arn('logs', ctx, `log-group:${id}:*`) }),
  },
  'AWS::Lambda::Function': {
    create: 10,
    update: 10,
    delete: 5,
    nameProperty: 'FunctionName',
    nameScope: 'region',
    nameMaxLength: 64,
    physicalId: (ctx) => nameOr(ctx, 'FunctionName', 64),
    attributes: (ctx, id) => ({ Arn: arn('lambda', ctx, `function:${id}`) }),
  },
  'AWS::Lambda::Permission': { create: 2, delete: 2, physicalId: (ctx) => generatedName(ctx) },
  'AWS::SSM::Parameter': {
    create: 2,
    update: 2,
    delete: 2,
    nameProperty: 'Name',
    nameScope: 'region',
    nameMaxLength: 2048,
    physicalId: (ctx) => propString(ctx.properties, 'Name') ?? `CFN-${ctx.logicalId}-${cfnSuffix(12)}`,
    attributes: (ctx) => ({ Type: propString(ctx.properties, 'Type') ?? 'String', Value: propString(ctx.properties, 'Value') ?? '' }),
  },
  'AWS::KMS::Key': {
    create: 30,
    update: 10,
    delete: 5,
    physicalId: () => uuid(),
    attributes: (ctx, id) => ({ Arn: arn('kms', ctx, `key/${id}`), KeyId: id }),
  },
  'AWS::KMS::Alias': {
    create: 2,
    delete: 2,
    nameProperty: 'AliasName',
    nameScope: 'region',
    nameMaxLength: 256,
    physicalId: (ctx) => propString(ctx.properties, 'AliasName') ?? `alias/${generatedName(ctx)}`,
  },
  // The engine creates a real stack for it; these values are never used for its physical id.
  'AWS::CloudFormation::Stack': { create: 0, update: 0, delete: 0, physicalId: (ctx) => arn('cloudformation', ctx, `stack/${ctx.stackName}-${ctx.logicalId}/${uuid()}`) },
  'AWS::ECS::ClusterCapacityProviderAssociations': {
    create: 10,
    update: 10,
    delete: 10,
    physicalId: (ctx) => lastSegment(propString(ctx.properties, 'Cluster') ?? ''),
  },
  // A private DNS namespace creates a Route 53 private hosted zone for its VPC.
  'AWS::ServiceDiscovery::PrivateDnsNamespace': {
    create: 45,
    update: 10,
    delete: 45,
    physicalId: () => `ns-${lowerAlnum(16)}`,
    attributes: (ctx, id) => ({ Id: id, Arn: arn('servicediscovery', ctx, `namespace/${id}`), HostedZoneId: `Z${upperAlnum(20)}` }),
  },
  'AWS::ServiceDiscovery::Service': {
    create: 3,
    update: 3,
    delete: 3,
    physicalId: () => `srv-${lowerAlnum(16)}`,
    attributes: (ctx, id) => ({ Id: id, Arn: arn('servicediscovery', ctx, `service/${id}`), Name: propString(ctx.properties, 'Name') ?? ctx.logicalId }),
  },
  // Ref: `service/cluster/name|ecs:service:DesiredCount|ecs`, as the resource reference documents.
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    create: 5,
    update: 5,
    delete: 5,
    physicalId: (ctx) => scalableTargetId(ctx.properties),
    attributes: (_ctx, id) => ({ Id: id }),
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy': {
    create: 3,
    update: 3,
    delete: 3,
    physicalId: (ctx) => {
      const [resourceId, , namespace] = (propString(ctx.properties, 'ScalingTargetId') ?? scalableTargetId(ctx.properties)).split('|');
      const policy = propString(ctx.properties, 'PolicyName') ?? generatedName(ctx);
      return arn('autoscaling', ctx, `scalingPolicy:${uuid()}:resource/${namespace ?? ''}/${resourceId ?? ''}:policyName/${policy}`);
    },
    attributes: (_ctx, id) => ({ Arn: id }),
  },
  'AWS::IAM::ServerCertificate': {
    create: 5,
    delete: 5,
    nameProperty: 'ServerCertificateName',
    nameScope: 'account',
    nameMaxLength: 128,
    physicalId: (ctx) => nameOr(ctx, 'ServerCertificateName', 128),
    attributes: (ctx, id) => ({ Arn: `arn:aws:iam::${ctx.account}:server-certificate${propString(ctx.properties, 'Path') ?? '/'}${id}` }),
  },
  'AWS::KinesisFirehose::DeliveryStream': {
    create: 60,
    update: 30,
    delete: 30,
    nameProperty: 'DeliveryStreamName',
    nameScope: 'region',
    nameMaxLength: 64,
    physicalId: (ctx) => nameOr(ctx, 'DeliveryStreamName', 64),
    attributes: (ctx, id) => ({ Arn: arn('firehose', ctx, `deliverystream/${id}`) }),
  },
  'AWS::CloudWatch::MetricStream': {
    create: 5,
    update: 5,
    delete: 5,
    nameProperty: 'Name',
    nameScope: 'region',
    nameMaxLength: 255,
    physicalId: (ctx) => nameOr(ctx, 'Name', 255),
    attributes: (ctx, id) => {
      const now = new Date().toISOString();
      return { Arn: arn('cloudwatch', ctx, `metric-stream/${id}`), State: 'running', CreationDate: now, LastUpdateDate: now };
    },
  },
  'AWS::CloudFormation::WaitConditionHandle': {
    create: 0,
    delete: 0,
    initiated: false,
    physicalId: (ctx) =>
      `https://cloudformation-waitcondition-${ctx.region}.s3.amazonaws.com/${encodeURIComponent(`arn:aws:cloudformation:${ctx.region}:${ctx.account}:stack/${ctx.stackName}`)}/${ctx.logicalId}?X-Amz-Expires=86399`,
  },
};

export interface TypeInfo extends TypeBehaviour {
  type: string;
  custom: boolean;
  attributeNames: Record<string, 'string' | 'list'>;
  properties: Record<string, PropSchema>;
}

const INFO = new Map<string, TypeInfo>();
for (const type of MODELLED_TYPES) {
  const s = SPEC.types[type]!;
  INFO.set(type, { ...BEHAVIOURS[type]!, type, custom: type === 'AWS::CloudFormation::CustomResource', attributeNames: s.attributes, properties: s.properties });
}

export const isCustomType = (type: string) => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

export function typeInfo(type: string): TypeInfo | undefined {
  const known = INFO.get(type);
  if (known) return known;
  if (type.startsWith('Custom::') && /^Custom::[A-Za-z0-9_@-]{1,60}$/.test(type)) {
    return { ...INFO.get('AWS::CloudFormation::CustomResource')!, type, custom: true };
  }
  return undefined;
}

export function seconds(value: Seconds | undefined, properties: JsonObject, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'function' ? value(properties) : value;
}

/** GetAtt values for every attribute the type declares; specific ones first, the rest derived. */
export function attributesFor(info: TypeInfo, ctx: NamingContext, physicalId: string): Record<string, AttrValue> {
  const specific = info.attributes?.(ctx, physicalId) ?? {};
  const out: Record<string, AttrValue> = {};
  for (const [name, kind] of Object.entries(info.attributeNames)) {
    out[name] = specific[name] ?? derivedAttribute(info, ctx, physicalId, name, kind);
  }
  return { ...out, ...specific };
}

function derivedAttribute(info: TypeInfo, ctx: NamingContext, physicalId: string, name: string, kind: 'string' | 'list'): AttrValue {
  if (kind === 'list') return [];
  if (physicalId.startsWith('arn:') && /Arn$/.test(name)) return physicalId;
  if (/Arn$/.test(name)) {
    const service = info.type.split('::')[1]!.toLowerCase();
    return arn(service, ctx, `${info.type.split('::')[2]!.toLowerCase()}/${lastSegment(physicalId)}`);
  }
  return physicalId;
}

/** What a custom resource returns for an attribute the template reads. */
export function customAttribute(ctx: NamingContext, physicalId: string, name: string): AttrValue {
  if (name === 'TaskArn') return arn('ecs', ctx, `task/${ctx.stackName}/${hex(32)}`);
  if (/Arn$/.test(name)) return arn('lambda', ctx, `custom/${physicalId}/${name}`);
  return `${physicalId}-${name}`;
}

/**
 * The IAM types CloudFormation asks capabilities for (AccessKey, Group, InstanceProfile,
 * ManagedPolicy, Policy, Role, User, UserToGroupAddition); server certificates and other IAM
 * types need none.
 */
const CAPABILITY_TYPES = new Set(['AWS::IAM::AccessKey', 'AWS::IAM::Group', 'AWS::IAM::InstanceProfile', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::UserToGroupAddition']);

export function requiredCapability(type: string, properties: Json): 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined {
  if (!CAPABILITY_TYPES.has(type)) return undefined;
  const named: Record<string, string> = {
    'AWS::IAM::Role': 'RoleName',
    'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
    'AWS::IAM::InstanceProfile': 'InstanceProfileName',
    'AWS::IAM::User': 'UserName',
    'AWS::IAM::Group': 'GroupName',
  };
  const nameProperty = named[type];
  return nameProperty && isObject(properties) && properties[nameProperty] !== undefined ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM';
}
