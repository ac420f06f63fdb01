import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand, DescribeStackResourceCommand, DescribeStacksCommand, ListExportsCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRouteTablesCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_ACCOUNT_CREDENTIALS } from './index';
import { allEvents, eventLines, sandboxFixture, ssmParameter, template, waitForStack } from './testing';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('state file persistence', () => {
  it('stacks, outputs, exports, secrets, S3 objects and STS sessions survive a restart', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await sandboxFixture({ stateFile });
    const body = template(
      { Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { PasswordLength: 16 } } } },
      { Outputs: { SecretArn: { Value: { Ref: 'Secret' }, Export: { Name: 'kept-SecretArn' } } } },
    );
    await first.cfn.send(new CreateStackCommand({ StackName: 'kept', TemplateBody: body }));
    const before = await waitForStack(first.cfn, 'kept');
    const arn = before.Outputs![0]!.OutputValue!;
    const secret = (await first.secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
    await first.s3.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
    await first.s3.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 't.yaml', Body: 'bytes' }));
    const { Credentials } = await first.sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/LakerunnerDeployRole', RoleSessionName: 'kept', ExternalId: 'lakerunner-sandbox' }),
    );
    await first.sandbox.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ version: 2 });

    const second = await sandboxFixture({ stateFile });
    try {
      const after = await waitForStack(second.cfn, 'kept');
      expect(after).toMatchObject({ StackId: before.StackId, StackStatus: 'CREATE_COMPLETE', Outputs: before.Outputs });
      expect((await second.cfn.send(new ListExportsCommand({}))).Exports).toEqual([{ ExportingStackId: before.StackId, Name: 'kept-SecretArn', Value: arn }]);
      expect((await second.secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe(secret);
      expect(await (await second.s3.send(new GetObjectCommand({ Bucket: 'kept-bucket', Key: 't.yaml' }))).Body!.transformToString()).toBe('bytes');
      const assumed = new STSClient({
        ...second.config,
        credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! },
      });
      expect((await assumed.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::111111111111:assumed-role/LakerunnerDeployRole/kept');
      expect(eventLines(await allEvents(second.cfn, 'kept')).slice(-1)).toEqual(['kept CREATE_COMPLETE']);
    } finally {
      await second.sandbox.close();
    }
  });

  it('a deployment in flight when the sandbox stops carries on after it starts again', async () => {
    const stateFile = join(dir, 'inflight.json');
    const first = await sandboxFixture({ stateFile, timeScale: 1 });
    await first.cfn.send(new CreateStackCommand({ StackName: 'interrupted', TemplateBody: template({ Fast: ssmParameter('f'), Slow: { Type: 'AWS::SQS::Queue' } }) }));
    const midway = await waitForStack(first.cfn, 'interrupted', () => true);
    expect(midway.StackStatus).toBe('CREATE_IN_PROGRESS');
    await first.sandbox.close();

    const second = await sandboxFixture({ stateFile, timeScale: 0.001 });
    try {
      expect((await waitForStack(second.cfn, 'interrupted')).StackStatus).toBe('CREATE_COMPLETE');
      const lines = eventLines(await allEvents(second.cfn, 'interrupted'));
      expect(lines.filter((l) => l === 'Slow CREATE_IN_PROGRESS')).toHaveLength(1);
      expect(lines.filter((l) => l === 'Slow CREATE_COMPLETE')).toHaveLength(1);
    } finally {
      await second.sandbox.close();
    }
  });

  const childTemplate = (key: string, resources: Record<string, unknown>) => async (fixture: Awaited<ReturnType<typeof sandboxFixture>>) => {
    await fixture.s3.send(new CreateBucketCommand({ Bucket: 'nested-kept' })).catch(() => undefined);
    await fixture.s3.send(new PutObjectCommand({ Bucket: 'nested-kept', Key: key, Body: template(resources, { Parameters: { Value: { Type: 'String', Default: 'x' } } }) }));
    return `https://nested-kept.s3.amazonaws.com/${key}`;
  };
  const childId = async (fixture: Awaited<ReturnType<typeof sandboxFixture>>, parent: string, logicalId: string) =>
    (await fixture.cfn.send(new DescribeStackResourceCommand({ StackName: parent, LogicalResourceId: logicalId }))).StackResourceDetail!.PhysicalResourceId!;

  it('a parent and its nested stack in flight when the sandbox stops both carry on after it starts again', async () => {
    const stateFile = join(dir, 'nested-inflight.json');
    const first = await sandboxFixture({ stateFile, timeScale: 1 });
    const url = await childTemplate('slow.json', { Slow: { Type: 'AWS::SQS::Queue' } })(first);
    await first.cfn.send(new CreateStackCommand({ StackName: 'nested-interrupted', TemplateBody: template({ Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: url } } }) }));
    const child = await childId(first, 'nested-interrupted', 'Child');
    expect((await waitForStack(first.cfn, child, () => true)).StackStatus).toBe('CREATE_IN_PROGRESS');
    await first.sandbox.close();

    const second = await sandboxFixture({ stateFile, timeScale: 0.001 });
    try {
      expect((await waitForStack(second.cfn, 'nested-interrupted')).StackStatus).toBe('CREATE_COMPLETE');
      expect((await waitForStack(second.cfn, child)).StackStatus).toBe('CREATE_COMPLETE');
      const parentLines = eventLines(await allEvents(second.cfn, 'nested-interrupted'));
      expect(parentLines.filter((l) => l.startsWith('Child CREATE_COMPLETE'))).toHaveLength(1);
      const childLines = eventLines(await allEvents(second.cfn, child));
      expect(childLines.filter((l) => l === 'Slow CREATE_IN_PROGRESS')).toHaveLength(1);
      expect(childLines.filter((l) => l === 'Slow CREATE_COMPLETE')).toHaveLength(1);
    } finally {
      await second.sandbox.close();
    }
  });

  it('a nested stack parked before its cleanup stays parked across a restart and cleans up when its parent finishes', async () => {
    const stateFile = join(dir, 'nested-parked.json');
    const first = await sandboxFixture({ stateFile, timeScale: 0.01 });
    const v1 = await childTemplate('v1.json', { Keep: ssmParameter({ Ref: 'Value' }), Gone: ssmParameter('g') })(first);
    const v2 = await childTemplate('v2.json', { Keep: ssmParameter({ Ref: 'Value' }) })(first);
    const body = (url: string, timeout: number) =>
      template({ Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: url } }, After: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: timeout }, DependsOn: 'Child' } });
    await first.cfn.send(new CreateStackCommand({ StackName: 'nested-parked', TemplateBody: body(v1, 20) }));
    await waitForStack(first.cfn, 'nested-parked');
    const child = await childId(first, 'nested-parked', 'Child');
    await first.cfn.send(new UpdateStackCommand({ StackName: 'nested-parked', TemplateBody: body(v2, 30) }));
    await waitForStack(first.cfn, child, (s) => s === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    // The parent's queue (60 s) is updating: keep it so until the restart.
    first.sandbox.setTimeScale(1);
    expect((await first.cfn.send(new DescribeStacksCommand({ StackName: 'nested-parked' }))).Stacks![0]!.StackStatus).toBe('UPDATE_IN_PROGRESS');
    await first.sandbox.close();

    const second = await sandboxFixture({ stateFile, timeScale: 0.001 });
    try {
      expect((await waitForStack(second.cfn, 'nested-parked')).StackStatus).toBe('UPDATE_COMPLETE');
      expect((await waitForStack(second.cfn, child)).StackStatus).toBe('UPDATE_COMPLETE');
      const name = (await second.cfn.send(new DescribeStacksCommand({ StackName: child }))).Stacks![0]!.StackName!;
      // Its cleanup (deleting what the new template dropped) ran once, after the restart.
      expect(eventLines(await allEvents(second.cfn, child)).slice(-4)).toEqual([
        `${name} UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`,
        'Gone DELETE_IN_PROGRESS',
        'Gone DELETE_COMPLETE',
        `${name} UPDATE_COMPLETE`,
      ]);
    } finally {
      await second.sandbox.close();
    }
  });
});

