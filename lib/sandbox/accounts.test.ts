import { CreateStackCommand, DescribeStacksCommand, ListExportsCommand } from '@aws-sdk/client-cloudformation';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_ACCOUNT_ID, startSandbox } from './index';
import { allEvents, eventLines, ssmParameter, template, twoAccountSandbox, waitForStack, type Clients, type ControlApi, type Fixture } from './testing';

const TOKEN = 'accounts-test-token';
const A = '111111111111';
const B = SECOND_ACCOUNT_ID;
const C = { accountId: '333333333333', accessKeyId: 'AKIATHIRDACCOUNT0001', secretAccessKey: 'third-account-secret-key', userName: 'deployer' };

let f: Fixture;
let b: Clients;
let control: ControlApi;
beforeAll(async () => {
  ({ f, b, control } = await twoAccountSandbox(TOKEN, { accounts: [C] }));
});
afterAll(() => f.sandbox.close());

/** A stack reporting its account, an export, and a named role (IAM names are per account). */
const accountStack = (exportName: string, roleName: string) =>
  template(
    {
      Param: ssmParameter({ 'Fn::Sub': '${AWS::AccountId}' }),
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: roleName,
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        },
      },
    },
    {
      Outputs: {
        Account: { Value: { Ref: 'AWS::AccountId' }, Export: { Name: exportName } },
        RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
      },
    },
  );

