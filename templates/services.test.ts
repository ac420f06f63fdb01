import { describe, expect, it } from 'vitest';
import { byteLength, TEMPLATE_BODY_LIMIT, toJson } from '@/lib/cfn/serialize';
import type { Expr } from '@/lib/cfn/template';
import { toFieldErrors, toZodSchema } from '@/lib/params/schema';
import { countKey, QUERY_WORKERS, SERVICES, servicesStack } from './services';
import { renderTemplate } from './stack';
import { withConditions } from './testing/evaluate';
import { identityStatements } from './testing/policies';

const template = renderTemplate(servicesStack);
const props = (id: string) => (template.Resources[id] ?? expect.fail(`no resource ${id}`)).Properties as Record<string, unknown>;
const importOf = (name: string) => ({ 'Fn::ImportValue': { 'Fn::Sub': `\${CommonInfraStackName}-${name}` } });
type Container = Record<string, unknown> & { Environment: Expr[]; Secrets: { Name: string; ValueFrom: unknown }[] };
const containerOf = (id: string) => (props(`${id}Task`).ContainerDefinitions as Container[])[0] as Container;
const envOf = (id: string, otlp: boolean) =>
  Object.fromEntries((withConditions(containerOf(id).Environment, { EnableOtlp: otlp }) as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]));

/** The form's message for one value of the services stack's parameter `key`, if any. */
async function formError(key: string, value: string) {
  const result = await toZodSchema(servicesStack.parameters, servicesStack.rules).safeParseAsync({ CommonInfraStackName: 'lakerunner-common', [key]: value });
  return result.success ? undefined : toFieldErrors(result.error)[key];
}

const EXPECTED = [
  ['PubsubSqs', 'pubsub-sqs', ['/app/bin/lakerunner', 'pubsub', 'sqs'], 1],
  ['IngestLogs', 'ingest-logs', ['/app/bin/lakerunner', 'ingest-logs'], 2],
  ['IngestMetrics', 'ingest-metrics', ['/app/bin/lakerunner', 'ingest-metrics'], 1],
  ['CompactLogs', 'compact-logs', ['/app/bin/lakerunner', 'compact-logs'], 4],
  ['CompactMetrics', 'compact-metrics', ['/app/bin/lakerunner', 'compact-metrics'], 1],
  ['RollupMetrics', 'rollup-metrics', ['/app/bin/lakerunner', 'rollup-metrics'], 1],
  ['Sweeper', 'sweeper', ['/app/bin/lakerunner', 'sweeper'], 1],
  ['QueryApi', 'query-api', undefined, 1],
  ['QueryWorker', 'query-worker', undefined, QUERY_WORKERS],
] as const;

