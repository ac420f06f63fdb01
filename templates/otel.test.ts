import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Expr } from '@/lib/cfn/template';
import { checkYamlFormat } from '@/lib/params/formats';
import { toFieldErrors, toZodSchema } from '@/lib/params/schema';
import { DEFAULT_COLLECTOR_CONFIG, DEFAULT_COLLECTOR_CONFIG_YAML, HEALTH_CHECK_PORT, OTLP_HTTP_PORT, PARTITION_FORMAT } from './otel-config';
import { otelStack } from './otel';
import { DEFAULT_COLLECTOR_NAME, DEFAULT_ORGANIZATION_ID } from './shared';
import { renderTemplate } from './stack';
import { withConditions } from './testing/evaluate';

type Statement = { Effect: string; Action: string[]; Resource: Expr };
type Ingress = { IpProtocol: string; FromPort: number; ToPort: number; CidrIp?: string; SourceSecurityGroupId?: Expr };

const template = renderTemplate(otelStack);
const props = (id: string) => {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  return resource.Properties as Record<string, unknown>;
};
const [collector] = (props('CollectorTaskDefinition').ContainerDefinitions as { Name: string; Environment: { Name: string; Value: Expr }[] }[]);
const env = Object.fromEntries((collector?.Environment ?? []).map((e) => [e.Name, e.Value]));
const importOf = (name: string) => ({ 'Fn::ImportValue': { 'Fn::Sub': `\${CommonInfraStackName}-${name}` } });

/** Expands the strftime subset of the partition format for one instant, in UTC. */
const partition = (at: Date) =>
  PARTITION_FORMAT.replace('%Y', String(at.getUTCFullYear()))
    .replace('%m', String(at.getUTCMonth() + 1).padStart(2, '0'))
    .replace('%d', String(at.getUTCDate()).padStart(2, '0'))
    .replace('%H', String(at.getUTCHours()).padStart(2, '0'))
    .replace('%M', String(at.getUTCMinutes()).padStart(2, '0'));

/** An IAM resource pattern (only `*` wildcards) as a RegExp. */
const iamPattern = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

describe('the default collector configuration', () => {
  const config = parse(DEFAULT_COLLECTOR_CONFIG_YAML);

  it('serializes to YAML that parses back to the same configuration and passes the console check', async () => {
    expect(config).toEqual(DEFAULT_COLLECTOR_CONFIG);
    await expect(checkYamlFormat('yaml-otel-config', DEFAULT_COLLECTOR_CONFIG_YAML, 'Collector configuration')).resolves.toBeUndefined();
  });

  it('receives OTLP over HTTP only, on the port the load balancer forwards', () => {
    expect(config.receivers).toEqual({ otlp: { protocols: { http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } } } });
    expect(config.extensions.health_check.endpoint).toBe(`0.0.0.0:${HEALTH_CHECK_PORT}`);
    expect(config.service.extensions).toEqual(['health_check']);
  });

  it.each(['logs', 'metrics'])('writes %s as otlp_proto objects under otel-raw/<org>/<collector>/ in minute partitions', (signal) => {
    const pipeline = config.service.pipelines[signal];
    expect(pipeline.receivers).toEqual(['otlp']);
    expect(pipeline.processors[0]).toBe('memory_limiter');
    const exporter = config.exporters[pipeline.exporters[0]];
    expect(exporter.marshaler).toBe('otlp_proto');
    expect(exporter.s3uploader).toMatchObject({
      s3_bucket: '${env:AWS_S3_BUCKET}',
      region: '${env:AWS_REGION}',
      s3_prefix: 'otel-raw/${env:ORG}/${env:COLLECTOR}',
      s3_partition_format: 'year=%Y/month=%m/day=%d/hour=%H/minute=%M',
    });
  });

  it('accepts traces but drops them, since Lakerunner does not ingest them', () => {
    expect(config.service.pipelines.traces.exporters).toEqual(['nop']);
  });
});