describe('several accounts', () => {
  it('GetCallerIdentity answers each identity: the default user, the second built-in account, one from options, one added over the control API', async () => {
    expect(await f.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: A, Arn: `arn:aws:iam::${A}:user/sandbox`, UserId: 'AIDASANDBOXUSER000001' });
    const second = await b.sts.send(new GetCallerIdentityCommand({}));
    expect(second).toMatchObject({ Account: B, Arn: `arn:aws:iam::${B}:user/sandbox`, UserId: expect.stringMatching(/^AIDA[A-Z0-9]{17}$/) });
    expect(second.UserId).not.toBe('AIDASANDBOXUSER000001');
    expect(await f.as(C).sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: C.accountId, Arn: `arn:aws:iam::${C.accountId}:user/deployer` });

    const added = { accountId: '444444444444', accessKeyId: 'AKIAFOURTHACCOUNT001', secretAccessKey: 'fourth-account-secret' };
    await expect(f.as(added).sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    expect(await control('POST', 'accounts', added)).toEqual({ status: 204, body: undefined });
    // the same account again is a no-op; its key with another secret is refused
    expect((await control('POST', 'accounts', added)).status).toBe(204);
    expect(await control('POST', 'accounts', { ...added, secretAccessKey: 'another-secret-value' })).toEqual({ status: 400, body: { error: 'access key AKIAFOURTHACCOUNT001 already belongs to another user' } });
    expect(await control('POST', 'accounts', { accountId: '12', accessKeyId: 'AKIAFOURTHACCOUNT002', secretAccessKey: 'fourth-account-secret' })).toEqual({
      status: 400,
      body: { error: 'accountId must be 12 digits' },
    });
    expect(await f.as(added).sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '444444444444', Arn: 'arn:aws:iam::444444444444:user/sandbox' });

    const listed = await control('GET', 'accounts');
    expect(listed.body).toEqual([
      { accountId: A, userArn: `arn:aws:iam::${A}:user/sandbox`, accessKeyId: 'AKIASANDBOX000000001' },
      { accountId: B, userArn: `arn:aws:iam::${B}:user/sandbox`, accessKeyId: 'AKIASANDBOX000000002' },
      { accountId: C.accountId, userArn: `arn:aws:iam::${C.accountId}:user/deployer`, accessKeyId: C.accessKeyId },
      { accountId: '444444444444', userArn: 'arn:aws:iam::444444444444:user/sandbox', accessKeyId: 'AKIAFOURTHACCOUNT001' },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain('secret');
    expect(f.sandbox.accounts()).toEqual(listed.body);
  });

  it.each([
    ['an account id that is not 12 digits', { accounts: [{ ...C, accountId: '33' }] }, 'account 33: accountId must be 12 digits'],
    ['a key given twice', { accounts: [C, { ...C, accountId: '444444444444' }] }, `access key ${C.accessKeyId} is given twice`],
    ['a built-in key', { accounts: [{ ...C, accessKeyId: 'AKIASANDBOX000000002' }] }, 'access key AKIASANDBOX000000002 is given twice'],
    ['a role that is no role ARN', { roles: [{ arn: 'arn:aws:iam::222222222222:user/x', externalId: 'e' }] }, 'arn:aws:iam::222222222222:user/x is not a role ARN'],
    ['a role with neither ExternalId nor trust policy', { roles: [{ arn: 'arn:aws:iam::222222222222:role/x' } as never] }, 'role arn:aws:iam::222222222222:role/x needs an externalId or a trustPolicy'],
  ])('startSandbox refuses %s', async (_, options, message) => {
    await expect(startSandbox(options)).rejects.toThrow(message);
  });

  it('each account has its own stacks, exports, IAM names, secrets and network; ARNs carry the account', async () => {
    // given the same stack, export and role names in both accounts
    for (const clients of [f, b]) {
      await clients.cfn.send(new CreateStackCommand({ StackName: 'same-name', TemplateBody: accountStack('shared-export', 'SameRoleName'), Capabilities: ['CAPABILITY_NAMED_IAM'] }));
    }
    const inA = await waitForStack(f.cfn, 'same-name');
    const inB = await waitForStack(b.cfn, 'same-name');

    // then each completes in its own account, and says so
    expect(inA).toMatchObject({ StackStatus: 'CREATE_COMPLETE', StackId: expect.stringMatching(`^arn:aws:cloudformation:us-east-1:${A}:stack/same-name/`) });
    expect(inB).toMatchObject({ StackStatus: 'CREATE_COMPLETE', StackId: expect.stringMatching(`^arn:aws:cloudformation:us-east-1:${B}:stack/same-name/`) });
    expect(inA.Outputs).toEqual(expect.arrayContaining([expect.objectContaining({ OutputKey: 'RoleArn', OutputValue: `arn:aws:iam::${A}:role/SameRoleName` })]));
    expect(inB.Outputs).toEqual(expect.arrayContaining([expect.objectContaining({ OutputKey: 'RoleArn', OutputValue: `arn:aws:iam::${B}:role/SameRoleName` })]));
    expect((await f.cfn.send(new ListExportsCommand({}))).Exports).toEqual(expect.arrayContaining([{ ExportingStackId: inA.StackId, Name: 'shared-export', Value: A }]));
    expect((await b.cfn.send(new ListExportsCommand({}))).Exports).toEqual([{ ExportingStackId: inB.StackId, Name: 'shared-export', Value: B }]);
    // and one account cannot see the other's stack, even by its ARN
    await expect(b.cfn.send(new DescribeStacksCommand({ StackName: inA.StackId }))).rejects.toMatchObject({ name: 'ValidationError', message: `Stack with id ${inA.StackId} does not exist` });
    expect((await b.cfn.send(new DescribeStacksCommand({}))).Stacks!.map((s) => s.StackName)).toEqual(['same-name']);

    // secrets: the same name in both, each with its account in the ARN and invisible to the other
    const secretA = await f.secrets.send(new CreateSecretCommand({ Name: 'per-account', SecretString: 'in A' }));
    const secretB = await b.secrets.send(new CreateSecretCommand({ Name: 'per-account', SecretString: 'in B' }));
    expect(secretA.ARN).toMatch(`:${A}:secret:per-account-`);
    expect(secretB.ARN).toMatch(`:${B}:secret:per-account-`);
    expect((await b.secrets.send(new GetSecretValueCommand({ SecretId: 'per-account' }))).SecretString).toBe('in B');
    await expect(b.secrets.send(new GetSecretValueCommand({ SecretId: secretA.ARN }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    // network: the same seeded layout, with the account's own ids and owner
    const vpcsA = (await f.ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    const vpcsB = (await b.ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    expect(vpcsB.map((v) => v.CidrBlock)).toEqual(vpcsA.map((v) => v.CidrBlock));
    expect(vpcsB.map((v) => v.OwnerId)).toEqual([B, B]);
    expect(vpcsA.map((v) => v.OwnerId)).toEqual([A, A]);
    expect(vpcsB.some((v) => vpcsA.some((a) => a.VpcId === v.VpcId))).toBe(false);
  });

  it('S3 bucket names are global: another account cannot take, list, read or write a bucket; a stack in it cannot claim the name', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'owned-by-a' }));
    await f.s3.send(new PutObjectCommand({ Bucket: 'owned-by-a', Key: 'child.json', Body: template({ P: ssmParameter('x') }) }));

    await expect(b.s3.send(new CreateBucketCommand({ Bucket: 'owned-by-a' }))).rejects.toMatchObject({ name: 'BucketAlreadyExists', $metadata: { httpStatusCode: 409 } });
    expect((await b.s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect((await f.s3.send(new ListBucketsCommand({}))).Buckets!.map((x) => x.Name)).toContain('owned-by-a');
    await expect(b.s3.send(new GetObjectCommand({ Bucket: 'owned-by-a', Key: 'child.json' }))).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(b.s3.send(new PutObjectCommand({ Bucket: 'owned-by-a', Key: 'x', Body: 'y' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(b.s3.send(new HeadBucketCommand({ Bucket: 'owned-by-a' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });

    // CloudFormation in B reads templates as B: A's bucket is out of reach (no bucket policies in the sandbox)
    const url = `${f.sandbox.endpoint}/owned-by-a/child.json`;
    await expect(b.cfn.send(new CreateStackCommand({ StackName: 'from-a-bucket', TemplateURL: url }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'TemplateURL must reference a valid S3 object to which you have access.',
    });
    await f.cfn.send(new CreateStackCommand({ StackName: 'from-own-bucket', TemplateURL: url }));
    expect((await waitForStack(f.cfn, 'from-own-bucket')).StackStatus).toBe('CREATE_COMPLETE');

    await b.cfn.send(new CreateStackCommand({ StackName: 'claims-a-name', TemplateBody: template({ Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'owned-by-a' } } }) }));
    const claimed = await waitForStack(b.cfn, 'claims-a-name');
    expect(claimed.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(b.cfn, 'claims-a-name'))).toContain('Bucket CREATE_FAILED owned-by-a already exists');
  });

  it('service quotas are per account: a setting for one account leaves the others alone; one without an account applies to all', async () => {
    const fargate = { ServiceCode: 'fargate', QuotaCode: 'L-3032A538' };
    const quotaA = new ServiceQuotasClient(f.config);
    const quotaB = new ServiceQuotasClient(b.config);
    try {
      expect(await control('POST', 'quotas', { serviceCode: 'fargate', quotaCode: 'L-3032A538', value: 12, accountId: B })).toEqual({ status: 204, body: undefined });
      expect((await quotaB.send(new GetServiceQuotaCommand(fargate))).Quota).toMatchObject({ Value: 12, QuotaArn: `arn:aws:servicequotas:us-east-1:${B}:fargate/L-3032A538` });
      expect((await quotaA.send(new GetServiceQuotaCommand(fargate))).Quota).toMatchObject({ Value: 4000, QuotaArn: `arn:aws:servicequotas:us-east-1:${A}:fargate/L-3032A538` });
      f.sandbox.quotas.set({ serviceCode: 'fargate', quotaCode: 'L-3032A538', value: 30 });
      expect((await quotaA.send(new GetServiceQuotaCommand(fargate))).Quota?.Value).toBe(30);
      // the account's own setting is more specific than the one for every account
      expect((await quotaB.send(new GetServiceQuotaCommand(fargate))).Quota?.Value).toBe(12);
      expect((await control('POST', 'quotas', { serviceCode: 'fargate', quotaCode: 'L-3032A538', value: 5, accountId: 'B' })).body).toEqual({ error: 'accountId must be 12 digits' });
    } finally {
      f.sandbox.quotas.reset();
    }
    expect((await quotaB.send(new GetServiceQuotaCommand(fargate))).Quota?.Value).toBe(4000);
  });
});
