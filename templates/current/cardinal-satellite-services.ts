// cardinal-satellite-services: the OTLP collector on Fargate behind its own load balancer (plain
// HTTP on 4318, /v1/* forwarded), writing to the satellite's raw bucket. It needs no license and
// reads nothing from the Lakerunner account; its roles and security groups are its own.
import { equals, getAtt, ifThen, not, ref, split, sub, type Expr, type Resource } from '@/lib/cfn/template';
import type { ParamSpec } from '@/lib/params/spec';
import { containerDefinition, environment } from '../ecs';
import { defineStack } from '../stack';
import {
  bucketArn,
  bucketObjectsArn,
  executionPolicyArns,
  fargateService,
  fargateTask,
  fixedResponseListener,
  logGroup,
  pathRule,
  regionalArn,
  role,
  statement,
  targetGroup,
  trustService,
} from './building-blocks';
import { COLLECTOR_CONFIG_YAML } from './collector-config';
import type { CurrentStackId } from './ids';
import { DEFAULT_IMAGES } from './manifest';
import {
  albSchemeParam,
  bucketNameParam,
  cardinalTags,
  extraPolicyArnsParam,
  imageParam,
  nameSuffixParam,
  organizationIdParam,
  PORTS,
  sizeParam,
  subnetCsvParam,
  vpcIdParam,
} from './shared';

const MANAGED_BY = 'cardinal-cfn-satellite';
const tagged = (name: Expr, component = 'collector') => cardinalTags(name, component, MANAGED_BY);

export const COLLECTOR_RULE_PRIORITY = 300;

const PARAMETERS: ParamSpec[] = [
  bucketNameParam('RawBucketName', 'Raw bucket name', 'The raw ingest bucket the collector writes to (the RawBucketName output of cardinal-satellite-infra-base).'),
  organizationIdParam('UUID of the organization the telemetry belongs to, the first path segment under otel-raw/; it must equal the OrganizationId of cardinal-lakerunner-services.'),
  {
    key: 'EcsClusterArn',
    type: 'String',
    label: 'ECS cluster ARN',
    description: 'ARN of the ECS cluster the collector runs in; it needs the FARGATE capacity provider associated.',
    group: 'Inputs',
  },
  vpcIdParam('VPC of the collector and its load balancer.'),
  subnetCsvParam('AlbSubnetsCsv', 'Load balancer subnets', 'Comma-separated subnets of the collector load balancer: private ones when internal, public ones when internet-facing.'),
  subnetCsvParam('TaskSubnetsCsv', 'Task subnets', 'Comma-separated private subnets the collector tasks run in.'),
  albSchemeParam(
    'Whether the collector is reachable only inside the VPC (internal) or from the internet (internet-facing); internet-facing accepts unauthenticated OTLP from anywhere on 4318.',
  ),
  {
    key: 'IngestSourceCidr',
    type: 'String',
    label: 'Ingest source CIDR',
    description: 'IPv4 range allowed to send OTLP to the collector on 4318.',
    group: 'Networking',
    default: '10.0.0.0/8',
    allowedPattern: '^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$',
    constraintDescription: 'Ingest source CIDR must be an IPv4 CIDR such as 10.0.0.0/8.',
    format: 'cidr',
  },
  {
    key: 'OtelReplicas',
    type: 'Number',
    label: 'Collector tasks',
    description: 'How many collector tasks run; with more than one, span pairs split between tasks and the service graph is incomplete.',
    group: 'Tunables',
    default: '1',
    format: 'whole-number',
  },
  sizeParam('OtelCpu', 'Collector CPU units', 'CPU units of a collector task.', 1024, { group: 'Tunables' }),
  sizeParam('OtelMemory', 'Collector memory (MiB)', 'Memory of a collector task in MiB.', 2048, { group: 'Tunables' }),
  {
    key: 'OtelConfigYaml',
    type: 'String',
    label: 'Collector configuration (YAML)',
    description: 'A complete collector configuration replacing the built-in one; leave empty to use the built-in configuration.',
    group: 'Tunables',
    default: '',
    multiline: true,
    format: 'yaml-otel-config',
    example: COLLECTOR_CONFIG_YAML,
  },
  nameSuffixParam('Appended to the log group name, matching the satellite infra stack of the same suffix.', { group: 'Tunables' }),
  imageParam('OtelImage', 'Collector image', DEFAULT_IMAGES.otel, 'Image of the Cardinal OpenTelemetry collector, pinned by digest.', { group: 'Image overrides', mirrorable: true }),
  extraPolicyArnsParam('collector execution role'),
];