describe('the collector task', () => {
  it('fills ORG, COLLECTOR and the bucket from the parameters and the common stack', () => {
    expect(env.ORG).toEqual({ Ref: 'OrganizationId' });
    expect(env.COLLECTOR).toEqual({ Ref: 'CollectorName' });
    expect(env.AWS_S3_BUCKET).toEqual(importOf('BucketName'));
    expect(env.AWS_REGION).toEqual({ Ref: 'AWS::Region' });
  });

  it('uses OtelConfigYaml when given and the default configuration otherwise', () => {
    expect(template.Conditions?.HasCustomConfig).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'OtelConfigYaml' }, ''] }] });
    expect(env.CHQ_COLLECTOR_CONFIG_YAML).toEqual({ 'Fn::If': ['HasCustomConfig', { Ref: 'OtelConfigYaml' }, DEFAULT_COLLECTOR_CONFIG_YAML] });
  });

  it('may write only the objects the default configuration produces for its organization and collector', () => {
    const statements = (props('CollectorTaskRole').Policies as { PolicyDocument: { Statement: Statement[] } }[])[0]?.PolicyDocument.Statement ?? [];
    const s3 = statements.filter((s) => s.Action.some((a) => a.startsWith('s3:')));
    expect(s3).toHaveLength(1);
    expect(s3[0]?.Action).toEqual(['s3:PutObject', 's3:AbortMultipartUpload']);
    const [pattern, vars] = (s3[0]?.Resource as { 'Fn::Sub': [string, Record<string, Expr>] })['Fn::Sub'];
    expect(vars).toEqual({ BucketArn: importOf('BucketArn') });

    // given the default parameters and a bucket, when the collector writes a log object now,
    // then its key lies inside the role's resource pattern, and another collector's does not.
    const bucketArn = 'arn:aws:s3:::ingest-bucket';
    const allowed = iamPattern(
      pattern.replace('${BucketArn}', bucketArn).replace('${OrganizationId}', DEFAULT_ORGANIZATION_ID).replace('${CollectorName}', DEFAULT_COLLECTOR_NAME),
    );
    const key = `otel-raw/${DEFAULT_ORGANIZATION_ID}/${DEFAULT_COLLECTOR_NAME}/${partition(new Date(Date.UTC(2026, 10, 27, 5, 7)))}/logs_123456789.binpb.gz`;
    expect(key).toContain('year=2026/month=11/day=27/hour=05/minute=07/');
    expect(allowed.test(`${bucketArn}/${key}`)).toBe(true);
    expect(allowed.test(`${bucketArn}/${key.replace(DEFAULT_COLLECTOR_NAME, 'other')}`)).toBe(false);
    expect(allowed.test(`${bucketArn}/logs-raw/file.json.gz`)).toBe(false);
  });

  it('gives the execution role only the AWS managed task-execution policy', () => {
    const role = props('CollectorExecutionRole');
    expect(role.ManagedPolicyArns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }]);
    expect(role).not.toHaveProperty('Policies');
  });

  it('runs on a valid Fargate size in the private subnets behind its own security group', () => {
    expect(props('CollectorTaskDefinition')).toMatchObject({ Cpu: '1024', Memory: '2048' });
    expect(props('CollectorService').DesiredCount).toEqual({ Ref: 'CollectorCount' });
    expect(template.Parameters?.CollectorCount).toMatchObject({ Type: 'Number', Default: '1', MinValue: 1 });
    const network = (props('CollectorService').NetworkConfiguration as { AwsvpcConfiguration: Record<string, unknown> }).AwsvpcConfiguration;
    expect(network).toEqual({
      AssignPublicIp: 'DISABLED',
      Subnets: { 'Fn::Split': [',', importOf('PrivateSubnets')] },
      SecurityGroups: [{ Ref: 'CollectorSecurityGroup' }],
    });
  });
});

