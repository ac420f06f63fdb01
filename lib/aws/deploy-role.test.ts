import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredCapabilities } from '@/lib/cfn/capabilities';
import { toJson, toYaml } from '@/lib/cfn/serialize';
import type { Template } from '@/lib/cfn/template';
import { stagingBucketName } from '@/lib/deploy/staging';
import { sandboxFixture, waitForStack, type Fixture } from '@/lib/sandbox/testing';
import { checkReferences } from '@/templates/testing/references';
import { SchemaChecker } from '@/templates/testing/schema';
import {
  ACCOUNT_RESOURCES,
  deployRoleTemplate,
  lakerunnerResourceTypes,
  MANAGED_POLICIES_PER_ROLE,
  MANAGED_POLICY_LIMIT,
  packStatements,
  permissionsKey,
  policyDocumentSize,
  RESOURCE_PERMISSIONS,
  resourceStatements,
  trustedPrincipalFor,
  type PolicyStatement,
} from './deploy-role';

const ACCOUNT = '123456789012';
const template = deployRoleTemplate();

type Node = Record<string, unknown>;
const policies = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy');
const statementsOf = (documents: unknown[]) => documents.flatMap((d) => (d as { Statement: PolicyStatement[] }).Statement);
const allStatements = statementsOf(policies.map(([, r]) => r.Properties!.PolicyDocument));

/** The policy as IAM would see it in ACCOUNT: Fn::Sub resolved for the aws partition. */
function resolve(value: unknown, account = ACCOUNT): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => {
    const text = (v as { 'Fn::Sub'?: unknown } | null)?.['Fn::Sub'];
    return typeof text === 'string' ? text.replace('${AWS::Partition}', 'aws').replace('${AWS::AccountId}', account) : v;
  }));
}
const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : [value as string]);
const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** A small IAM evaluator for Allow statements with StringEquals conditions: enough to test intent. */
function allows(action: string, resource: string, context: Record<string, string> = {}): boolean {
  return (resolve(allStatements) as PolicyStatement[]).some((s) => {
    if (!list(s.Action).some((a) => glob(a).test(action))) return false;
    if (!list(s.Resource).some((r) => glob(r).test(resource))) return false;
    return Object.entries(s.Condition?.StringEquals ?? {}).every(([key, want]) => key in context && list(want).includes(context[key]!));
  });
}

describe('the deploy role template', () => {
  let checker: SchemaChecker;
  beforeAll(async () => {
    checker = new SchemaChecker(await loadAwsServiceSpec());
  });

  it('passes the official resource schemas and resolves every reference', () => {
    expect(checker.check(template)).toEqual([]);
    expect(checkReferences(template, (type) => checker.attributes(type))).toEqual([]);
  });

  it('matches the golden YAML', async () => {
    await expect(toYaml(template)).toMatchFileSnapshot('__snapshots__/lakerunner-deploy-role.yaml');
  });

  it('trusts only the given principal, and only with the ExternalId', () => {
    const trust = template.Resources.DeployRole!.Properties!.AssumeRolePolicyDocument as { Statement: Node[] };
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'TrustedPrincipalArn' } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
      },
    ]);
  });

  it('takes the ExternalId as a required NoEcho parameter with IAM constraints, and never defaults it', () => {
    expect(template.Parameters?.ExternalId).toEqual(
      expect.objectContaining({ Type: 'String', NoEcho: true, MinLength: 2, MaxLength: 1224, AllowedPattern: '[\\w+=,.@:\\/-]*', Default: undefined }),
    );
    const preset = deployRoleTemplate({ TrustedPrincipalArn: `arn:aws:iam::${ACCOUNT}:role/console` });
    expect(preset.Parameters?.TrustedPrincipalArn?.Default).toBe(`arn:aws:iam::${ACCOUNT}:role/console`);
    expect(preset.Parameters?.ExternalId?.Default).toBeUndefined();
    expect(template.Parameters?.TrustedPrincipalArn?.Default).toBeUndefined();
  });

  it('needs only CAPABILITY_IAM (no fixed names) and outputs the role ARN', () => {
    expect(requiredCapabilities(template)).toEqual(['CAPABILITY_IAM']);
    expect(template.Outputs?.RoleArn?.Value).toEqual({ 'Fn::GetAtt': ['DeployRole', 'Arn'] });
  });

  it('keeps every managed policy under the 6,144-character limit, within the per-role quota', () => {
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
    for (const [id, policy] of policies) expect(policyDocumentSize(policy.Properties!.PolicyDocument), id).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    const attached = template.Resources.DeployRole!.Properties!.ManagedPolicyArns;
    expect(attached).toEqual(policies.map(([id]) => ({ Ref: id })));
  });

  it('keeps statement ids unique (IAM requires it within a policy)', () => {
    const sids = allStatements.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });
});