/** `a` and the first 8 hex digits of this stack's UUID: the third path segment of the raw objects. */
export const collectorName = (): Expr =>
  sub('a${Id}', { Id: { 'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', ref('AWS::StackId')] }] }] }] } });

function roles(): Record<string, Resource> {
  const ecsTasks = trustService('ecs-tasks.amazonaws.com');
  return {
    CollectorExecutionRole: role({
      trust: ecsTasks,
      policyName: 'cardinal-collector-exec-extras',
      managedPolicyArns: executionPolicyArns('HasExecutionRoleExtraPolicies'),
      statements: [statement('CollectorLogStreams', ['logs:CreateLogStream', 'logs:PutLogEvents'], regionalArn('logs', 'log-group:/cardinal/*'))],
      tags: tagged('cardinal-collector-exec-role', 'iam'),
    }),
    // Writes only: no DeleteObject.
    CollectorTaskRole: role({
      trust: ecsTasks,
      policyName: 'cardinal-collector-write',
      statements: [
        statement(
          'RawBucketWrite',
          ['s3:PutObject', 's3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
          [bucketArn(ref('RawBucketName')), bucketObjectsArn(ref('RawBucketName'))],
        ),
      ],
      tags: tagged('cardinal-collector-task-role', 'iam'),
    }),
  };
}

function network(): Record<string, Resource> {
  const otlp = { IpProtocol: 'tcp', FromPort: PORTS.otlpHttp, ToPort: PORTS.otlpHttp };
  return {
    AlbSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'Cardinal satellite ALB: inbound 4318 from IngestSourceCidr.',
        VpcId: ref('VpcId'),
        SecurityGroupIngress: [{ ...otlp, CidrIp: ref('IngestSourceCidr'), Description: 'OTLP/HTTP from IngestSourceCidr' }],
        Tags: tagged('cardinal-satellite-alb-sg'),
      },
    },
    // Senders inside the VPC that leave through NAT arrive from public addresses.
    AlbIngressInternetFacing: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Condition: 'AlbIsInternetFacing',
      Properties: { GroupId: getAtt('AlbSecurityGroup', 'GroupId'), ...otlp, CidrIp: '0.0.0.0/0', Description: 'OTLP/HTTP from the internet' },
    },
    TaskSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'Cardinal satellite collector tasks: OTLP and health checks from the collector ALB.',
        VpcId: ref('VpcId'),
        SecurityGroupIngress: [
          { ...otlp, SourceSecurityGroupId: getAtt('AlbSecurityGroup', 'GroupId'), Description: 'OTLP/HTTP from the collector ALB' },
          {
            IpProtocol: 'tcp',
            FromPort: PORTS.collectorHealth,
            ToPort: PORTS.collectorHealth,
            SourceSecurityGroupId: getAtt('AlbSecurityGroup', 'GroupId'),
            Description: 'Health checks from the collector ALB',
          },
        ],
        Tags: tagged('cardinal-satellite-task-sg'),
      },
    },
    Alb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        Type: 'application',
        Scheme: ref('AlbScheme'),
        Subnets: split(',', ref('AlbSubnetsCsv')),
        SecurityGroups: [getAtt('AlbSecurityGroup', 'GroupId')],
        Tags: tagged('cardinal-satellite-alb'),
      },
    },
    OtelHttpListener: fixedResponseListener({ loadBalancer: 'Alb', port: PORTS.otlpHttp, status: '404', message: 'no listener rule matched' }),
    OtelGrpcTargetGroup: targetGroup({
      port: PORTS.otlpHttp,
      vpcId: ref('VpcId'),
      healthPath: '/',
      healthPort: PORTS.collectorHealth,
      tags: tagged('cardinal-satellite-otel-tg'),
    }),
    OtelGrpcListenerRule: pathRule(ref('OtelHttpListener'), COLLECTOR_RULE_PRIORITY, ['/v1/*'], 'OtelGrpcTargetGroup'),
  };
}

