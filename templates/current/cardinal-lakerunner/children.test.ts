// The services root's children as the fact sheet describes them (§2.9–2.15, §3): every container's
// image, command, start order, ports, environment and secrets; task sizes and storage; how the
// services run and scale; target groups and listener rules; the certificate's conditions.
import { describe, expect, it } from 'vitest';
import type { Template } from '@/lib/cfn/template';
import { resourcesOfType } from '../../testing/policies';
import { childOf, propsOf, readWith, resourceOf } from '../testing/rendered';

type Container = {
  Name: string;
  Image: { Ref: string };
  Command?: string[];
  EntryPoint?: string[];
  Essential?: boolean;
  User?: string;
  PortMappings?: { ContainerPort: number }[];
  DependsOn?: { ContainerName: string; Condition: string }[];
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  LogConfiguration: { Options: Record<string, unknown> };
};

const containersOf = (template: Template) =>
  resourcesOfType(template, 'AWS::ECS::TaskDefinition').flatMap(([task, props]) => (props.ContainerDefinitions as Container[]).map((c) => ({ task, c })));
const ALL = ['migration', 'services-query', 'services-process', 'services-control', 'maestro'].flatMap((child) =>
  containersOf(childOf(child)).map(({ task, c }) => ({ child, task, c })),
);
const container = (name: string) => (ALL.find(({ c }) => c.Name === name) ?? expect.fail(`no container ${name}`)).c;
const envOf = (c: Container) => Object.fromEntries((c.Environment ?? []).map((e) => [e.Name, e.Value]));
const secretNames = (c: Container) => (c.Secrets ?? []).map((s) => s.Name);

const COMMON_ENV = [
  'LRDB_HOST',
  'LRDB_PORT',
  'LRDB_DBNAME',
  'LRDB_SSLMODE',
  'LRDB_S3_BUCKET',
  'CONFIGDB_HOST',
  'CONFIGDB_PORT',
  'CONFIGDB_DBNAME',
  'CONFIGDB_SSLMODE',
  'OTEL_SERVICE_NAME',
  'LAKERUNNER_SELF_TELEMETRY_ENDPOINT',
  'ENABLE_OTLP_TELEMETRY',
  'OTEL_RESOURCE_ATTRIBUTES',
];
const DB_SECRETS = ['LRDB_USER', 'LRDB_PASSWORD', 'CONFIGDB_USER', 'CONFIGDB_PASSWORD'];

/** The ten Lakerunner containers (§3.2): task, command, extra environment, ports. */
const LAKERUNNER: [string, string, string[], Record<string, unknown>, number[]][] = [
  ['query-api', 'QueryApiTaskDef', ['query-api'], { EXECUTION_ENVIRONMENT: 'ecs', QUERY_WORKER_CLUSTER_NAME: { Ref: 'ClusterName' }, QUERY_WORKER_SERVICE_NAME: { 'Fn::GetAtt': ['QueryWorkerService', 'Name'] }, QUERY_WORKER_PORT: '8082', HEALTH_CHECK_PORT: '8090' }, [8080, 8090]],
  ['query-worker', 'QueryWorkerTaskDef', ['query-worker'], { LAKERUNNER_QUERY_DISABLE_TABLE_CACHE: 'true', LAKERUNNER_QUERY_MAX_SEGMENTS_PER_WORKER_PER_WAVE: '100' }, []],
  ['process-logs', 'ProcessLogsTaskDef', ['process-logs'], { LAKERUNNER_PROCESSING_LOGS_COMPACT_TARGET_FILE_SIZE: '2097152', LAKERUNNER_LOG_TRACKED_FIELDS: 'service_name,environment_type,installation,proc_name,partition_id' }, []],
  ['process-metrics', 'ProcessMetricsTaskDef', ['process-metrics'], { LAKERUNNER_PROCESSING_METRICS_COMPACT_TARGET_FILE_SIZE: '2097152' }, []],
  ['process-traces', 'ProcessTracesTaskDef', ['process-traces'], { LAKERUNNER_PROCESSING_TRACES_COMPACT_TARGET_FILE_SIZE: '2097152' }, []],
  ['pubsub-sqs', 'PubsubSqsTaskDef', ['pubsub', 'sqs'], { SQS_QUEUE_URL: { Ref: 'QueueUrl' }, SQS_REGION: { Ref: 'AWS::Region' }, SQS_ROLE_ARN: { Ref: 'QueueRoleArn' } }, []],
  ['admin-api', 'ControlTaskDef', ['admin-api', 'serve'], { HEALTH_CHECK_PORT: '8090' }, [9091, 8090]],
  ['sweeper', 'ControlTaskDef', ['sweeper'], { HEALTH_CHECK_PORT: '8091' }, []],
  ['monitoring', 'ControlTaskDef', ['monitoring', 'serve'], { HEALTH_CHECK_PORT: '8092' }, []],
  ['alert-evaluator', 'ControlTaskDef', ['alert-evaluator'], { ALERT_EVALUATOR_QUERY_API_URL: { 'Fn::Sub': 'http://query-api.${ServiceNamespaceName}:8080' }, HEALTH_CHECK_PORT: '8093' }, []],
];