describe('the collector load balancer', () => {
  it('takes its scheme from LoadBalancerType and its own public subnets only when internet-facing', () => {
    expect(props('CollectorLoadBalancer')).toMatchObject({
      Scheme: { Ref: 'LoadBalancerType' },
      Subnets: { 'Fn::If': ['UsePublicSubnets', { Ref: 'PublicSubnets' }, { 'Fn::Split': [',', importOf('PrivateSubnets')] }] },
    });
    expect(template.Conditions?.IsInternetFacing).toEqual({ 'Fn::Equals': [{ Ref: 'LoadBalancerType' }, 'internet-facing'] });
    expect(template.Conditions?.UsePublicSubnets).toEqual({ 'Fn::And': [{ Condition: 'IsInternetFacing' }, { Condition: 'HasPublicSubnets' }] });
    expect(JSON.stringify(template)).not.toContain('-PublicSubnets');
    expect(otelStack.inputs.PublicSubnets).toEqual({ output: ['vpc', 'PublicSubnets'] });
  });

  it('refuses an internet-facing collector without public subnets before anything is created, in the template and in the form', async () => {
    const rule = otelStack.rules.find((r) => r.id === 'InternetFacingNeedsPublicSubnets');
    expect(template.Rules?.InternetFacingNeedsPublicSubnets).toEqual({
      RuleCondition: { 'Fn::Equals': [{ Ref: 'LoadBalancerType' }, 'internet-facing'] },
      Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::EachMemberEquals': [{ Ref: 'PublicSubnets' }, ''] }] }, AssertDescription: rule?.message }],
    });
    const schema = toZodSchema(otelStack.parameters, otelStack.rules);
    const exposed = { CommonInfraStackName: 'lakerunner-common', LoadBalancerType: 'internet-facing', CollectorAllowPlainHttp: 'Yes' };
    const refused = await schema.safeParseAsync(exposed);
    expect(refused.success ? {} : toFieldErrors(refused.error)).toEqual({ PublicSubnets: rule?.message });
    expect((await schema.safeParseAsync({ ...exposed, PublicSubnets: 'subnet-0abc9999,subnet-0abc8888' })).success).toBe(true);
  });

  it('refuses an internet-facing collector without a certificate unless plain HTTP is allowed explicitly', async () => {
    const rule = otelStack.rules.find((r) => r.id === 'InternetFacingNeedsCertificate');
    expect(template.Rules?.InternetFacingNeedsCertificate?.RuleCondition).toEqual({
      'Fn::And': [{ 'Fn::Equals': [{ Ref: 'LoadBalancerType' }, 'internet-facing'] }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'CollectorAllowPlainHttp' }, 'Yes'] }] }],
    });
    const schema = toZodSchema(otelStack.parameters, otelStack.rules);
    const exposed = { CommonInfraStackName: 'lakerunner-common', LoadBalancerType: 'internet-facing', PublicSubnets: 'subnet-0abc9999,subnet-0abc8888' };
    const refused = await schema.safeParseAsync(exposed);
    expect(refused.success ? {} : toFieldErrors(refused.error)).toEqual({ CollectorCertificateArn: rule?.message });
    expect((await schema.safeParseAsync({ ...exposed, CollectorAllowPlainHttp: 'Yes' })).success).toBe(true);
  });

  it('redirects plain HTTP on port 80 to HTTPS on 4318 when a certificate is given, and opens port 80 only then', () => {
    expect(template.Resources.HttpRedirectListener).toMatchObject({
      Condition: 'HasCertificate',
      Properties: {
        LoadBalancerArn: { Ref: 'CollectorLoadBalancer' },
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '4318', StatusCode: 'HTTP_301' } }],
      },
    });
    const ingress = props('LoadBalancerSecurityGroup').SecurityGroupIngress as Expr[];
    expect((withConditions(ingress, { HasCertificate: true }) as Ingress[]).map((r) => r.FromPort)).toEqual([4318, 80]);
  });

  it('listens for OTLP/HTTP on 4318 only, and checks health on the collector health port', () => {
    expect(withConditions(props('CollectorListener'), { HasCertificate: false })).toMatchObject({ Port: OTLP_HTTP_PORT, Protocol: 'HTTP' });
    expect(props('CollectorTargetGroup')).toMatchObject({ Port: OTLP_HTTP_PORT, HealthCheckPort: String(HEALTH_CHECK_PORT), HealthCheckPath: '/' });
    expect(JSON.stringify(template.Resources)).not.toContain('4317');
  });

  it('opens 4318 to clients and lets only the load balancer reach the tasks', () => {
    const ingress = (id: string) => props(id).SecurityGroupIngress as Ingress[];
    const clients = withConditions(ingress('LoadBalancerSecurityGroup'), { HasCertificate: false });
    expect(clients.map((r) => [r.FromPort, r.ToPort, r.CidrIp])).toEqual([[4318, 4318, '0.0.0.0/0']]);
    expect(ingress('CollectorSecurityGroup').map((r) => [r.FromPort, r.ToPort, r.SourceSecurityGroupId, r.CidrIp])).toEqual([
      [4318, 4318, { Ref: 'LoadBalancerSecurityGroup' }, undefined],
      [13133, 13133, { Ref: 'LoadBalancerSecurityGroup' }, undefined],
    ]);
  });

  it('speaks HTTPS with a current TLS policy and the certificate when one is given, and plain HTTP without', () => {
    const listener = props('CollectorListener');
    expect(withConditions(listener, { HasCertificate: true })).toMatchObject({
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      Certificates: [{ CertificateArn: { Ref: 'CollectorCertificateArn' } }],
    });
    const plain = withConditions(listener, { HasCertificate: false });
    expect(plain).not.toHaveProperty('SslPolicy');
    expect(plain).not.toHaveProperty('Certificates');
    expect(template.Conditions?.HasCertificate).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'CollectorCertificateArn' }, ''] }] });
  });

  it('asks for the domain name a certificate covers, in the template and in the form', async () => {
    const rule = otelStack.rules.find((r) => r.id === 'CertificateNeedsDomainName');
    expect(template.Rules?.CertificateNeedsDomainName?.RuleCondition).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'CollectorCertificateArn' }, ''] }] });
    const schema = toZodSchema(otelStack.parameters, otelStack.rules);
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    const refused = await schema.safeParseAsync({ CommonInfraStackName: 'lakerunner-common', CollectorCertificateArn: certificate });
    expect(refused.success ? {} : toFieldErrors(refused.error)).toEqual({ CollectorDomainName: rule?.message });
    const accepted = await schema.safeParseAsync({ CommonInfraStackName: 'lakerunner-common', CollectorCertificateArn: certificate, CollectorDomainName: 'otlp.example.com' });
    expect(accepted.success).toBe(true);
  });

  it('exports the OTLP/HTTP endpoint (https at the domain name with a certificate) and the DNS name under the stack-name pattern', () => {
    const endpoint = template.Outputs?.HttpEndpoint;
    expect(endpoint?.Export).toEqual({ Name: { 'Fn::Sub': '${AWS::StackName}-HttpEndpoint' } });
    const dns = { 'Fn::GetAtt': ['CollectorLoadBalancer', 'DNSName'] };
    expect(withConditions(endpoint?.Value, { HasCertificate: false, HasDomainName: false })).toEqual({ 'Fn::Sub': ['${Scheme}://${Host}:4318', { Scheme: 'http', Host: dns }] });
    expect(withConditions(endpoint?.Value, { HasCertificate: true, HasDomainName: true })).toEqual({
      'Fn::Sub': ['${Scheme}://${Host}:4318', { Scheme: 'https', Host: { Ref: 'CollectorDomainName' } }],
    });
    expect(template.Outputs?.LoadBalancerDNS?.Export).toEqual({ Name: { 'Fn::Sub': '${AWS::StackName}-LoadBalancerDNS' } });
    expect(props('CollectorLoadBalancer')).not.toHaveProperty('Name');
    expect(props('CollectorTargetGroup')).not.toHaveProperty('Name');
  });
});

describe('the collector parameters in the form', () => {
  const schema = toZodSchema(otelStack.parameters, otelStack.rules);
  const valid = { CommonInfraStackName: 'lakerunner-common' };

  it('accepts the defaults', async () => {
    const result = await schema.safeParseAsync(valid);
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({ OrganizationId: DEFAULT_ORGANIZATION_ID, CollectorName: DEFAULT_COLLECTOR_NAME, LoadBalancerType: 'internal' });
  });

  it.each([
    ['OrganizationId', 'not-a-uuid', 'Organization ID must be a UUID such as 12340000-0000-4000-8000-000000000000.'],
    ['CollectorName', 'a/b', 'Collector name must start with a letter or digit'],
    ['LoadBalancerType', 'public', 'Collector load balancer scheme must be internal or internet-facing.'],
    ['OtelConfigYaml', 'receivers: [unclosed', 'Collector configuration (YAML) is not valid YAML'],
    ['OtelConfigYaml', 'receivers: {}\n', 'Collector configuration (YAML) does not have the expected shape'],
  ])('rejects %s = %j with a field message', async (key, value, message) => {
    const result = await schema.safeParseAsync({ ...valid, [key]: value });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path[0] === key);
    expect(issue?.message).toContain(message);
  });
});
