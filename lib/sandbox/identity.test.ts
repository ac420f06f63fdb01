import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixture, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture();
});
afterAll(() => f.sandbox.close());

const ROLE = 'arn:aws:iam::111111111111:role/LakerunnerDeployRole';

describe('identity and request signing', () => {
  it('GetCallerIdentity answers for the built-in sandbox user', async () => {
    const identity = await f.sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '111111111111', Arn: 'arn:aws:iam::111111111111:user/sandbox', UserId: expect.stringMatching(/^AIDA/) });
    expect(f.sandbox.roles).toEqual([{ arn: ROLE, externalId: 'lakerunner-sandbox' }]);
  });

  it('AssumeRole with the right ExternalId returns temporary credentials; calls made with them are the assumed role', async () => {
    const { Credentials, AssumedRoleUser } = await f.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'console', ExternalId: 'lakerunner-sandbox' }));
    expect(Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(AssumedRoleUser!.Arn).toBe('arn:aws:sts::111111111111:assumed-role/LakerunnerDeployRole/console');

    const credentials = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    const assumed = new STSClient({ ...f.config, credentials });
    const identity = await assumed.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe('arn:aws:sts::111111111111:assumed-role/LakerunnerDeployRole/console');
    expect(identity.UserId).toBe(AssumedRoleUser!.AssumedRoleId);
    await expect(new CloudFormationClient({ ...f.config, credentials }).send(new ListStacksCommand({}))).resolves.toBeDefined();
  });

  it.each([
    ['a wrong ExternalId', 'not-the-id'],
    ['no ExternalId', undefined],
  ])('AssumeRole with %s is AccessDenied', async (_, externalId) => {
    await expect(f.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'console', ExternalId: externalId }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::111111111111:user/sandbox is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('a role that is not configured is AccessDenied too', async () => {
    const other = 'arn:aws:iam::111111111111:role/Other';
    await expect(f.sts.send(new AssumeRoleCommand({ RoleArn: other, RoleSessionName: 's1', ExternalId: 'lakerunner-sandbox' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('a role a stack creates is assumable as its trust policy says, with its ExternalId, until the stack is deleted', async () => {
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: { Ref: 'Trusted' } }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'ext-from-stack' } } }],
    };
    await f.cfn.send(
      new CreateStackCommand({
        StackName: 'trusting-role',
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: [{ ParameterKey: 'Trusted', ParameterValue: 'arn:aws:iam::111111111111:user/sandbox' }],
        TemplateBody: template(
          { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust } } },
          { Parameters: { Trusted: { Type: 'String' } }, Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } } } },
        ),
      }),
    );
    const stack = await waitForStack(f.cfn, 'trusting-role');
    const roleArn = stack.Outputs!.find((o) => o.OutputKey === 'RoleArn')!.OutputValue!;

    const { AssumedRoleUser } = await f.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'from-stack', ExternalId: 'ext-from-stack' }));
    expect(AssumedRoleUser!.Arn).toBe(`arn:aws:sts::111111111111:assumed-role/${roleArn.split('/').pop()}/from-stack`);
    for (const externalId of ['lakerunner-sandbox', undefined]) {
      await expect(f.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'from-stack', ExternalId: externalId }))).rejects.toMatchObject({ name: 'AccessDenied' });
    }
    // a session of the configured deploy role is not the trusted user
    const { Credentials } = await f.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'other', ExternalId: 'lakerunner-sandbox' }));
    const asRole = new STSClient({ ...f.config, credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! } });
    await expect(asRole.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'chained', ExternalId: 'ext-from-stack' }))).rejects.toMatchObject({ name: 'AccessDenied' });

    await f.cfn.send(new DeleteStackCommand({ StackName: 'trusting-role' }));
    await waitForStack(f.cfn, stack.StackId!);
    await expect(f.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'gone', ExternalId: 'ext-from-stack' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('expired temporary credentials are refused with ExpiredToken', async () => {
    const { Credentials } = await f.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'short', ExternalId: 'lakerunner-sandbox', DurationSeconds: 900 }));
    const credentials = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    const clock = Date.now;
    // The sandbox checks expiry against its own clock; move it past the session's end.
    Date.now = () => clock() + 901_000;
    try {
      await expect(new STSClient({ ...f.config, credentials, systemClockOffset: 0 }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
        name: 'ExpiredToken',
        message: 'The security token included in the request is expired',
      });
    } finally {
      Date.now = clock;
    }
  });

  it('an unknown access key is InvalidClientTokenId; a wrong secret is SignatureDoesNotMatch', async () => {
    const stranger = new STSClient({ ...f.config, credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }, maxAttempts: 1 });
    await expect(stranger.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    });
    const wrongSecret = new CloudFormationClient({ ...f.config, credentials: { ...f.config.credentials, secretAccessKey: 'not-the-secret' }, maxAttempts: 1 });
    await expect(wrongSecret.send(new ListStacksCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    const wrongSecretJson = new SecretsManagerClient({ ...f.config, credentials: { ...f.config.credentials, secretAccessKey: 'nope' }, maxAttempts: 1 });
    await expect(wrongSecretJson.send(new ListSecretsCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    const wrongSecretS3 = new S3Client({ ...f.config, forcePathStyle: true, credentials: { ...f.config.credentials, secretAccessKey: 'nope' }, maxAttempts: 1 });
    await expect(wrongSecretS3.send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });

  it('unsigned requests are refused the way each protocol refuses them', async () => {
    const query = await fetch(f.sandbox.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListStacks&Version=2010-05-15',
    });
    expect(query.status).toBe(403);
    const xml = await query.text();
    expect(xml).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(xml).toMatch(/^<ErrorResponse xmlns="http:\/\/cloudformation\.amazonaws\.com\/doc\/2010-05-15\/"><Error><Type>Sender<\/Type>/);
    expect(xml).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);

    const json = await fetch(f.sandbox.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: '{"SecretId":"x"}',
    });
    expect(json.status).toBe(403);
    expect(await json.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });

    const s3 = await fetch(`${f.sandbox.endpoint}/some-bucket/some-key`);
    expect(s3.status).toBe(403);
    expect(await s3.text()).toContain('<Code>AccessDenied</Code><Message>Access Denied</Message>');
  });

  it('hostile input is data: no prototype pollution from form keys, no 500 from a malformed S3 path', async () => {
    const response = await fetch(f.sandbox.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListStacks&Version=2010-05-15&__proto__.polluted=yes&constructor.prototype.polluted=yes',
    });
    expect(response.status).toBe(403);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${f.sandbox.endpoint}/bucket/%zz`)).status).toBe(403);
  });
});
