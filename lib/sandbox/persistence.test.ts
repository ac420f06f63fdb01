import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand, DescribeStackResourceCommand, DescribeStacksCommand, ListExportsCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