describe('the Lakerunner containers', () => {
  it.each(LAKERUNNER)('%s runs /app/bin/lakerunner in %s with the common settings and its own', (name, task, command, extra, ports) => {
    const found = ALL.find(({ c }) => c.Name === name);
    expect(found?.task).toBe(task);
    const c = container(name);
    expect(c.Image).toEqual({ Ref: 'LakerunnerImage' });
    expect(c.Command).toEqual(['/app/bin/lakerunner', ...command]);
    expect(c.Essential).toBeUndefined();
    expect((c.PortMappings ?? []).map((p) => p.ContainerPort)).toEqual(ports);
    expect(Object.keys(envOf(c))).toEqual([...COMMON_ENV, ...Object.keys(extra)]);
    expect(envOf(c)).toMatchObject({
      LRDB_HOST: { Ref: 'DbEndpoint' },
      LRDB_PORT: { Ref: 'DbPort' },
      LRDB_DBNAME: 'lakerunner',
      LRDB_SSLMODE: 'require',
      LRDB_S3_BUCKET: { Ref: 'BucketName' },
      CONFIGDB_DBNAME: 'configdb',
      OTEL_SERVICE_NAME: `lakerunner-${name}`,
      LAKERUNNER_SELF_TELEMETRY_ENDPOINT: { Ref: 'SelfTelemetryEndpoint' },
      ENABLE_OTLP_TELEMETRY: { Ref: 'SelfTelemetryEnabled' },
      OTEL_RESOURCE_ATTRIBUTES: { 'Fn::Sub': 'ecs.cluster.name=${ClusterName}' },
      ...extra,
    });
    expect(secretNames(c)).toEqual([...DB_SECRETS, 'LICENSE_DATA', ...(name === 'admin-api' ? ['ADMIN_INITIAL_API_KEY'] : [])]);
    expect(c.Secrets).toContainEqual({ Name: 'LRDB_PASSWORD', ValueFrom: { 'Fn::Sub': ['${Arn}:password::', { Arn: { Ref: 'DbSecretArn' } }] } });
    expect(c.Secrets).toContainEqual({ Name: 'LICENSE_DATA', ValueFrom: { Ref: 'LicenseSecretArn' } });
    expect(c.LogConfiguration.Options['awslogs-stream-prefix']).toBe(name);
  });

  it('never sets OTEL_EXPORTER_OTLP_ENDPOINT (Lakerunner sets it; a license may carry its own)', () => {
    for (const { c } of ALL) expect(envOf(c), c.Name).not.toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it('seeds admin-api with the admin key', () => {
    expect(container('admin-api').Secrets).toContainEqual({ Name: 'ADMIN_INITIAL_API_KEY', ValueFrom: { 'Fn::Sub': ['${Arn}:key::', { Arn: { Ref: 'AdminApiKeySecretArn' } }] } });
  });
});

describe('the migration task', () => {
  it('creates configdb, migrates, then idles in its only essential container', () => {
    const [init, migrator, keepalive] = (propsOf(childOf('migration'), 'MigratorTaskDef').ContainerDefinitions as Container[]).map((c) => c);
    expect([init?.Name, migrator?.Name, keepalive?.Name]).toEqual(['configdb-init', 'migrator', 'keepalive']);
    expect(init).toMatchObject({ Image: { Ref: 'DbInitImage' }, EntryPoint: ['sh', '-c'], Essential: false });
    expect(init?.Command?.[0]).toContain('CREATE DATABASE configdb');
    expect(init?.Command?.[0]).toContain("datname = 'configdb'");
    expect(secretNames(init as Container)).toEqual(['LRDB_USER', 'LRDB_PASSWORD']);
    expect(Object.keys(envOf(init as Container))).toEqual(['LRDB_HOST', 'LRDB_PORT']);
    expect(migrator).toMatchObject({
      Image: { Ref: 'LakerunnerImage' },
      Command: ['/app/bin/lakerunner', 'migrate', '--databases=lrdb,configdb'],
      Essential: false,
      DependsOn: [{ ContainerName: 'configdb-init', Condition: 'COMPLETE' }],
    });
    expect(envOf(migrator as Container)).toEqual({
      LRDB_HOST: { Ref: 'DbEndpoint' },
      LRDB_PORT: { Ref: 'DbPort' },
      LRDB_DBNAME: { Ref: 'DbName' },
      LRDB_SSLMODE: 'require',
      CONFIGDB_HOST: { Ref: 'DbEndpoint' },
      CONFIGDB_PORT: { Ref: 'DbPort' },
      CONFIGDB_DBNAME: 'configdb',
      CONFIGDB_SSLMODE: 'require',
    });
    expect(secretNames(migrator as Container)).toEqual(DB_SECRETS);
    expect(keepalive).toMatchObject({ Image: { Ref: 'DbInitImage' }, EntryPoint: ['sh', '-c'], DependsOn: [{ ContainerName: 'migrator', Condition: 'SUCCESS' }] });
    expect(keepalive?.Essential).toBeUndefined();
    expect(keepalive?.Command?.[0]).toMatch(/exec sleep 2147483647$/);
    expect(propsOf(childOf('migration'), 'MigratorTaskDef')).toMatchObject({ Family: 'cardinal-migrator', Cpu: '256', Memory: '512' });
    expect(propsOf(childOf('migration'), 'MigratorService')).toMatchObject({ DesiredCount: 1 });
    expect(childOf('migration').Outputs?.MigrationServiceArn?.Value).toEqual({ Ref: 'MigratorService' });
  });
});

describe('the Maestro task', () => {
  const maestro = childOf('maestro');

  it('starts db-init, then mcp-gateway, waits for it, then maestro; Dex on its own', () => {
    const order = (propsOf(maestro, 'MaestroTaskDef').ContainerDefinitions as Container[]).map((c) => [c.Name, c.Image.Ref, c.Essential ?? true, c.DependsOn ?? []]);
    expect(order).toEqual([
      ['db-init', 'DbInitImage', false, []],
      ['mcp-gateway', 'MaestroImage', true, [{ ContainerName: 'db-init', Condition: 'SUCCESS' }]],
      ['wait-for-mcp', 'MaestroImage', false, [{ ContainerName: 'mcp-gateway', Condition: 'START' }]],
      [
        'maestro',
        'MaestroImage',
        true,
        [
          { ContainerName: 'db-init', Condition: 'SUCCESS' },
          { ContainerName: 'wait-for-mcp', Condition: 'SUCCESS' },
        ],
      ],
      ['dex', 'DexImage', true, []],
    ]);
  });

  it('creates the maestro database and the extensions mcp-gateway needs', () => {
    const script = container('db-init').Command?.[0] ?? '';
    expect(script).toContain('CREATE DATABASE maestro');
    for (const extension of ['vector', 'pgcrypto', 'citext']) expect(script).toContain(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
    expect(script).toContain('ON_ERROR_STOP=1');
  });

  it('configures mcp-gateway, Maestro and Dex for sign-in through the public host', () => {
    expect(container('mcp-gateway')).toMatchObject({ EntryPoint: ['/app/entrypoint.sh'], Command: ['mcp-gateway'] });
    expect(envOf(container('mcp-gateway'))).toMatchObject({ MAESTRO_DB_NAME: 'maestro', MCP_PORT: '8080', MCP_ALLOW_NO_AUTH: 'true', MCP_MIGRATE_RECOVER_FROM_DIRTY: { Ref: 'McpMigrateRecoverFromDirty' } });
    expect(container('wait-for-mcp').Command).toEqual(['wait-for-tcp', 'localhost', '8080']);
    expect(envOf(container('maestro'))).toMatchObject({
      OIDC_ISSUER_URL: { 'Fn::Sub': 'https://${AlbDnsName}/dex' },
      OIDC_JWKS_URL: { 'Fn::Sub': 'https://${AlbDnsName}/dex/keys' },
      OIDC_AUDIENCE: { Ref: 'DexClientId' },
      NODE_TLS_REJECT_UNAUTHORIZED: '0',
      OIDC_SUPERADMIN_EMAILS: { Ref: 'OidcSuperadminEmails' },
      MAESTRO_BOOTSTRAP_ORG_ID: { Ref: 'OrganizationId' },
      MAESTRO_BOOTSTRAP_BUCKET_COLLECTOR_NAME: 'lakerunner',
      MAESTRO_BOOTSTRAP_LAKERUNNER_ADMIN_API_URL: { 'Fn::Sub': 'http://admin-api.${ServiceNamespaceName}:9091' },
    });
    expect(secretNames(container('maestro'))).toEqual(['MAESTRO_DB_USER', 'MAESTRO_DB_PASSWORD', 'LICENSE_DATA', 'MAESTRO_BOOTSTRAP_LAKERUNNER_ADMIN_API_KEY']);
    expect(secretNames(container('mcp-gateway'))).toEqual(['MAESTRO_DB_USER', 'MAESTRO_DB_PASSWORD', 'LICENSE_DATA']);
    expect(container('dex')).toMatchObject({ User: '1001' });
    expect(envOf(container('dex'))).toEqual({
      DEX_ISSUER_URL: { 'Fn::Sub': 'https://${AlbDnsName}/dex' },
      DEX_REDIRECT_URI: { 'Fn::Sub': 'https://${AlbDnsName}/' },
      DEX_CLIENT_ID: { Ref: 'DexClientId' },
      DEX_PORT: '5556',
      DEX_ADMIN_EMAIL: { Ref: 'DexAdminEmail' },
      DEX_ADMIN_HASH: { Ref: 'DexAdminPasswordHash' },
      DEX_EXTRA_USERS: { Ref: 'DexExtraUsers' },
    });
    expect(container('dex').Secrets).toBeUndefined();
  });
});

describe('tasks and services', () => {
  const TASKS = ['migration', 'services-query', 'services-process', 'services-control', 'maestro'].flatMap((child) =>
    resourcesOfType(childOf(child), 'AWS::ECS::TaskDefinition').map(([id, props]) => [`${child} ${id}`, props] as const),
  );
  const SERVICES = ['migration', 'services-query', 'services-process', 'services-control', 'maestro'].flatMap((child) =>
    resourcesOfType(childOf(child), 'AWS::ECS::Service').map(([id, props]) => [`${child} ${id}`, props] as const),
  );

  it.each(TASKS)('%s runs on Fargate ARM64 with the shared execution role and its tier\'s task role', (_name, task) => {
    expect(task).toMatchObject({
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ExecutionRoleArn: { Ref: 'ExecutionRoleArn' },
      TaskRoleArn: { Ref: 'TaskRoleArn' },
    });
  });

  it('gives query-worker 100 GiB of ephemeral storage, and no other task more than the default', () => {
    const storage = TASKS.filter(([, t]) => t.EphemeralStorage !== undefined).map(([name, t]) => [name, t.EphemeralStorage]);
    expect(storage).toEqual([['services-query QueryWorkerTaskDef', { SizeInGiB: 100 }]]);
  });

  it('sizes the tasks as upstream does', () => {
    const sizes = Object.fromEntries(TASKS.map(([name, t]) => [name, [t.Cpu, t.Memory]]));
    expect(sizes).toEqual({
      'migration MigratorTaskDef': ['256', '512'],
      'services-query QueryWorkerTaskDef': [{ Ref: 'QueryWorkerCpu' }, { Ref: 'QueryWorkerMemory' }],
      'services-query QueryApiTaskDef': [{ Ref: 'QueryApiCpu' }, { Ref: 'QueryApiMemory' }],
      'services-process ProcessLogsTaskDef': ['1024', { Ref: 'ProcessLogsMemory' }],
      'services-process ProcessMetricsTaskDef': ['1024', { Ref: 'ProcessMetricsMemory' }],
      'services-process ProcessTracesTaskDef': ['1024', { Ref: 'ProcessTracesMemory' }],
      'services-process PubsubSqsTaskDef': ['1024', '2048'],
      'services-control ControlTaskDef': ['256', '512'],
      'maestro MaestroTaskDef': [{ Ref: 'MaestroTaskCpu' }, { Ref: 'MaestroTaskMemory' }],
    });
  });

  it.each(SERVICES)('%s runs on the FARGATE capacity provider in private subnets, 50/200 with the circuit breaker, tags propagated', (_name, service) => {
    expect(service).toMatchObject({
      Cluster: { Ref: 'ClusterArn' },
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
      DeploymentConfiguration: { MinimumHealthyPercent: 50, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
      NetworkConfiguration: {
        AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: { 'Fn::Split': [',', { Ref: 'PrivateSubnetsCsv' }] }, SecurityGroups: [{ Ref: 'TaskSecurityGroupId' }] },
      },
      PropagateTags: 'SERVICE',
    });
    expect(service.LaunchType).toBeUndefined();
    expect(service.ServiceName).toBeUndefined();
  });

  it('runs the counts upstream runs, starting the autoscaled workers at one task', () => {
    const counts = Object.fromEntries(SERVICES.map(([name, s]) => [name, s.DesiredCount]));
    expect(counts).toEqual({
      'migration MigratorService': 1,
      'services-query QueryWorkerService': { Ref: 'QueryWorkerReplicas' },
      'services-query QueryApiService': { Ref: 'QueryApiReplicas' },
      'services-process ProcessLogsService': 1,
      'services-process ProcessMetricsService': 1,
      'services-process ProcessTracesService': 1,
      'services-process PubsubSqsService': { Ref: 'PubsubSqsReplicas' },
      'services-control ControlService': 1,
      'maestro MaestroService': 1,
    });
  });

  it.each(['ProcessLogs', 'ProcessMetrics', 'ProcessTraces'])('%s scales from 1 to its Replicas ceiling on 50%% average CPU', (id) => {
    const process = childOf('services-process');
    expect(propsOf(process, `${id}ScalableTarget`)).toEqual({
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: { 'Fn::Sub': ['service/${ClusterName}/${Service}', { Service: { 'Fn::GetAtt': [`${id}Service`, 'Name'] } }] },
      MinCapacity: 1,
      MaxCapacity: { Ref: `${id}Replicas` },
    });
    expect(propsOf(process, `${id}CpuScalingPolicy`)).toEqual({
      PolicyName: { 'Fn::Sub': ['${Service}-cpu', { Service: { 'Fn::GetAtt': [`${id}Service`, 'Name'] } }] },
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: { Ref: `${id}ScalableTarget` },
      TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 50 },
    });
  });

  it('attaches the load-balanced services after their listener rules, with upstream\'s grace periods and Cloud Map names', () => {
    const query = childOf('services-query');
    const control = childOf('services-control');
    const maestro = childOf('maestro');
    expect(resourceOf(query, 'QueryApiService').DependsOn).toEqual(['QueryApiListenerRule']);
    expect(resourceOf(control, 'ControlService').DependsOn).toEqual(['AdminApiHttpsListenerRule']);
    expect(resourceOf(maestro, 'MaestroService').DependsOn).toEqual(['MaestroHttpsListenerRule', 'MaestroDexListenerRule']);
    expect(propsOf(query, 'QueryApiService').HealthCheckGracePeriodSeconds).toBe(60);
    expect(propsOf(control, 'ControlService').HealthCheckGracePeriodSeconds).toBe(60);
    expect(propsOf(maestro, 'MaestroService').HealthCheckGracePeriodSeconds).toBeUndefined();
    expect(propsOf(query, 'QueryApiDiscoveryService')).toMatchObject({ Name: 'query-api', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }], RoutingPolicy: 'MULTIVALUE' } });
    expect(propsOf(control, 'AdminApiDiscoveryService')).toMatchObject({ Name: 'admin-api', NamespaceId: { Ref: 'ServiceNamespaceId' } });
  });

  it('keeps each tier\'s logs in its /cardinal/ log group for 14 days (the migrator\'s is generated)', () => {
    const groups = ['migration', 'services-query', 'services-process', 'services-control', 'maestro'].flatMap((child) =>
      resourcesOfType(childOf(child), 'AWS::Logs::LogGroup').map(([, g]) => [g.LogGroupName ?? '(generated)', g.RetentionInDays]),
    );
    expect(groups).toEqual(
      [
        '(generated)',
        '/cardinal/query-worker',
        '/cardinal/query-api',
        '/cardinal/process-logs',
        '/cardinal/process-metrics',
        '/cardinal/process-traces',
        '/cardinal/pubsub-sqs',
        '/cardinal/admin-api',
        '/cardinal/sweeper',
        '/cardinal/monitoring',
        '/cardinal/alert-evaluator',
        '/cardinal/maestro-db-init',
        '/cardinal/maestro',
        '/cardinal/maestro-dex',
      ].map((name) => [name, 14]),
    );
  });
});

