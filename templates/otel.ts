// lakerunner-otel-collector: an optional OTLP/HTTP gateway behind its own load balancer that
// writes logs and metrics into the common ingest bucket under otel-raw/<org>/<collector>/,
// where the bucket's notifications hand them to Lakerunner's ingesters.
import { and, condition, equals, exported, getAtt, ifThen, join, noValue, not, ref, split, sub } from '@/lib/cfn/template';
import { UUID_PATTERN } from '@/lib/params/formats';
import {
  allow,
  containerDefinition,
  ECS_EXEC_STATEMENT,
  environment,
  executionRole,
  fargateService,
  fromCommon,
  HTTP_PORT,
  httpsRedirectListener,
  ipTargetGroup,
  listenerProtocol,
  listenerUrl,
  logGroup,
  taskDefinition,
  taskRole,
} from './ecs';
import { DEFAULT_COLLECTOR_CONFIG_YAML, HEALTH_CHECK_PORT, OTLP_HTTP_PORT, RAW_PREFIX } from './otel-config';
import {
  allowPlainHttpParam,
  certificateParam,
  commonInfraStackName,
  DEFAULT_COLLECTOR_NAME,
  DEFAULT_ORGANIZATION_ID,
  domainNameParam,
  imageParam,
  IMAGES,
  plainHttpRule,
  taskCountParam,
} from './shared';
import { defineStack } from './stack';

const COLLECTOR = 'otel-collector';
const COLLECTOR_SIZE = { cpu: 1024, memory: 2048 };
const loadBalancerDns = getAtt('CollectorLoadBalancer', 'DNSName');