describe('state files written before accounts existed', () => {
  it('load as the default account: its stacks, exports, secrets, buckets, sessions, stack roles and names, with routes for the seeded network', async () => {
    // given a version-1 file (written by the single-account sandbox), its session made current again
    const old = JSON.parse(readFileSync(new URL('./fixtures/state-v1.json', import.meta.url), 'utf8')) as {
      version: number;
      sessions: Record<string, { expiresAt: number; accessKeyId: string; secretAccessKey: string; sessionToken: string }>;
      regions: Record<string, { stacks: { stackName: string; stackId: string }[]; vpcs: { vpcId: string }[] }>;
    };
    expect(old.version).toBe(1);
    for (const session of Object.values(old.sessions)) session.expiresAt = Date.now() + 3600_000;
    const stateFile = join(dir, 'v1.json');
    writeFileSync(stateFile, JSON.stringify(old));
    const legacyStackId = old.regions['us-east-1']!.stacks[0]!.stackId;

    const f = await sandboxFixture({ stateFile });
    try {
      const stack = await waitForStack(f.cfn, 'legacy');
      expect(stack).toMatchObject({ StackId: legacyStackId, StackStatus: 'CREATE_COMPLETE' });
      expect((await f.cfn.send(new ListExportsCommand({}))).Exports!.map((e) => e.Name)).toEqual(['legacy-SecretArn']);
      expect((await f.secrets.send(new GetSecretValueCommand({ SecretId: 'legacy-secret' }))).SecretString).toBe('kept-value');
      expect(await (await f.s3.send(new GetObjectCommand({ Bucket: 'legacy-bucket', Key: 'a.txt' }))).Body!.transformToString()).toBe('legacy bytes');

      const [session] = Object.values(old.sessions);
      const asSession = new STSClient({ ...f.config, credentials: { accessKeyId: session!.accessKeyId, secretAccessKey: session!.secretAccessKey, sessionToken: session!.sessionToken } });
      expect(await asSession.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/LakerunnerDeployRole/legacy' });
      const roleArn = stack.Outputs!.find((o) => o.OutputKey === 'RoleArn')!.OutputValue!;
      expect((await f.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'after-upgrade', ExternalId: 'legacy-ext' }))).AssumedRoleUser!.Arn).toBe(
        'arn:aws:sts::111111111111:assumed-role/legacy-role/after-upgrade',
      );
      const b = f.as(SECOND_ACCOUNT_CREDENTIALS);
      await expect(b.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'from-b', ExternalId: 'legacy-ext' }))).rejects.toMatchObject({ name: 'AccessDenied' });
      await expect(b.s3.send(new GetObjectCommand({ Bucket: 'legacy-bucket', Key: 'a.txt' }))).rejects.toMatchObject({ name: 'AccessDenied' });
      expect((await b.cfn.send(new DescribeStacksCommand({}))).Stacks).toEqual([]);

      // the cluster the old stack made is described, and the role's name is still taken in the account
      expect((await f.ecs.send(new DescribeClustersCommand({ clusters: ['legacy-cluster'] }))).clusters![0]).toMatchObject({ status: 'ACTIVE', capacityProviders: ['FARGATE'] });
      await f.cfn.send(
        new CreateStackCommand({
          StackName: 'same-role-name',
          Capabilities: ['CAPABILITY_NAMED_IAM'],
          TemplateBody: template({ R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'legacy-role', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } } } }),
        }),
      );
      expect((await waitForStack(f.cfn, 'same-role-name')).StackStatus).toBe('ROLLBACK_COMPLETE');

      // the seeded network keeps its ids (a fresh sandbox seeds the same ones) and gains its route tables
      const vpcIds = old.regions['us-east-1']!.vpcs.map((v) => v.vpcId);
      expect((await f.ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId)).toEqual(vpcIds);
      const fresh = await sandboxFixture();
      try {
        expect((await fresh.ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId)).toEqual(vpcIds);
      } finally {
        await fresh.sandbox.close();
      }
      const nat = await f.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcIds[1]!] }, { Name: 'route.nat-gateway-id', Values: ['nat-*'] }] }));
      expect(nat.RouteTables!.flatMap((t) => t.Associations!.map((a) => a.SubnetId))).toHaveLength(2);
    } finally {
      await f.sandbox.close();
    }
    // and the file is rewritten in the current shape
    const rewritten = JSON.parse(readFileSync(stateFile, 'utf8')) as { version: number; accounts: Record<string, { regions: Record<string, unknown> }>; regions?: unknown };
    expect(rewritten.version).toBe(2);
    expect(Object.keys(rewritten.accounts['111111111111']!.regions)).toEqual(['us-east-1']);
    expect(rewritten.regions).toBeUndefined();
  });

  it('refuses a state file of a version it does not know, rather than guessing', async () => {
    const stateFile = join(dir, 'future.json');
    writeFileSync(stateFile, JSON.stringify({ version: 3 }));
    await expect(sandboxFixture({ stateFile })).rejects.toThrow(`${stateFile}: unsupported sandbox state version 3`);
  });
});

