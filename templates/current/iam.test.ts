// IAM per tier, as the fact sheet gives it (§4): each role's trust, managed policies and inline
// statements (Sid → actions, exactly), the resources they are scoped to, and which role each
// tier's tasks run with. Nothing beyond: no wildcard actions, Resource "*" only where AWS offers
// no resource-level permission and then under a condition.
import { describe, expect, it } from 'vitest';
import type { Template } from '@/lib/cfn/template';
import { asList, identityStatements, resourcesOfType } from '../testing/policies';
import type { CurrentStackId } from './ids';
import { CURRENT_STACKS } from './index';
import { propsOf, templateOf } from './testing/rendered';

type Doc = { Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Principal?: unknown }[] };
type RoleProps = { AssumeRolePolicyDocument: Doc; Policies: { PolicyName: string; PolicyDocument: Doc }[]; ManagedPolicyArns?: unknown; RoleName?: unknown };

const role = (stack: CurrentStackId, id: string) => propsOf(templateOf(stack), id) as RoleProps;
const sids = (r: RoleProps) =>
  Object.fromEntries(r.Policies.flatMap((p) => p.PolicyDocument.Statement.map((s) => [s.Sid, [...asList(s.Action)].map(String).sort()])));
const statementOf = (r: RoleProps, sid: string) => r.Policies.flatMap((p) => p.PolicyDocument.Statement).find((s) => s.Sid === sid);