describe('lakerunner-services', () => {
  it('generates the nine services from the table', () => {
    expect(SERVICES.map((s) => s.id)).toEqual(EXPECTED.map(([id]) => id));
    const types = Object.values(template.Resources).map((r) => r.Type);
    for (const type of ['AWS::ECS::Service', 'AWS::ECS::TaskDefinition', 'AWS::Logs::LogGroup']) expect(types.filter((t) => t === type)).toHaveLength(9);
  });

  it.each(EXPECTED)('%s runs lakerunner-%s with its command and replica count on the common cluster', (id, name, command, replicas) => {
    const container = containerOf(id);
    expect(template.Parameters?.[`${id}Count`]).toMatchObject({ Type: 'Number', Default: String(replicas), MinValue: 1 });
    expect(container.Command).toEqual(command);
    expect(envOf(id, false).OTEL_SERVICE_NAME).toBe(`lakerunner-${name}`);
    expect(props(`${id}Service`)).toMatchObject({
      Cluster: importOf('ClusterArn'),
      LaunchType: 'FARGATE',
      DesiredCount: { Ref: `${id}Count` },
      EnableExecuteCommand: true,
      NetworkConfiguration: {
        AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: { 'Fn::Split': [',', importOf('TaskSubnets')] }, SecurityGroups: [importOf('TaskSecurityGroupId')] },
      },
    });
    expect(props(`${id}Service`).ServiceName).toBeUndefined();
  });

  it.each(EXPECTED)('%s mounts /scratch from the EFS scratch access point with TLS and IAM authorization', (id) => {
    expect(props(`${id}Task`).Volumes).toContainEqual({
      Name: 'scratch',
      EFSVolumeConfiguration: {
        FilesystemId: importOf('EfsId'),
        TransitEncryption: 'ENABLED',
        AuthorizationConfig: { AccessPointId: importOf('ScratchAccessPointId'), IAM: 'ENABLED' },
      },
    });
    expect(containerOf(id).MountPoints).toContainEqual({ SourceVolume: 'scratch', ContainerPath: '/scratch', ReadOnly: false });
    expect(envOf(id, false)).toMatchObject({ TMPDIR: '/scratch', HOME: '/scratch' });
  });

  it.each(EXPECTED)('%s sends OTLP telemetry only when an endpoint is set', (id) => {
    expect(envOf(id, false)).not.toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(envOf(id, false)).not.toHaveProperty('ENABLE_OTLP_TELEMETRY');
    expect(envOf(id, true)).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: { Ref: 'OtelEndpoint' }, ENABLE_OTLP_TELEMETRY: 'true' });
  });

  it.each(EXPECTED)('%s reads its configuration and database password from the common secrets', (id) => {
    const secrets = Object.fromEntries(containerOf(id).Secrets.map((s) => [s.Name, s.ValueFrom]));
    expect(secrets).toMatchObject({
      API_KEYS_ENV: importOf('ApiKeysSecretArn'),
      STORAGE_PROFILES_ENV: importOf('StorageProfilesParameterArn'),
      LRDB_PASSWORD: { 'Fn::Sub': ['${Arn}:password::', { Arn: importOf('DbSecretArn') }] },
      CONFIGDB_PASSWORD: { 'Fn::Sub': ['${Arn}:password::', { Arn: importOf('DbSecretArn') }] },
    });
    expect(envOf(id, false)).toMatchObject({
      API_KEYS_FILE: 'env:API_KEYS_ENV',
      STORAGE_PROFILE_FILE: 'env:STORAGE_PROFILES_ENV',
      LRDB_HOST: importOf('DbEndpoint'),
      LRDB_SSLMODE: 'require',
      SQS_QUEUE_URL: importOf('QueueUrl'),
    });
  });

  it.each([
    ['', undefined],
    ['http://collector.example.com:4318', undefined],
    ['https://otel.example.com/v1', undefined],
    ['collector:4318', 'OTLP endpoint must be empty or an http:// or https:// URL such as http://collector.example.com:4318.'],
    ['ftp://collector.example.com', 'OTLP endpoint must be empty or an http:// or https:// URL such as http://collector.example.com:4318.'],
  ])('checks the OTLP endpoint %j', async (endpoint, message) => {
    expect(await formError('OtelEndpoint', endpoint)).toBe(message);
  });

  it('health-checks the Go services with sysinfo and the query services over HTTP, with the CMD prefixes', () => {
    expect((containerOf('Sweeper').HealthCheck as { Command: string[] }).Command).toEqual(['CMD', '/app/bin/lakerunner', 'sysinfo']);
    expect((containerOf('QueryWorker').HealthCheck as { Command: string[] }).Command).toEqual([
      'CMD-SHELL',
      'curl -fsS http://localhost:7101/ready > /dev/null || exit 1',
    ]);
  });

  it('joins the query API to the common load balancer through its own target group and listener rule', () => {
    expect(props('QueryApiRule')).toMatchObject({
      ListenerArn: importOf('QueryApiListenerArn'),
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'QueryApiTargetGroup' } }],
    });
    expect(props('QueryApiTargetGroup')).toMatchObject({ Port: 7101, TargetType: 'ip', HealthCheckPath: '/ready', VpcId: importOf('VpcId') });
    expect(template.Resources.QueryApiService?.DependsOn).toEqual(['QueryApiRule']);
    expect(props('QueryApiService').LoadBalancers).toEqual([{ ContainerName: 'app', ContainerPort: 7101, TargetGroupArn: { Ref: 'QueryApiTargetGroup' } }]);
    // The URL is the common stack's output, where the load balancer's certificate and name are.
    expect(template.Outputs?.QueryApiUrl).toBeUndefined();
  });

  it('lets the query API discover its workers by the generated service name; only the query services get the token key', () => {
    expect(envOf('QueryApi', false)).toMatchObject({
      ECS_WORKER_SERVICE_NAME: { 'Fn::GetAtt': ['QueryWorkerService', 'Name'] },
      QUERY_WORKER_CLUSTER_NAME: importOf('ClusterName'),
      NUM_MIN_QUERY_WORKERS: { Ref: 'QueryWorkerCount' },
      NUM_MAX_QUERY_WORKERS: { Ref: 'QueryWorkerCount' },
    });
    for (const { id, image } of SERVICES) {
      const signs = containerOf(id).Secrets.some((s) => s.Name === 'TOKEN_HMAC256_KEY');
      expect(signs, id).toBe(image !== 'GoServicesImage');
    }
  });

  it('grants SQS to the Go services only, ECS discovery to the query API only, and ECS Exec to every task role', () => {
    const roleOf = (id: string) => (props(`${id}Task`).TaskRoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    expect(new Set(SERVICES.filter((s) => s.image === 'GoServicesImage').map((s) => roleOf(s.id)))).toEqual(new Set(['TaskRole']));
    const actionsOf = (id: string) => identityStatements(template).filter((s) => s.path.startsWith(`Resources.${id}.`)).flatMap((s) => s.statement.Action as string[]);
    expect(actionsOf('TaskRole').every((a) => a.startsWith('sqs:'))).toBe(true);
    expect(actionsOf('QueryApiTaskRole').every((a) => a.startsWith('ecs:'))).toBe(true);
    expect(actionsOf('QueryWorkerTaskRole')).toEqual([]);
    expect(actionsOf('TaskAccessPolicy')).toEqual(
      expect.arrayContaining(['ssmmessages:CreateControlChannel', 'elasticfilesystem:ClientMount', 'elasticfilesystem:ClientRootAccess', 's3:GetObject']),
    );
    for (const role of ['TaskRole', 'QueryApiTaskRole', 'QueryWorkerTaskRole']) expect(props(role).ManagedPolicyArns).toEqual([{ Ref: 'TaskAccessPolicy' }]);
    const s3 = identityStatements(template).filter((s) => (s.statement.Action as string[]).some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => JSON.stringify(s.statement.Resource)).every((r) => r.includes('-BucketArn'))).toBe(true);
  });

  it.each([
    ['8', undefined],
    ['1', undefined],
    ['0', 'Number of query-worker tasks must be a whole number from 1 to 100.'],
    ['101', 'Number of query-worker tasks must be a whole number from 1 to 100.'],
    ['2.5', 'Number of query-worker tasks must be a whole number such as 2.'],
    ['many', 'Number of query-worker tasks must be a number.'],
  ])('checks a task count %j', async (count, message) => {
    expect(await formError('QueryWorkerCount', count)).toBe(message);
  });

  it('offers one task of every service as the proof-of-concept size, today\'s counts as the default', () => {
    const counts = servicesStack.parameters.filter((p) => p.proofOfConcept !== undefined);
    expect(counts.map((p) => p.key)).toEqual(SERVICES.map(countKey));
    expect(counts.map((p) => p.default)).toEqual(['1', '2', '1', '4', '1', '1', '1', '1', String(QUERY_WORKERS)]);
    expect(new Set(counts.map((p) => p.proofOfConcept))).toEqual(new Set(['1']));
  });

  it('stays well inside the TemplateBody limit even with long custom image defaults', () => {
    const long = `registry.example.com:5000/${'a'.repeat(180)}/lakerunner:v1.2.1`;
    const custom = renderTemplate(servicesStack, { GoServicesImage: long, QueryApiImage: long, QueryWorkerImage: long, OtelEndpoint: `http://${'c'.repeat(200)}:4318` });
    expect(byteLength(toJson(custom))).toBeLessThanOrEqual(TEMPLATE_BODY_LIMIT);
  });
});