describe('what is seeded is state too', () => {
  it('accounts, roles, networks, clusters and repositories added at run time survive a restart', async () => {
    const stateFile = join(dir, 'seeded.json');
    const user = { accountId: '555555555555', accessKeyId: 'AKIAFIFTHACCOUNT0001', secretAccessKey: 'fifth-account-secret' };
    const roleArn = 'arn:aws:iam::555555555555:role/FromDefault';
    const first = await sandboxFixture({ stateFile });
    first.sandbox.seed.account(user);
    first.sandbox.seed.role({ arn: roleArn, trustPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' }] } });
    const { vpcId } = first.sandbox.seed.network({ accountId: user.accountId, cidrBlock: '10.80.0.0/16', subnets: [{ cidrBlock: '10.80.0.0/24', availabilityZone: 'us-east-1a' }] });
    first.sandbox.seed.cluster({ accountId: user.accountId, clusterName: 'kept', capacityProviders: ['FARGATE'] });
    first.sandbox.seed.repository({ accountId: user.accountId, repositoryName: 'kept/app', images: [{ tags: ['v1'] }] });
    await first.sandbox.close();

    const second = await sandboxFixture({ stateFile });
    try {
      const fifth = second.as(user);
      expect((await fifth.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(user.accountId);
      expect((await second.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'kept' }))).AssumedRoleUser!.Arn).toBe('arn:aws:sts::555555555555:assumed-role/FromDefault/kept');
      expect((await fifth.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables).toHaveLength(2);
      expect((await fifth.ecs.send(new DescribeClustersCommand({ clusters: ['kept'] }))).clusters![0]!.capacityProviders).toEqual(['FARGATE']);
      expect((await fifth.ecr.send(new DescribeImagesCommand({ repositoryName: 'kept/app', imageIds: [{ imageTag: 'v1' }] }))).imageDetails).toHaveLength(1);
    } finally {
      await second.sandbox.close();
    }
  });
});
