// The 2025 release line: upstream's seven-stack layout of 2025 (VPC, common infrastructure, the
// database setup, the services, and the optional Grafana, OTEL collector and demo apps), as the
// console has always deployed it. Everything the generic code asks of the line is here, as data.
import { commonStack, INGEST_PREFIXES } from './common';
import { demoStack } from './demo';
import { grafanaStack } from './grafana';
import type { AccessPoint, OutputsById, ReleaseLine } from './line';
import { discovery2025 } from './line-2025-discovery';
import { migrationStack } from './migration';
import { otelStack } from './otel';
import { servicesStack } from './services';
import { LAKERUNNER_VERSION } from './shared';
import type { StackDefinition } from './stack';
import { vpcStack } from './vpc';

export const STACKS_2025: readonly StackDefinition[] = [vpcStack, commonStack, migrationStack, servicesStack, grafanaStack, otelStack, demoStack];

/**
 * The URLs are the common stack's outputs (it owns the load balancer, its certificate and domain
 * name), shown once the stack behind them is deployed; stacks made from older templates carried
 * them themselves.
 */
function accessPoints(outputs: OutputsById): AccessPoint[] {
  const points: AccessPoint[] = [];
  const { grafana, services, common, otel } = outputs;
  const grafanaUrl = grafana?.GrafanaUrl ?? common?.GrafanaUrl;
  if (grafanaUrl && grafana?.GrafanaAdminSecretArn)
    points.push({ kind: 'login', label: 'Grafana', url: grafanaUrl, user: grafana.GrafanaAdminUser ?? 'lakerunner', secretArn: grafana.GrafanaAdminSecretArn });
  const queryApiUrl = services?.QueryApiUrl ?? (services?.ExecutionRoleArn ? common?.QueryApiUrl : undefined);
  if (queryApiUrl) points.push({ kind: 'code', label: 'Query API', value: queryApiUrl });
  if (common?.BucketName) points.push({ kind: 'bucket', label: 'Upload data to', bucket: common.BucketName, prefixes: INGEST_PREFIXES });
  if (otel?.HttpEndpoint) points.push({ kind: 'code', label: 'OTLP/HTTP collector', value: otel.HttpEndpoint });
  return points;
}

export const LINE_2025: ReleaseLine = {
  id: '2025',
  title: '2025 layout',
  summary:
    'The seven-stack layout of 2025 the console has always deployed: a VPC of its own if you want one, PostgreSQL, EFS and the ingest bucket, the Lakerunner services, and optional Grafana, OTEL collector and demo apps.',
  release: `lakerunner ${LAKERUNNER_VERSION}`,
  stacks: STACKS_2025,
  toggles: [
    { id: 'grafana', label: 'Grafana', help: 'Dashboards on the load balancer, port 3000.', default: true },
    { id: 'otel', label: 'OTEL collector', help: 'An OTLP/HTTP endpoint (port 4318) that writes telemetry into the ingest bucket.', default: true },
    { id: 'demo', label: 'Demo apps', help: 'A sample app sending telemetry to the collector. Needs the OTEL collector.', default: false },
  ],
  rules: [
    {
      kind: 'toggle-needs',
      toggle: 'demo',
      needs: 'otel',
      message: 'The demo apps send their telemetry to the OTEL collector: include the collector too, or leave the demo apps out.',
    },
  ],
  network: {
    new: { label: 'Create a new VPC', help: 'The lakerunner-vpc stack makes a two-AZ VPC with public and private subnets; its outputs feed the common stack.' },
    existing: { label: 'Use an existing VPC', help: 'Give its ID and at least two private subnets in different Availability Zones.' },
  },
  sizes: {
    help: {
      production: 'Today’s task counts: several log compactors and eight query workers, for steady ingest and fast queries.',
      'proof-of-concept': 'One task of every service: the fewest that still run all of Lakerunner, to try it out.',
    },
    where: 'the services and collector stacks',
  },
  exposure: [
    {
      stack: 'common',
      scheme: 'AlbScheme',
      certificate: 'AlbCertificateArn',
      message:
        'The load balancer is internet-facing without a certificate: the Grafana admin password, Grafana sessions and the query API’s keys would cross the internet in clear. Give a certificate ARN (and the domain name it covers), or keep the load balancer internal.',
    },
    {
      stack: 'otel',
      scheme: 'LoadBalancerType',
      certificate: 'CollectorCertificateArn',
      message:
        'The collector’s load balancer is internet-facing without a certificate: telemetry would cross the internet in clear, to an endpoint without authentication. Give a certificate ARN (and the domain name it covers), or keep it internal.',
    },
  ],
  operations: {
    images: [
      { stack: 'services', keys: ['GoServicesImage', 'QueryApiImage', 'QueryWorkerImage'] },
      { stack: 'migration', keys: ['ContainerImage'] },
    ],
    grafanaReset: { stack: 'grafana', parameter: 'GrafanaResetToken' },
    otlpEndpoint: { stack: 'services', parameter: 'OtelEndpoint' },
    settings: {
      common: ['AlbScheme', 'AlbCertificateArn', 'AlbDomainName', 'AlbAllowPlainHttp', 'DbEngineVersion'],
      otel: ['LoadBalancerType', 'PublicSubnets', 'CollectorCertificateArn', 'CollectorDomainName', 'CollectorAllowPlainHttp'],
    },
    teardownNote:
      'Deletes every stack of this deployment, the last one first. The database is snapshotted (its deletion protection is switched off first, a step the preview shows), and the ingest bucket, the file system and the database password are kept with their data (delete them yourself when you no longer need them).',
  },
  discovery: discovery2025(STACKS_2025),
  accessPoints,
  accessSummary: 'Grafana, the query API, the bucket, the collector',
  rootCauseHints: [
    {
      // The common stack exports "none" for its public subnets when it has none; CloudFormation cannot
      // check an import before the stack starts, so an internet-facing collector fails at its load balancer.
      stack: 'otel',
      resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      reason: /subnet ID '?none'?/i,
      guidance:
        'The collector is internet-facing, but the common stack has no public subnets (it exports "none"), so the collector\'s load balancer has nowhere to go: CloudFormation cannot check another stack\'s export before it starts. Recover the collector, then make it internal (Change settings → Collector load balancer scheme) or give the common stack public subnets, and resume.',
    },
  ],
};