describe('the load balancer and its rules', () => {
  const alb = childOf('alb');
  const RULES = ['services-query', 'services-control', 'maestro'].flatMap((child) =>
    resourcesOfType(childOf(child), 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([id, r]) => ({
      rule: `${child} ${id}`,
      listener: (r.ListenerArn as { Ref: string }).Ref,
      priority: Number(r.Priority),
      paths: (r.Conditions as { PathPatternConfig: { Values: string[] } }[])[0]?.PathPatternConfig.Values ?? [],
    })),
  );

  it('has HTTPS on 443 and 9443 with the certificate, and the vestigial 4318, each answering a fixed text by default', () => {
    const listeners = resourcesOfType(alb, 'AWS::ElasticLoadBalancingV2::Listener').map(([id, l]) => [
      id,
      l.Port,
      l.Protocol,
      (l.DefaultActions as { FixedResponseConfig: { StatusCode: string; MessageBody: string } }[])[0]?.FixedResponseConfig,
    ]);
    expect(listeners).toEqual([
      ['HttpsListener', 443, 'HTTPS', { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no listener rule matched' }],
      ['AdminHttpsListener', 9443, 'HTTPS', { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'admin-api listener rule not registered' }],
      ['OtelHttpListener', 4318, 'HTTP', { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no listener rule matched' }],
    ]);
    expect(propsOf(alb, 'HttpsListener').Certificates).toEqual([{ CertificateArn: { Ref: 'CertificateArn' } }]);
    expect(propsOf(alb, 'Alb')).toMatchObject({ Scheme: { Ref: 'Scheme' }, Subnets: { 'Fn::Split': [',', { Ref: 'AlbSubnetsCsv' }] }, SecurityGroups: [{ Ref: 'AlbSgId' }] });
  });

  it('gives every rule on one listener its own priority, with Maestro\'s catch-all the highest', () => {
    expect(RULES.map((r) => [r.rule, r.listener, r.priority, r.paths])).toEqual([
      ['services-query QueryApiListenerRule', 'HttpsListenerArn', 100, ['/api/v1/logs/*', '/api/v1/metrics/*', '/api/v1/spans/*', '/api/v1/promql/*', '/api/v1/logql/*']],
      ['services-query QueryApiExtraListenerRule', 'HttpsListenerArn', 105, ['/api/v1/ping', '/api/v1/services', '/api/v1/features']],
      ['services-control AdminApiHttpsListenerRule', 'AdminHttpsListenerArn', 1, ['/*']],
      ['maestro MaestroHttpsListenerRule', 'HttpsListenerArn', 49999, ['/*']],
      ['maestro MaestroDexListenerRule', 'HttpsListenerArn', 210, ['/dex/*']],
    ]);
    const byListener = new Map<string, number[]>();
    for (const r of RULES) byListener.set(r.listener, [...(byListener.get(r.listener) ?? []), r.priority]);
    for (const [listener, priorities] of byListener) expect(new Set(priorities).size, listener).toBe(priorities.length);
    const https = byListener.get('HttpsListenerArn') ?? [];
    expect(Math.max(...https)).toBe(49999);
    for (const r of RULES) expect(r.paths.length, r.rule).toBeLessThanOrEqual(5);
  });

  it('health-checks each target on the port and path its service answers', () => {
    const tgs = ['services-query', 'services-control', 'maestro'].flatMap((child) =>
      resourcesOfType(childOf(child), 'AWS::ElasticLoadBalancingV2::TargetGroup').map(([id, t]) => [id, t.Port, t.HealthCheckPath, t.HealthCheckPort ?? 'traffic-port', t.TargetType, t.Matcher]),
    );
    expect(tgs).toEqual([
      ['QueryApiTargetGroup', 8080, '/healthz', '8090', 'ip', { HttpCode: '200' }],
      ['AdminApiTargetGroup', 9091, '/healthz', '8090', 'ip', { HttpCode: '200' }],
      ['MaestroHttpsTargetGroup', 4200, '/healthz', 'traffic-port', 'ip', { HttpCode: '200' }],
      ['MaestroDexTargetGroup', 5556, '/dex/healthz', 'traffic-port', 'ip', { HttpCode: '200' }],
    ]);
  });
});

describe('the certificate', () => {
  const cert = childOf('cert');
  const effective = (values: Record<string, string>) => {
    const reader = readWith(cert, values);
    return { created: reader.condition('CreateServerCert'), arn: reader.value(cert.Outputs?.EffectiveCertificateArn?.Value) };
  };

  it.each([
    ['an ARN passes through', { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }, false, 'arn:aws:acm:us-east-1:123456789012:certificate/abc'],
    ['PEMs build an IAM server certificate', { CertificateBody: 'BODY', CertificatePrivateKey: 'KEY' }, true, undefined],
    ['an ARN wins over PEMs', { CertificateArn: 'arn:aws:iam::123456789012:server-certificate/x', CertificateBody: 'BODY', CertificatePrivateKey: 'KEY' }, false, 'arn:aws:iam::123456789012:server-certificate/x'],
    ['a body without its key builds nothing', { CertificateBody: 'BODY' }, false, ''],
    ['neither leaves the ARN empty (the console generates a self-signed pair on create)', {}, false, ''],
  ])('%s', (_case, values, created, arn) => {
    const outcome = effective(values);
    expect(outcome.created).toBe(created);
    if (arn !== undefined) expect(outcome.arn).toBe(arn);
  });

  it('adds the chain only when given', () => {
    expect(propsOf(cert, 'ServerCertificate').CertificateChain).toEqual({ 'Fn::If': ['HasCertChain', { Ref: 'CertificateChain' }, { Ref: 'AWS::NoValue' }] });
    for (const key of ['CertificateBody', 'CertificatePrivateKey', 'CertificateChain']) expect(cert.Parameters?.[key]?.NoEcho, key).toBe(true);
  });
});
