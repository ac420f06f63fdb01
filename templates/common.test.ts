import { describe, expect, it } from 'vitest';
import { readTemplate } from '@/lib/cfn/resolve';
import { toJson } from '@/lib/cfn/serialize';
import type { Expr } from '@/lib/cfn/template';
import { checkYamlFormat } from '@/lib/params/formats';
import { toFieldErrors, toZodSchema } from '@/lib/params/schema';
import { commonStack, DB_ENGINE_VERSION, DB_USER, INGEST_PREFIXES } from './common';
import { DEFAULT_COLLECTOR_NAME, DEFAULT_ORGANIZATION_ID } from './shared';
import { renderTemplate } from './stack';
import { withConditions } from './testing/evaluate';

const template = renderTemplate(commonStack);
const resource = (id: string) => template.Resources[id] ?? expect.fail(`no resource ${id}`);
const props = (id: string) => resource(id).Properties as Record<string, unknown>;
const groupId = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });
const outcome = { IsInternetFacing: false, HasPublicSubnets: false, HasApiKeysOverride: false, HasStorageProfilesOverride: false };

const VALID = { VpcId: 'vpc-0abc1234', PrivateSubnets: 'subnet-0abc1234,subnet-0abc5678' };

describe('lakerunner-common', () => {
  it('exports every value the later stacks import, plus the EFS task subnets', () => {
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual(
      [
        'VpcId', 'PrivateSubnets', 'TaskSubnets', 'PublicSubnets', 'ClusterArn', 'ClusterName', 'TaskSecurityGroupId', 'DbEndpoint', 'DbPort',
        'DbSecretArn', 'BucketName', 'BucketArn', 'QueueUrl', 'QueueArn', 'EfsId', 'ScratchAccessPointId', 'GrafanaAccessPointId', 'AlbArn',
        'AlbDnsName', 'AlbSecurityGroupId', 'QueryApiListenerArn', 'GrafanaListenerArn', 'QueryApiUrl', 'GrafanaUrl', 'ApiKeysSecretArn',
        'StorageProfilesParameterName', 'StorageProfilesParameterArn',
      ].sort(),
    );
    expect(Object.values(template.Outputs ?? {}).every((o) => o.Export !== undefined)).toBe(true);
  });

  it('exports the public subnets, or the sentinel "none" when there are none', () => {
    const value = template.Outputs?.PublicSubnets?.Value as Expr;
    expect(withConditions(value, { HasPublicSubnets: false })).toBe('none');
    expect(withConditions(value, { HasPublicSubnets: true })).toEqual({ 'Fn::Join': [',', { Ref: 'PublicSubnets' }] });
    expect(template.Conditions?.HasPublicSubnets).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': [',', { Ref: 'PublicSubnets' }] }, ''] }] });
  });

  it('puts the load balancer in the public subnets only when it is internet-facing (and, by the rule, has them)', () => {
    const alb = props('LoadBalancer');
    expect(alb.Scheme).toEqual({ Ref: 'AlbScheme' });
    expect(template.Conditions?.UsePublicSubnets).toEqual({ 'Fn::And': [{ Condition: 'IsInternetFacing' }, { Condition: 'HasPublicSubnets' }] });
    expect(withConditions(alb.Subnets, { UsePublicSubnets: true })).toEqual({ Ref: 'PublicSubnets' });
    expect(withConditions(alb.Subnets, { UsePublicSubnets: false })).toEqual({ Ref: 'PrivateSubnets' });
  });

  it('refuses an internet-facing load balancer without public subnets, in the template and in the form', async () => {
    const rule = commonStack.rules.find((r) => r.id === 'InternetFacingNeedsPublicSubnets');
    expect(template.Rules?.InternetFacingNeedsPublicSubnets).toEqual({
      RuleCondition: { 'Fn::Equals': [{ Ref: 'AlbScheme' }, 'internet-facing'] },
      Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::EachMemberEquals': [{ Ref: 'PublicSubnets' }, ''] }] }, AssertDescription: rule?.message }],
    });
    const schema = toZodSchema(commonStack.parameters, commonStack.rules);
    const refused = await schema.safeParseAsync({ ...VALID, AlbScheme: 'internet-facing', AlbAllowPlainHttp: 'Yes', PublicSubnets: '' });
    expect(refused.success ? {} : toFieldErrors(refused.error)).toEqual({ PublicSubnets: rule?.message });
    const accepted = await schema.safeParseAsync({ ...VALID, AlbScheme: 'internet-facing', AlbAllowPlainHttp: 'Yes', PublicSubnets: 'subnet-0abc9999,subnet-0abc8888' });
    expect(accepted.success).toBe(true);
  });

  it('answers 503 on both listeners until the query API and Grafana attach to them', () => {
    for (const [id, port, message] of [
      ['QueryApiListener', 7101, 'Lakerunner query API is not deployed'],
      ['GrafanaListener', 3000, 'Grafana is not deployed'],
    ] as const) {
      expect(withConditions(props(id), { HasCertificate: false })).toMatchObject({ LoadBalancerArn: { Ref: 'LoadBalancer' }, Port: port, Protocol: 'HTTP' });
      expect(props(id).DefaultActions).toEqual([
        { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: message } },
      ]);
    }
  });

  it('speaks HTTPS on both listeners with a current TLS policy when a certificate is given, plain HTTP without', () => {
    for (const id of ['QueryApiListener', 'GrafanaListener']) {
      expect(withConditions(props(id), { HasCertificate: true })).toMatchObject({
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
        Certificates: [{ CertificateArn: { Ref: 'AlbCertificateArn' } }],
      });
      const plain = withConditions(props(id), { HasCertificate: false });
      expect(plain.Protocol).toBe('HTTP');
      expect(plain).not.toHaveProperty('Certificates');
    }
    expect(template.Conditions?.HasCertificate).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlbCertificateArn' }, ''] }] });
  });

  it('renders HTTPS listeners and https URLs when the plan gives a certificate, as CloudFormation would evaluate them', () => {
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    const withTls = readTemplate(renderTemplate(commonStack, { AlbCertificateArn: certificate, AlbDomainName: 'lakerunner.example.com' }), 'us-east-1');
    for (const id of ['QueryApiListener', 'GrafanaListener'])
      expect(withTls.value(withTls.template.Resources[id]?.Properties)).toMatchObject({ Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09', Certificates: [{ CertificateArn: certificate }] });
    expect(withTls.value(withTls.template.Outputs?.GrafanaUrl?.Value)).toBe('https://lakerunner.example.com:3000');
    const plain = readTemplate(renderTemplate(commonStack), 'us-east-1');
    expect(plain.value(plain.template.Resources.QueryApiListener?.Properties)).toMatchObject({ Protocol: 'HTTP' });
    expect(plain.value(plain.template.Resources.QueryApiListener?.Properties)).not.toHaveProperty('Certificates');
  });

  it.each([
    [{ HasCertificate: false, HasDomainName: false }, 'http', { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] }],
    [{ HasCertificate: true, HasDomainName: true }, 'https', { Ref: 'AlbDomainName' }],
    [{ HasCertificate: false, HasDomainName: true }, 'http', { Ref: 'AlbDomainName' }],
  ])('exports the query API and Grafana URLs for %j', (conditions, scheme, host) => {
    expect(withConditions(template.Outputs?.QueryApiUrl?.Value, conditions)).toEqual({ 'Fn::Sub': ['${Scheme}://${Host}:7101', { Scheme: scheme, Host: host }] });
    expect(withConditions(template.Outputs?.GrafanaUrl?.Value, conditions)).toEqual({ 'Fn::Sub': ['${Scheme}://${Host}:3000', { Scheme: scheme, Host: host }] });
  });

  it('asks for the domain name a certificate covers, in the template and in the form', async () => {
    const rule = commonStack.rules.find((r) => r.id === 'CertificateNeedsDomainName');
    expect(template.Rules?.CertificateNeedsDomainName).toEqual({
      RuleCondition: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlbCertificateArn' }, ''] }] },
      Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlbDomainName' }, ''] }] }, AssertDescription: rule?.message }],
    });
    const schema = toZodSchema(commonStack.parameters, commonStack.rules);
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    const refused = await schema.safeParseAsync({ ...VALID, AlbCertificateArn: certificate });
    expect(refused.success ? {} : toFieldErrors(refused.error)).toEqual({ AlbDomainName: rule?.message });
    expect((await schema.safeParseAsync({ ...VALID, AlbCertificateArn: certificate, AlbDomainName: 'lakerunner.example.com' })).success).toBe(true);
    const bad = await schema.safeParseAsync({ ...VALID, AlbCertificateArn: 'arn:aws:iam::123456789012:server-certificate/x', AlbDomainName: 'lakerunner..example' });
    expect(bad.success ? {} : Object.keys(toFieldErrors(bad.error)).sort()).toEqual(['AlbCertificateArn', 'AlbDomainName']);
  });

  it('lets only the tasks reach the database and the file system', () => {
    expect(props('DbSecurityGroup').SecurityGroupIngress).toEqual([
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: groupId('TaskSecurityGroup'), Description: 'PostgreSQL from the tasks' },
    ]);
    expect(props('Database').VPCSecurityGroups).toEqual([groupId('DbSecurityGroup')]);
    expect(props('EfsSecurityGroup').SecurityGroupIngress).toEqual([
      { IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: groupId('TaskSecurityGroup'), Description: 'NFS from the tasks' },
    ]);
    const taskIngress = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress')
      .map((r) => [r.Properties?.FromPort, (r.Properties?.SourceSecurityGroupId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]]);
    expect(taskIngress).toEqual([
      [7101, 'AlbSecurityGroup'],
      [3000, 'AlbSecurityGroup'],
      [7101, 'TaskSecurityGroup'],
    ]);
  });

  it('runs an encrypted PostgreSQL whose version (major, or major.minor) is a parameter (upgrades, majors too, are updates), its password generated in Secrets Manager', async () => {
    expect(resource('Database')).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    expect(template.Parameters?.DbEngineVersion?.Default).toBe('17');
    expect(template.Parameters?.DbEngineVersion?.Description).toMatch(/RDS may already run a newer minor.*may only rise/);
    const schema = toZodSchema(commonStack.parameters, commonStack.rules);
    for (const [version, ok] of [['17', true], ['18', true], ['17.7', true], ['18.1', true], ['16.10', true], ['17.', false], ['17.7.1', false], ['7', false], ['17.x', false], ['latest', false]] as const)
      expect((await schema.safeParseAsync({ ...VALID, DbEngineVersion: version })).success, version).toBe(ok);
    expect(props('Database')).toMatchObject({
      Engine: 'postgres',
      EngineVersion: { Ref: 'DbEngineVersion' },
      AllowMajorVersionUpgrade: true,
      StorageEncrypted: true,
      PubliclyAccessible: false,
      MasterUsername: DB_USER,
      MasterUserPassword: { 'Fn::Sub': '{{resolve:secretsmanager:${DbSecret}:SecretString:password}}' },
    });
    expect(DB_ENGINE_VERSION).toBe('17');
    expect(JSON.parse((props('DbSecret').GenerateSecretString as { SecretStringTemplate: string }).SecretStringTemplate)).toEqual({ username: DB_USER });
  });

  it('creates the bucket after its queue policy and notifies the queue for every ingest prefix', () => {
    expect(resource('IngestBucket')).toMatchObject({ DependsOn: 'IngestQueuePolicy', DeletionPolicy: 'Retain' });
    const notifications = (props('IngestBucket').NotificationConfiguration as { QueueConfigurations: { Filter: unknown; Queue: unknown }[] })
      .QueueConfigurations;
    expect(notifications.map((n) => n.Filter)).toEqual(INGEST_PREFIXES.map((prefix) => ({ S3Key: { Rules: [{ Name: 'prefix', Value: prefix }] } })));
    expect(new Set(notifications.map((n) => JSON.stringify(n.Queue)))).toEqual(new Set([JSON.stringify({ 'Fn::GetAtt': ['IngestQueue', 'Arn'] })]));
    const statement = (props('IngestQueuePolicy').PolicyDocument as { Statement: Record<string, unknown>[] }).Statement[0];
    expect(statement).toMatchObject({ Principal: { Service: 's3.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
  });

  it('lets only IAM clients of the account mount the file system, over TLS', () => {
    const statements = (props('FileSystem').FileSystemPolicy as { Statement: Record<string, unknown>[] }).Statement;
    expect(props('FileSystem').Encrypted).toBe(true);
    expect(statements.map((s) => [s.Effect, s.Principal, s.Condition])).toEqual([
      ['Allow', { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } }],
      ['Deny', { AWS: '*' }, { Bool: { 'aws:SecureTransport': 'false' } }],
    ]);
  });

  it('offers a scratch and a Grafana access point, Grafana owned by uid 472', () => {
    expect(props('ScratchAccessPoint').RootDirectory).toMatchObject({ Path: '/lakerunner-scratch' });
    expect(props('GrafanaAccessPoint')).toMatchObject({
      PosixUser: { Uid: '472', Gid: '0' },
      RootDirectory: { Path: '/grafana', CreationInfo: { OwnerUid: '472', OwnerGid: '0', Permissions: '0755' } },
    });
    expect([props('MountTarget1').SubnetId, props('MountTarget2').SubnetId]).toEqual([
      { 'Fn::Select': [0, { Ref: 'PrivateSubnets' }] },
      { 'Fn::Select': [1, { Ref: 'PrivateSubnets' }] },
    ]);
  });

  it('stores overrides verbatim, and otherwise defaults that pass the console’s own YAML checks', async () => {
    const apiKeys = props('ApiKeysSecret').SecretString as Expr;
    const profiles = props('StorageProfilesParameter').Value as Expr;
    expect(withConditions(apiKeys, { ...outcome, HasApiKeysOverride: true })).toEqual({ Ref: 'ApiKeysOverride' });
    expect(withConditions(profiles, { ...outcome, HasStorageProfilesOverride: true })).toEqual({ Ref: 'StorageProfilesOverride' });

    const keysText = (withConditions(apiKeys, outcome) as { 'Fn::Sub': string })['Fn::Sub'];
    const profilesText = (withConditions(profiles, outcome) as { 'Fn::Sub': string })['Fn::Sub'];
    expect(keysText).toContain(DEFAULT_ORGANIZATION_ID);
    expect(keysText).toContain('{{resolve:secretsmanager:${GeneratedApiKey}:SecretString:key}}');
    const resolvedKeys = keysText.replace(/\{\{resolve:[^}]+\}\}/, 'k3yk3yk3y');
    expect(await checkYamlFormat('yaml-api-keys', resolvedKeys, 'API keys')).toBeUndefined();
    const resolvedProfiles = profilesText.replace('${IngestBucket}', 'lakerunner-ingest-abc').replace('${AWS::Region}', 'eu-west-1');
    expect(await checkYamlFormat('yaml-storage-profiles', resolvedProfiles, 'Storage profiles')).toBeUndefined();
    expect(profilesText).toContain(`collector_name: ${DEFAULT_COLLECTOR_NAME}`);
  });

  it('never ships a published API key: the default key is generated per install', () => {
    expect(toJson(template)).not.toContain('f70603aa00e6f67999cc66e336134887');
    expect(props('GeneratedApiKey').GenerateSecretString).toMatchObject({ GenerateStringKey: 'key', PasswordLength: 32, ExcludePunctuation: true });
    expect(template.Parameters?.ApiKeysOverride?.NoEcho).toBe(true);
  });

  it('redirects plain HTTP to Grafana over HTTPS on port 80 when a certificate is given, and opens port 80 only then', () => {
    expect(resource('HttpRedirectListener')).toEqual({
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Condition: 'HasCertificate',
      Properties: {
        LoadBalancerArn: { Ref: 'LoadBalancer' },
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '3000', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } }],
      },
    });
    const ingress = props('AlbSecurityGroup').SecurityGroupIngress as Expr[];
    const ports = (certificate: boolean) => (withConditions(ingress, { HasCertificate: certificate }) as { FromPort: number }[]).map((r) => r.FromPort);
    expect(ports(true)).toEqual([7101, 3000, 80]);
    expect(ports(false)).toEqual([7101, 3000]);
  });

  it('refuses an internet-facing load balancer without a certificate unless plain HTTP is allowed explicitly, in the template and in the form', async () => {
    const rule = commonStack.rules.find((r) => r.id === 'InternetFacingNeedsCertificate');
    expect(template.Rules?.InternetFacingNeedsCertificate).toEqual({
      RuleCondition: { 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'AlbScheme' }, 'internet-facing'] }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlbAllowPlainHttp' }, 'Yes'] }] }] },
      Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlbCertificateArn' }, ''] }] }, AssertDescription: rule?.message }],
    });
    expect(template.Parameters?.AlbAllowPlainHttp).toMatchObject({ Default: 'No', AllowedValues: ['No', 'Yes'] });
    const schema = toZodSchema(commonStack.parameters, commonStack.rules);
    const exposed = { ...VALID, AlbScheme: 'internet-facing', PublicSubnets: 'subnet-0abc9999,subnet-0abc8888' };
    const refused = await schema.safeParseAsync(exposed);
    expect(refused.success ? {} : toFieldErrors(refused.error)).toEqual({ AlbCertificateArn: rule?.message });
    expect(rule?.message).toMatch(/in clear.*AlbAllowPlainHttp Yes/);
    expect((await schema.safeParseAsync({ ...exposed, AlbAllowPlainHttp: 'Yes' })).success).toBe(true);
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    expect((await schema.safeParseAsync({ ...exposed, AlbCertificateArn: certificate, AlbDomainName: 'lakerunner.example.com' })).success).toBe(true);
    expect((await schema.safeParseAsync({ ...VALID, AlbScheme: 'internal' })).success).toBe(true);
  });

  it.each([
    ['Database', 'Snapshot', 'a final snapshot, then restorable'],
    ['DbSecret', 'Retain', 'the password the snapshot needs'],
    ['IngestBucket', 'Retain', 'the telemetry'],
    ['FileSystem', 'Retain', "Grafana's dashboards and users"],
    ['IngestQueue', 'Delete', 'only pending notifications'],
    ['GeneratedApiKey', 'Delete', 'derived, generated again'],
    ['ApiKeysSecret', 'Delete', 'derived from the parameter or the generated key'],
  ])('gives %s the deletion and replacement policy %s explicitly (%s)', (id, policy) => {
    expect(resource(id)).toMatchObject({ DeletionPolicy: policy, UpdateReplacePolicy: policy });
  });

  it('backs the file system up with AWS Backup', () => {
    expect(props('FileSystem').BackupPolicy).toEqual({ Status: 'ENABLED' });
  });

  it('protects the database from deletion by default; a teardown switches it off first', () => {
    expect(props('Database').DeletionProtection).toEqual({ Ref: 'DbDeletionProtection' });
    expect(template.Parameters?.DbDeletionProtection).toMatchObject({ Default: 'true', AllowedValues: ['true', 'false'] });
    expect(commonStack.beforeDelete).toEqual({ DbDeletionProtection: 'false' });
    expect(commonStack.versionFloors).toEqual([{ parameter: 'DbEngineVersion', logicalId: 'Database', resourceType: 'AWS::RDS::DBInstance' }]);
  });
});