const READ_SECRETS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const LOG_STREAMS = ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'];
const SECRETS_ARN = { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:cardinal-*' };
const LOGS_ARN = { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/cardinal/*' };
const COOKED = [{ 'Fn::GetAtt': ['CookedBucket', 'Arn'] }, { 'Fn::Sub': '${CookedBucket.Arn}/*' }];
const EXEC_POLICY = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' };
const ECS_TASKS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

/** Role → inline policy name → Sid → actions (fact sheet §4.1 and §4.2). */
const ROLES: [CurrentStackId, string, string, Record<string, string[]>][] = [
  ['infra-base', 'ExecutionRole', 'cardinal-task-exec-extras', { ResolveCardinalSecrets: READ_SECRETS }],
  ['infra-base', 'MigrationRole', 'cardinal-svc-migration', { ReadSecrets: READ_SECRETS, CardinalLogStreams: LOG_STREAMS }],
  [
    'infra-base',
    'QueryRole',
    'cardinal-svc-query',
    {
      ReadSecrets: READ_SECRETS,
      CookedBucketRead: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'],
      CardinalLogStreams: LOG_STREAMS,
      DescribeWorkerTasks: ['ecs:DescribeServices', 'ecs:DescribeTasks', 'ecs:ListTasks'],
    },
  ],
  [
    'infra-base',
    'ProcessRole',
    'cardinal-svc-process',
    {
      ReadSecrets: READ_SECRETS,
      CookedBucketReadWrite: ['s3:DeleteObject', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject'],
      AssumeSatelliteAccess: ['sts:AssumeRole'],
      InvokeBedrockFoundationModels: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      CardinalLogStreams: LOG_STREAMS,
    },
  ],
  ['infra-base', 'ControlRole', 'cardinal-svc-control', { ReadSecrets: READ_SECRETS, SweeperS3Cleanup: ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket'], CardinalLogStreams: LOG_STREAMS }],
  ['infra-base', 'MaestroRole', 'cardinal-svc-maestro', { ReadSecrets: READ_SECRETS, CardinalLogStreams: LOG_STREAMS }],
  [
    'satellite-infra-base',
    'LakerunnerAccessRole',
    'cardinal-satellite-access',
    {
      RawBucketReadDelete: ['s3:DeleteObject', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'],
      RawQueueConsume: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
    },
  ],
  ['satellite-services', 'CollectorExecutionRole', 'cardinal-collector-exec-extras', { CollectorLogStreams: ['logs:CreateLogStream', 'logs:PutLogEvents'] }],
  ['satellite-services', 'CollectorTaskRole', 'cardinal-collector-write', { RawBucketWrite: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject'] }],
  [
    'cwmetrics',
    'FirehoseDeliveryRole',
    'cardinal-cwmetrics-delivery',
    {
      RawBucketList: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      CwmetricsPrefixWrite: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      FirehoseErrorLogging: ['logs:PutLogEvents'],
    },
  ],
  ['cwmetrics', 'MetricStreamRole', 'cardinal-cwmetrics-put', { FirehosePut: ['firehose:PutRecord', 'firehose:PutRecordBatch'] }],
];

const TEMPLATES: [CurrentStackId, Template][] = CURRENT_STACKS.map((s) => [s.id, templateOf(s.id)]);

describe('IAM per tier', () => {
  it('has exactly the roles of the fact sheet', () => {
    const all = TEMPLATES.flatMap(([id, t]) => resourcesOfType(t, 'AWS::IAM::Role').map(([logical]) => `${id}.${logical}`));
    expect(all.sort()).toEqual(ROLES.map(([stack, id]) => `${stack}.${id}`).sort());
  });

  it.each(ROLES)('%s %s has one inline policy %s with exactly these statements', (stack, id, policyName, statements) => {
    const r = role(stack, id);
    expect(r.Policies.map((p) => p.PolicyName)).toEqual([policyName]);
    expect(sids(r)).toEqual(Object.fromEntries(Object.entries(statements).map(([sid, actions]) => [sid, [...actions].sort()])));
    for (const s of r.Policies[0]?.PolicyDocument.Statement ?? []) expect(s.Effect).toBe('Allow');
  });

  it('scopes the Lakerunner roles to the cardinal-* secrets, the /cardinal/* log groups and the cooked bucket', () => {
    for (const id of ['MigrationRole', 'QueryRole', 'ProcessRole', 'ControlRole', 'MaestroRole']) {
      const r = role('infra-base', id);
      expect(statementOf(r, 'ReadSecrets')?.Resource, id).toEqual(SECRETS_ARN);
      expect(statementOf(r, 'CardinalLogStreams')?.Resource, id).toEqual(LOGS_ARN);
    }
    expect(statementOf(role('infra-base', 'ExecutionRole'), 'ResolveCardinalSecrets')?.Resource).toEqual(SECRETS_ARN);
    expect(statementOf(role('infra-base', 'QueryRole'), 'CookedBucketRead')?.Resource).toEqual(COOKED);
    expect(statementOf(role('infra-base', 'ProcessRole'), 'CookedBucketReadWrite')?.Resource).toEqual(COOKED);
    expect(statementOf(role('infra-base', 'ControlRole'), 'SweeperS3Cleanup')?.Resource).toEqual(COOKED);
  });

  it('lets query-api describe tasks only in its own cluster, and the process tier assume only satellite access roles', () => {
    expect(statementOf(role('infra-base', 'QueryRole'), 'DescribeWorkerTasks')).toMatchObject({ Resource: '*', Condition: { ArnEquals: { 'ecs:cluster': { Ref: 'ClusterArn' } } } });
    const process = role('infra-base', 'ProcessRole');
    expect(statementOf(process, 'AssumeSatelliteAccess')?.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/cardinal-satellite-access*' });
    expect(statementOf(process, 'InvokeBedrockFoundationModels')?.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:bedrock:*::foundation-model/*' });
    expect(JSON.stringify(process)).not.toContain('sqs:');
  });

  it('trusts ECS tasks for every task role, with the execution policy in the stack\'s partition plus the optional extras', () => {
    for (const [stack, id] of ROLES.filter(([s]) => s === 'infra-base' || s === 'satellite-services')) {
      expect(role(stack, id).AssumeRolePolicyDocument, id).toEqual(ECS_TASKS);
      expect(role(stack, id).RoleName, id).toBeUndefined();
    }
    for (const [stack, id] of [['infra-base', 'ExecutionRole'], ['satellite-services', 'CollectorExecutionRole']] as const) {
      expect(role(stack, id).ManagedPolicyArns).toEqual({
        'Fn::If': [
          'HasExecutionRoleExtraPolicies',
          { 'Fn::Split': [',', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy,${ExecutionRoleExtraPolicyArns}' }] },
          [EXEC_POLICY],
        ],
      });
    }
  });

  it('names only the satellite access role, trusting the Lakerunner principal with the external id when one is set', () => {
    const access = role('satellite-infra-base', 'LakerunnerAccessRole');
    expect(access.RoleName).toEqual({ 'Fn::If': ['HasNameSuffix', { 'Fn::Sub': 'cardinal-satellite-access-${NameSuffix}' }, 'cardinal-satellite-access'] });
    expect(access.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'LakerunnerPrincipal' } },
        Action: 'sts:AssumeRole',
        Condition: { 'Fn::If': ['HasExternalId', { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } }, { Ref: 'AWS::NoValue' }] },
      },
    ]);
    expect(statementOf(access, 'RawBucketReadDelete')?.Resource).toEqual([{ 'Fn::GetAtt': ['RawIngestBucket', 'Arn'] }, { 'Fn::Sub': '${RawIngestBucket.Arn}/*' }]);
    expect(statementOf(access, 'RawQueueConsume')?.Resource).toEqual({ 'Fn::GetAtt': ['RawIngestQueue', 'Arn'] });
  });

  it('lets Firehose write only the cwmetrics prefixes, and the metric stream only put to its delivery stream', () => {
    const delivery = role('cwmetrics', 'FirehoseDeliveryRole');
    expect(delivery.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 'firehose.amazonaws.com' },
      Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } },
    });
    expect(statementOf(delivery, 'CwmetricsPrefixWrite')?.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${RawBucketName}/cwmetrics-raw/*' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${RawBucketName}/cwmetrics-errors/*' },
    ]);
    const stream = role('cwmetrics', 'MetricStreamRole');
    expect(stream.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 'streams.metrics.cloudwatch.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(statementOf(stream, 'FirehosePut')?.Resource).toEqual({ 'Fn::GetAtt': ['CwmetricsDeliveryStream', 'Arn'] });
  });

  it.each(TEMPLATES)('%s allows only named actions, and Resource "*" only for ECS listing under a cluster condition', (_id, template) => {
    const problems = identityStatements(template).flatMap(({ path, statement }) => {
      const actions = asList(statement.Action).map(String);
      const wildcard = actions.filter((a) => !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(a)).map((a) => `${path}: ${a}`);
      const star = asList(statement.Resource).includes('*') && !(statement.Sid === 'DescribeWorkerTasks' && statement.Condition) ? [`${path}: Resource *`] : [];
      return [...wildcard, ...star];
    });
    expect(problems).toEqual([]);
  });
});

describe('which role each tier runs with', () => {
  const root = templateOf('services');
  it.each([
    ['Migration', 'MigrationRoleArn', 'MigrationSecurityGroupId'],
    ['Query', 'QueryRoleArn', 'QuerySecurityGroupId'],
    ['Process', 'ProcessRoleArn', 'ProcessSecurityGroupId'],
    ['Control', 'ControlRoleArn', 'ControlSecurityGroupId'],
    ['Maestro', 'MaestroRoleArn', 'MaestroSecurityGroupId'],
  ])('the %s child runs with the shared execution role, its own task role and security group', (child, roleParam, sgParam) => {
    expect(propsOf(root, child).Parameters).toMatchObject({
      ExecutionRoleArn: { Ref: 'ExecutionRoleArn' },
      TaskRoleArn: { Ref: roleParam },
      TaskSecurityGroupId: { Ref: sgParam },
    });
  });
});