describe('the permissions table', () => {
  it('covers every resource type the seven Lakerunner templates use', () => {
    const types = lakerunnerResourceTypes();
    expect(types.length).toBeGreaterThan(20);
    expect(types.filter((type) => !RESOURCE_PERMISSIONS[permissionsKey(type)])).toEqual([]);
  });

  it('lists no type the templates no longer use (no permissions left over)', () => {
    const used = new Set(lakerunnerResourceTypes().map(permissionsKey));
    expect(Object.keys(RESOURCE_PERMISSIONS).filter((key) => !used.has(key))).toEqual([]);
  });

  it('refuses to build a policy for a type it does not cover', () => {
    expect(() => resourceStatements(['AWS::EC2::VPC', 'AWS::DynamoDB::Table'])).toThrow(/AWS::DynamoDB::Table/);
  });

  it('scopes every service it grants to the account, where the service has account ARNs', () => {
    const services = new Set(Object.values(RESOURCE_PERMISSIONS).flatMap((p) => p.actions.map((a) => a.split(':')[0]!)));
    for (const service of services) {
      expect(ACCOUNT_RESOURCES[service], service).toBeDefined();
      // S3 buckets and Route 53 hosted zones have ARNs without an account.
      if (service !== 's3' && service !== 'route53') for (const pattern of ACCOUNT_RESOURCES[service]!) expect(pattern, service).toContain('${AWS::AccountId}');
    }
  });

  it('grants on "*" only reads and the few actions IAM cannot limit to a resource', () => {
    const unlimitable = new Set([
      'ecs:CreateCluster',
      'ecs:RegisterTaskDefinition',
      'ecs:DeregisterTaskDefinition',
      'ecs:DeleteTaskDefinitions',
      'route53:AssociateVPCWithHostedZone',
      'secretsmanager:GetRandomPassword',
      'cloudformation:ValidateTemplate',
      // Cloud Map and Route 53 cannot limit what does not exist yet (the current line's namespace and its services).
      'servicediscovery:CreatePrivateDnsNamespace',
      'servicediscovery:CreateService',
      'route53:CreateHostedZone',
    ]);
    const onAnything = allStatements.filter((s) => s.Resource === '*').flatMap((s) => s.Action);
    expect(onAnything.filter((a) => !/:(Describe|List|Get)[A-Z]/.test(a) && !unlimitable.has(a))).toEqual([]);
    expect(onAnything.filter((a) => /GetSecretValue|GetObject/.test(a))).toEqual([]);
  });

  it('lets a role be passed only to ECS tasks and Lambda functions', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/lr-services-TaskRole-ABC`;
    expect(allows('iam:PassRole', role, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' })).toBe(true);
    expect(allows('iam:PassRole', role, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe(true);
    expect(allows('iam:PassRole', role, { 'iam:PassedToService': 'ec2.amazonaws.com' })).toBe(false);
    expect(allows('iam:PassRole', role)).toBe(false);
    expect(allows('iam:PassRole', `arn:aws:iam::999999999999:role/x`, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe(false);
  });

  it('manages stacks and change sets of its own account only', () => {
    const stack = (account: string) => `arn:aws:cloudformation:eu-west-1:${account}:stack/lakerunner-common/0a1b2c3d`;
    for (const action of ['CreateChangeSet', 'ExecuteChangeSet', 'DeleteStack', 'DescribeStackEvents'])
      expect(allows(`cloudformation:${action}`, stack(ACCOUNT)), action).toBe(true);
    expect(allows('cloudformation:DeleteStack', stack('999999999999'))).toBe(false);
    expect(allows('cloudformation:DescribeChangeSet', `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:changeSet/cs-1/0a1b`)).toBe(true);
    expect(allows('cloudformation:ListStacks', '*')).toBe(true);
  });

  it('can stage templates in the console bucket and read the Grafana admin secret, and no other objects', () => {
    const bucket = stagingBucketName(ACCOUNT, 'eu-west-1');
    for (const action of ['s3:CreateBucket', 's3:PutEncryptionConfiguration', 's3:PutBucketPublicAccessBlock', 's3:ListBucket'])
      expect(allows(action, `arn:aws:s3:::${bucket}`), action).toBe(true);
    for (const action of ['s3:PutObject', 's3:GetObject']) expect(allows(action, `arn:aws:s3:::${bucket}/templates/x.json`), action).toBe(true);
    expect(allows('s3:GetObject', `arn:aws:s3:::${stagingBucketName('999999999999', 'eu-west-1')}/x`)).toBe(false);
    expect(allows('s3:GetObject', 'arn:aws:s3:::lr-common-ingestbucket-1x2y3z/logs-raw/a.json')).toBe(false);
    expect(allows('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:GrafanaAdminSecret-AbC123`)).toBe(true);
    expect(allows('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:eu-west-1:999999999999:secret:x')).toBe(false);
  });

  it('lets a teardown empty the raw buckets the lines name, and no other bucket', () => {
    expect(allows('s3:DeleteObject', `arn:aws:s3:::cardinal-otel-raw-${ACCOUNT}-us-east-1/otel-raw/org/a.binpb`)).toBe(true);
    expect(allows('s3:ListBucket', `arn:aws:s3:::cardinal-otel-raw-${ACCOUNT}-us-east-1`)).toBe(true);
    expect(allows('s3:DeleteObject', `arn:aws:s3:::cardinal-cooked-${ACCOUNT}-us-east-1/db/x`)).toBe(false);
    expect(allows('s3:DeleteObject', 'arn:aws:s3:::someone-elses-bucket/x')).toBe(false);
  });

  it('allows every AWS call the console itself makes (CloudFormation, S3, EC2, Secrets Manager, RDS)', () => {
    // Given the SDK commands imported anywhere in the console's server code
    const IAM_NAME: Record<string, string> = {
      HeadBucket: 'ListBucket',
      HeadObject: 'GetObject',
      PutBucketEncryption: 'PutEncryptionConfiguration',
      PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
      ListObjectsV2: 'ListBucket',
      DeleteObjects: 'DeleteObject',
    };
    const PREFIX: Record<string, string> = { cloudformation: 'cloudformation', s3: 's3', ec2: 'ec2', ecs: 'ecs', 'secrets-manager': 'secretsmanager', rds: 'rds' };
    const RESOURCE: Record<string, string> = {
      cloudformation: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/lakerunner-common/0a1b`,
      s3: `arn:aws:s3:::${stagingBucketName(ACCOUNT, 'us-east-1')}`,
      ec2: '*',
      ecs: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/customer`,
      secretsmanager: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:GrafanaAdmin-AbC123`,
      rds: `arn:aws:rds:us-east-1:${ACCOUNT}:db:lakerunner-common-database-abc123`,
    };
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return name === 'sandbox' || name === 'testing' ? [] : files(path);
        return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
      });
    const calls = new Set<string>();
    for (const file of [...files('lib'), ...files('app')]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/import\s*{([^}]*)}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g)) {
        const prefix = PREFIX[match[2]!];
        if (!prefix) continue;
        for (const name of match[1]!.matchAll(/\b(\w+)Command\b/g)) calls.add(`${prefix}:${IAM_NAME[name[1]!] ?? name[1]!}`);
      }
    }
    expect([...calls]).toEqual(expect.arrayContaining(['cloudformation:CreateChangeSet', 'cloudformation:ListStacks', 's3:PutObject', 'ec2:DescribeVpcs', 'rds:DescribeDBInstances']));

    // Then the role allows each of them on the resource the console uses it for
    const refused = [...calls].filter((action) => {
      const service = action.split(':')[0]!;
      // A teardown empties the current line's raw bucket (LineTeardown.emptyBuckets); staging is the console's own bucket.
      const resource =
        action === 's3:PutObject' || action === 's3:GetObject'
          ? `${RESOURCE.s3}/templates/x.json`
          : action === 's3:DeleteObject'
            ? `arn:aws:s3:::cardinal-otel-raw-${ACCOUNT}-us-east-1/otel-raw/x`
            : action === 's3:ListBucket' && !allows(action, RESOURCE.s3!)
              ? `arn:aws:s3:::cardinal-otel-raw-${ACCOUNT}-us-east-1`
              : RESOURCE[service]!;
      return !allows(action, resource) && !allows(action, '*');
    });
    expect(refused).toEqual([]);
  });
});

describe('packStatements', () => {
  const big: PolicyStatement = {
    Sid: 'Big',
    Effect: 'Allow',
    Action: Array.from({ length: 600 }, (_, i) => `ec2:ActionNumber${String(i).padStart(4, '0')}`),
    Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:*' },
  };

  it('splits a statement too large for one policy by action, keeping every action once, each document under the limit', () => {
    const documents = packStatements([big]);
    expect(documents.length).toBeGreaterThan(1);
    for (const statements of documents) expect(policyDocumentSize({ Version: '2012-10-17', Statement: statements })).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    const actions = statementsOf(documents.map((d) => ({ Statement: d }))).flatMap((s) => s.Action);
    expect(actions).toEqual(big.Action);
    const sids = documents.flat().map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it('puts small statements together in one document', () => {
    const small = (sid: string): PolicyStatement => ({ Sid: sid, Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' });
    expect(packStatements([small('A'), small('B'), small('C')])).toEqual([[small('A'), small('B'), small('C')]]);
  });

  it('counts characters the way IAM does: whitespace excluded, substitutions at their longest', () => {
    const spaced = { Version: '2012-10-17', Statement: [{ Sid: 'A', Resource: { 'Fn::Sub': '${AWS::AccountId}' } }] };
    expect(policyDocumentSize(spaced)).toBe(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A', Resource: '123456789012' }] }).length);
  });
});

describe('trustedPrincipalFor', () => {
  it.each([
    ['an assumed-role session becomes its role', `arn:aws:sts::${ACCOUNT}:assumed-role/LakerunnerConsole/i-0abc`, `arn:aws:iam::${ACCOUNT}:role/LakerunnerConsole`],
    ['in other partitions too', `arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/Console/session`, `arn:aws-us-gov:iam::${ACCOUNT}:role/Console`],
    ['an IAM user stays as it is', `arn:aws:iam::${ACCOUNT}:user/ci`, `arn:aws:iam::${ACCOUNT}:user/ci`],
  ])('%s', (_name, caller, principal) => {
    expect(trustedPrincipalFor(caller)).toBe(principal);
  });
});

describe('the deploy role on the sandbox', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await sandboxFixture();
  });
  afterAll(() => f.sandbox.close());

  const create = (stackName: string, body: Template, externalId: string, capabilities?: ('CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM')[]) =>
    f.cfn.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: toJson(body),
        Capabilities: capabilities,
        Parameters: [
          { ParameterKey: 'TrustedPrincipalArn', ParameterValue: `arn:aws:iam::${f.sandbox.accountId}:user/sandbox` },
          { ParameterKey: 'ExternalId', ParameterValue: externalId },
        ],
      }),
    );

  it('deploys with CAPABILITY_IAM, outputs the role ARN and masks the ExternalId', async () => {
    await create('lakerunner-deploy-role', template, 'a-long-external-id-42', ['CAPABILITY_IAM']);
    const stack = await waitForStack(f.cfn, 'lakerunner-deploy-role');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.Outputs?.find((o) => o.OutputKey === 'RoleArn')?.OutputValue).toMatch(new RegExp(`^arn:aws:iam::${f.sandbox.accountId}:role/`));
    const described = (await f.cfn.send(new DescribeStacksCommand({ StackName: 'lakerunner-deploy-role' }))).Stacks![0]!;
    expect(described.Parameters?.find((p) => p.ParameterKey === 'ExternalId')?.ParameterValue).toBe('****');
  });

  it('lets the trusted principal assume the role with the ExternalId, and only with it', async () => {
    const stack = await waitForStack(f.cfn, 'lakerunner-deploy-role');
    const roleArn = stack.Outputs!.find((o) => o.OutputKey === 'RoleArn')!.OutputValue!;
    const assume = (externalId: string | undefined) => f.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'console', ExternalId: externalId }));
    await expect(assume('a-long-external-id-42')).resolves.toMatchObject({ AssumedRoleUser: { Arn: expect.stringContaining(':assumed-role/') } });
    await expect(assume('another-external-id')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(assume(undefined)).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('is refused without CAPABILITY_IAM, and with an ExternalId IAM would not accept', async () => {
    await expect(create('deploy-role-no-caps', template, 'a-long-external-id-42')).rejects.toThrow(/CAPABILITY_IAM/);
    await expect(create('deploy-role-short-id', template, 'x', ['CAPABILITY_IAM'])).rejects.toThrow(/ExternalId/);
    await expect(create('deploy-role-bad-id', template, 'has spaces in it', ['CAPABILITY_IAM'])).rejects.toThrow(/ExternalId/);
  });
});