function collector(): Record<string, Resource> {
  return {
    OtelGrpcLogGroup: logGroup(tagged('cardinal-otel-grpc-logs'), ifThen('HasNameSuffix', sub('/cardinal/otel-grpc-${NameSuffix}'), '/cardinal/otel-grpc')),
    OtelGrpcTaskDef: fargateTask({
      cpu: ref('OtelCpu'),
      memory: ref('OtelMemory'),
      executionRoleArn: getAtt('CollectorExecutionRole', 'Arn'),
      taskRoleArn: getAtt('CollectorTaskRole', 'Arn'),
      tags: tagged('cardinal-otel-grpc-task'),
      containers: [
        containerDefinition({
          name: 'otel-grpc',
          image: ref('OtelImage'),
          logGroup: 'OtelGrpcLogGroup',
          streamPrefix: 'otel-grpc',
          // Writes CHQ_COLLECTOR_CONFIG_YAML to a file and starts the collector with it.
          command: ['/app/bin/run-with-env-config'],
          ports: [PORTS.otlpHttp],
          environment: environment({
            LRDB_S3_BUCKET: ref('RawBucketName'),
            LRDB_S3_REGION: ref('AWS::Region'),
            ORG: ref('OrganizationId'),
            COLLECTOR: collectorName(),
            CHQ_COLLECTOR_CONFIG_YAML: ifThen('HasOtelConfigOverride', ref('OtelConfigYaml'), COLLECTOR_CONFIG_YAML),
            OTEL_RESOURCE_ATTRIBUTES: 'service.name=otel-gateway',
          }),
        }),
      ],
    }),
    CollectorService: fargateService({
      cluster: ref('EcsClusterArn'),
      taskDefinition: 'OtelGrpcTaskDef',
      desiredCount: ref('OtelReplicas'),
      subnets: split(',', ref('TaskSubnetsCsv')),
      securityGroup: getAtt('TaskSecurityGroup', 'GroupId'),
      loadBalancers: [{ container: 'otel-grpc', port: PORTS.otlpHttp, targetGroup: 'OtelGrpcTargetGroup' }],
      dependsOn: ['OtelGrpcListenerRule'],
      tags: tagged('cardinal-otel-grpc'),
    }),
  };
}

export const satelliteServicesStack = defineStack<CurrentStackId>({
  id: 'satellite-services',
  stem: 'cardinal-satellite-services',
  aliases: [],
  title: 'Satellite OTLP collector',
  purpose: 'Runs the OpenTelemetry collector behind its own load balancer on port 4318, writing logs, metrics and traces to the raw bucket.',
  inclusion: 'always',
  lossOnDelete: 'The collector, its load balancer (a new one gets a new DNS name) and its logs; telemetry sent while it is gone is lost.',
  needs: [],
  after: ['vpc', 'cluster', 'satellite-infra-base'],
  accountGroup: 'satellite',
  inputs: {
    RawBucketName: { output: ['satellite-infra-base', 'RawBucketName'] },
    OrganizationId: { sameAs: ['services', 'OrganizationId'] },
    EcsClusterArn: { output: ['cluster', 'ClusterArn'] },
    VpcId: { output: ['vpc', 'VpcId'] },
    // An internet-facing collector goes in the public subnets, an internal one in the private ones.
    AlbSubnetsCsv: { outputBy: { key: 'AlbScheme', cases: { internal: ['vpc', 'PrivateSubnetsCsv'], 'internet-facing': ['vpc', 'PublicSubnetsCsv'] } } },
    TaskSubnetsCsv: { output: ['vpc', 'PrivateSubnetsCsv'] },
  },
  rules: [],
  parameters: PARAMETERS,
  build: () => ({
    Description: 'Cardinal satellite services: the otel-collector ECS Fargate service behind its own load balancer, writing to the raw bucket.',
    Conditions: {
      HasOtelConfigOverride: not(equals(ref('OtelConfigYaml'), '')),
      HasNameSuffix: not(equals(ref('NameSuffix'), '')),
      HasExecutionRoleExtraPolicies: not(equals(ref('ExecutionRoleExtraPolicyArns'), '')),
      AlbIsInternetFacing: equals(ref('AlbScheme'), 'internet-facing'),
    },
    Resources: { ...roles(), ...network(), ...collector() },
    Outputs: {
      CollectorAlbDnsName: { Description: 'DNS name of the collector load balancer.', Value: getAtt('Alb', 'DNSName') },
      CollectorEndpoint: { Description: 'OTLP/HTTP endpoint of the collector.', Value: sub(`http://\${Alb.DNSName}:${PORTS.otlpHttp}`) },
      CollectorServiceName: { Description: 'Generated name of the collector ECS service.', Value: getAtt('CollectorService', 'Name') },
      CollectorTaskRoleArn: { Description: 'Task role of the collector.', Value: getAtt('CollectorTaskRole', 'Arn') },
    },
  }),
});