export const otelStack = defineStack({
  id: 'otel',
  stem: 'lakerunner-otel-collector',
  aliases: [],
  title: 'OTEL collector',
  purpose: 'Receives OpenTelemetry logs and metrics over OTLP/HTTP on port 4318 and writes them to the ingest bucket for Lakerunner to index.',
  inclusion: 'toggle',
  lossOnDelete: 'The collector\'s logs; its load balancer gets a new DNS name, so OTLP clients (and the services\' OTLP endpoint) must use the new endpoint.',
  needs: ['common'],
  after: ['common'],
  inputs: { CommonInfraStackName: { stackName: 'common' }, PublicSubnets: { output: ['vpc', 'PublicSubnets'] } },
  rules: [
    // Its own parameter and Rule: CloudFormation cannot check another stack's exports before it starts.
    {
      id: 'InternetFacingNeedsPublicSubnets',
      when: { key: 'LoadBalancerType', equals: 'internet-facing' },
      then: { key: 'PublicSubnets', notEmpty: true },
      message: 'An internet-facing collector needs public subnets: list at least two, or keep the collector internal.',
    },
    plainHttpRule({ scheme: 'LoadBalancerType', certificate: 'CollectorCertificateArn', allow: 'CollectorAllowPlainHttp' }, 'collector (an OTLP endpoint without authentication)'),
    {
      id: 'CertificateNeedsDomainName',
      when: { key: 'CollectorCertificateArn', notEmpty: true },
      then: { key: 'CollectorDomainName', notEmpty: true },
      message: "A certificate covers a domain name, never the load balancer's own DNS name: give the domain name OTLP clients send to.",
    },
  ],
  parameters: [
    commonInfraStackName(),
    {
      key: 'LoadBalancerType',
      type: 'String',
      label: 'Collector load balancer scheme',
      description:
        'internal keeps the OTLP/HTTP endpoint inside the VPC; internet-facing exposes it, without authentication, in the public subnets below.',
      group: 'Collector',
      default: 'internal',
      allowedValues: ['internal', 'internet-facing'],
      constraintDescription: 'Collector load balancer scheme must be internal or internet-facing.',
    },
    {
      key: 'PublicSubnets',
      type: 'List<AWS::EC2::Subnet::Id>',
      label: 'Public subnets',
      description: 'Public subnets in at least two Availability Zones for an internet-facing collector load balancer; leave empty when it is internal.',
      group: 'Collector',
      default: '',
      minItems: 2,
      distinctItems: true,
      constraintDescription: 'Public subnets must be empty or list at least two different subnet IDs, such as subnet-0abc1234def567890,subnet-0def5678abc123456.',
    },
    certificateParam('CollectorCertificateArn', 'Collector certificate ARN', 'the OTLP/HTTP listener (port 4318)'),
    domainNameParam('CollectorDomainName', 'Collector domain name', 'LoadBalancerDNS'),
    allowPlainHttpParam('CollectorAllowPlainHttp', 'Allow plain HTTP on an internet-facing collector', 'the telemetry'),
    {
      key: 'OrganizationId',
      type: 'String',
      label: 'Organization ID',
      description: 'Lakerunner organization the collected telemetry belongs to; it must match a storage profile of the common stack.',
      group: 'Collector',
      default: DEFAULT_ORGANIZATION_ID,
      allowedPattern: UUID_PATTERN,
      constraintDescription: `Organization ID must be a UUID such as ${DEFAULT_ORGANIZATION_ID}.`,
      format: 'uuid',
    },
    {
      key: 'CollectorName',
      type: 'String',
      label: 'Collector name',
      description: 'Name of this collector in the object keys (otel-raw/<organization>/<collector>/); it must match the storage profile.',
      group: 'Collector',
      default: DEFAULT_COLLECTOR_NAME,
      allowedPattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$',
      constraintDescription: 'Collector name must start with a letter or digit and contain only letters, digits, dots, underscores and hyphens (at most 63).',
    },
    imageParam(
      'OtelCollectorImage',
      'OTEL collector image',
      IMAGES.otelCollector,
      "CardinalHQ's OpenTelemetry collector image (multi-arch, linux/arm64), which reads its configuration from an environment variable.",
    ),
    {
      key: 'OtelConfigYaml',
      type: 'String',
      label: 'Collector configuration (YAML)',
      description:
        'A complete collector configuration replacing the default one; leave empty for the default. ${env:AWS_S3_BUCKET}, ${env:AWS_REGION}, ${env:ORG} and ${env:COLLECTOR} are set, and the task may only write under otel-raw/<organization>/<collector>/.',
      group: 'Collector configuration',
      default: '',
      maxLength: 4096,
      multiline: true,
      format: 'yaml-otel-config',
      constraintDescription: 'Collector configuration must be YAML of at most 4,096 characters.',
      example: DEFAULT_COLLECTOR_CONFIG_YAML,
    },
    taskCountParam('CollectorCount', COLLECTOR, 1, COLLECTOR_SIZE),
  ],
  build: () => ({
    Description: 'Lakerunner OTEL collector: OTLP/HTTP (port 4318) gateway behind its own load balancer, writing logs and metrics to the ingest bucket.',
    Conditions: {
      IsInternetFacing: equals(ref('LoadBalancerType'), 'internet-facing'),
      HasPublicSubnets: not(equals(join(',', ref('PublicSubnets')), '')),
      // UsePublicSubnets, not IsInternetFacing: the Rule makes them the same for every accepted
      // value, and the public branch is then never taken with PublicSubnets empty (cfn-lint W1030).
      UsePublicSubnets: and(condition('IsInternetFacing'), condition('HasPublicSubnets')),
      HasCustomConfig: not(equals(ref('OtelConfigYaml'), '')),
      HasCertificate: not(equals(ref('CollectorCertificateArn'), '')),
      HasDomainName: not(equals(ref('CollectorDomainName'), '')),
    },
    Resources: {
      LoadBalancerSecurityGroup: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'OTLP/HTTP clients to the collector load balancer',
          VpcId: fromCommon('VpcId'),
          SecurityGroupIngress: [
            { IpProtocol: 'tcp', FromPort: OTLP_HTTP_PORT, ToPort: OTLP_HTTP_PORT, CidrIp: '0.0.0.0/0', Description: 'OTLP/HTTP; the scheme limits who can reach it' },
            ifThen(
              'HasCertificate',
              { IpProtocol: 'tcp', FromPort: HTTP_PORT, ToPort: HTTP_PORT, CidrIp: '0.0.0.0/0', Description: 'HTTP, redirected to HTTPS' },
              noValue,
            ),
          ],
        },
      },
      CollectorSecurityGroup: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'OTEL collector tasks: OTLP/HTTP and health checks from their load balancer only',
          VpcId: fromCommon('VpcId'),
          SecurityGroupIngress: [OTLP_HTTP_PORT, HEALTH_CHECK_PORT].map((port) => ({
            IpProtocol: 'tcp',
            FromPort: port,
            ToPort: port,
            SourceSecurityGroupId: ref('LoadBalancerSecurityGroup'),
            Description: port === OTLP_HTTP_PORT ? 'OTLP/HTTP from the load balancer' : 'Health checks from the load balancer',
          })),
        },
      },
      // OTLP/gRPC would need an HTTPS listener and a GRPC target group of its own, so only
      // OTLP/HTTP is offered (over HTTPS when a certificate is given).
      CollectorLoadBalancer: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: {
          Type: 'application',
          Scheme: ref('LoadBalancerType'),
          Subnets: ifThen('UsePublicSubnets', ref('PublicSubnets'), split(',', fromCommon('PrivateSubnets'))),
          SecurityGroups: [ref('LoadBalancerSecurityGroup')],
        },
      },
      CollectorTargetGroup: ipTargetGroup({ port: OTLP_HTTP_PORT, vpcId: fromCommon('VpcId'), healthPath: '/', healthPort: HEALTH_CHECK_PORT }),
      CollectorListener: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          LoadBalancerArn: ref('CollectorLoadBalancer'),
          Port: OTLP_HTTP_PORT,
          ...listenerProtocol('HasCertificate', 'CollectorCertificateArn'),
          DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('CollectorTargetGroup') }],
        },
      },
      HttpRedirectListener: httpsRedirectListener('HasCertificate', 'CollectorLoadBalancer', OTLP_HTTP_PORT),
      CollectorLogGroup: logGroup('Delete'),
      CollectorExecutionRole: executionRole([]),
      CollectorTaskRole: taskRole([
        allow(
          ['s3:PutObject', 's3:AbortMultipartUpload'],
          sub(`\${BucketArn}/${RAW_PREFIX}/\${OrganizationId}/\${CollectorName}/*`, { BucketArn: fromCommon('BucketArn') }),
        ),
        ECS_EXEC_STATEMENT,
      ]),
      CollectorTaskDefinition: taskDefinition({
        ...COLLECTOR_SIZE,
        arm64: true,
        executionRoleArn: getAtt('CollectorExecutionRole', 'Arn'),
        taskRoleArn: getAtt('CollectorTaskRole', 'Arn'),
        containers: [
          containerDefinition({
            name: COLLECTOR,
            image: ref('OtelCollectorImage'),
            // Starts the collector with the configuration held in CHQ_COLLECTOR_CONFIG_YAML. No
            // container health check: the image is not known to ship curl or wget, and the target
            // group already probes the health_check extension on 13133.
            command: ['/app/bin/run-with-env-config'],
            logGroup: 'CollectorLogGroup',
            streamPrefix: COLLECTOR,
            ports: [OTLP_HTTP_PORT, HEALTH_CHECK_PORT],
            environment: environment({
              AWS_S3_BUCKET: fromCommon('BucketName'),
              AWS_REGION: ref('AWS::Region'),
              ORG: ref('OrganizationId'),
              COLLECTOR: ref('CollectorName'),
              CHQ_COLLECTOR_CONFIG_YAML: ifThen('HasCustomConfig', ref('OtelConfigYaml'), DEFAULT_COLLECTOR_CONFIG_YAML),
              OTEL_RESOURCE_ATTRIBUTES: sub('service.name=otel-collector,collector.name=${CollectorName}'),
            }),
          }),
        ],
      }),
      CollectorService: fargateService({
        cluster: fromCommon('ClusterArn'),
        taskDefinition: 'CollectorTaskDefinition',
        desiredCount: ref('CollectorCount'),
        subnets: split(',', fromCommon('PrivateSubnets')),
        securityGroups: [ref('CollectorSecurityGroup')],
        loadBalancers: [{ container: COLLECTOR, port: OTLP_HTTP_PORT, targetGroup: 'CollectorTargetGroup' }],
        dependsOn: ['CollectorListener'],
        gracePeriod: 60,
      }),
    },
    Outputs: {
      HttpEndpoint: exported(
        'OTLP/HTTP endpoint of the collector; use it as the services stack OtelEndpoint or an SDK exporter endpoint.',
        listenerUrl('HasCertificate', { condition: 'HasDomainName', param: 'CollectorDomainName' }, loadBalancerDns, OTLP_HTTP_PORT),
        'HttpEndpoint',
      ),
      LoadBalancerDNS: exported('DNS name of the collector load balancer.', loadBalancerDns, 'LoadBalancerDNS'),
      ServiceArn: { Description: 'ARN of the collector ECS service.', Value: ref('CollectorService') },
    },
  }),
});
