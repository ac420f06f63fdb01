import { createHash } from 'node:crypto';
import { Agent, type AgentOptions } from 'node:http';
import { CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAvailabilityZonesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture();
});
afterAll(() => f.sandbox.close());

const lambdaRole = {
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
};
const lambda = { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.13', Handler: 'index.handler', Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Code: { ZipFile: 'def handler(e, c): pass' } } };

describe('EC2, S3 and Secrets Manager through the SDK', () => {
  it('EC2: a default VPC with a default subnet per AZ, a second VPC with private and public subnets, three AZs', async () => {
    const vpcs = (await f.ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    const byDefault = vpcs.find((v) => v.IsDefault)!;
    expect(byDefault.CidrBlock).toBe('172.31.0.0/16');
    const workloads = vpcs.find((v) => v.Tags?.some((t) => t.Value === 'sandbox-workloads'))!;
    expect(workloads.IsDefault).toBe(false);

    const defaults = (await f.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [byDefault.VpcId!] }] }))).Subnets!;
    expect(defaults.map((s) => [s.AvailabilityZone, s.DefaultForAz])).toEqual([
      ['us-east-1a', true],
      ['us-east-1b', true],
      ['us-east-1c', true],
    ]);
    const tiers = (await f.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [workloads.VpcId!] }, { Name: 'tag:Tier', Values: ['Private'] }] }))).Subnets!;
    expect(tiers).toHaveLength(2);
    expect(new Set(tiers.map((s) => s.AvailabilityZone)).size).toBe(2);

    const zones = (await f.ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    expect(zones.map((z) => [z.ZoneName, z.ZoneId, z.State])).toEqual([
      ['us-east-1a', 'use1-az1', 'available'],
      ['us-east-1b', 'use1-az2', 'available'],
      ['us-east-1c', 'use1-az3', 'available'],
    ]);
    const otherRegion = new (await import('@aws-sdk/client-ec2')).EC2Client({ ...f.config, region: 'eu-west-1' });
    expect((await otherRegion.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!.map((z) => z.ZoneName)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    await expect(f.ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] }))).rejects.toMatchObject({
      name: 'InvalidSubnetID.NotFound',
      message: "The subnet ID 'subnet-0123456789abcdef0' does not exist",
    });
  });

  it('EC2: a VPC, subnet and security group made by a stack show up, and go away with it', async () => {
    const body = template({
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.9.0.0/16', Tags: [{ Key: 'Name', Value: 'from-stack' }] } },
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.9.1.0/24', AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } } },
      Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'from a stack', VpcId: { Ref: 'Vpc' } } },
    });
    const { StackId } = await f.cfn.send(new CreateStackCommand({ StackName: 'network', TemplateBody: body }));
    await waitForStack(f.cfn, 'network');
    const vpc = (await f.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['from-stack'] }] }))).Vpcs![0]!;
    expect(vpc.CidrBlock).toBe('10.9.0.0/16');
    const subnets = (await f.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
    expect(subnets.map((s) => [s.CidrBlock, s.AvailabilityZone])).toEqual([['10.9.1.0/24', 'us-east-1a']]);
    const groups = (await f.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).SecurityGroups!;
    expect(groups.map((g) => g.Description).sort()).toEqual(['default VPC security group', 'from a stack']);

    await f.cfn.send(new DeleteStackCommand({ StackName: 'network' }));
    await waitForStack(f.cfn, StackId!);
    await expect(f.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] }))).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });
  });

  it('S3: PutObject, HeadObject, GetObject and DeleteObject, path-style and virtual-host style', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'staging-bucket' }));
    await f.s3.send(new PutObjectCommand({ Bucket: 'staging-bucket', Key: 'templates/a b.yaml', Body: 'Resources: {}', ContentType: 'application/yaml' }));
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: 'staging-bucket', Key: 'templates/a b.yaml' }));
    const md5 = createHash('md5').update('Resources: {}').digest('hex');
    expect(head).toMatchObject({ ContentLength: 13, ContentType: 'application/yaml', ETag: `"${md5}"` });
    const port = new URL(f.sandbox.endpoint).port;
    // Virtual-host style puts the bucket in the Host header; resolve every name to the sandbox.
    const lookup = (_host: string, options: { all?: boolean }, done: (...args: unknown[]) => void) =>
      options.all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4);
    const virtual = new S3Client({ ...f.config, endpoint: `http://localhost:${port}`, requestHandler: { httpAgent: new Agent({ lookup } as AgentOptions) } });
    const got = await virtual.send(new GetObjectCommand({ Bucket: 'staging-bucket', Key: 'templates/a b.yaml' }));
    expect(await got.Body!.transformToString()).toBe('Resources: {}');
    await f.s3.send(new DeleteObjectCommand({ Bucket: 'staging-bucket', Key: 'templates/a b.yaml' }));
    await expect(f.s3.send(new GetObjectCommand({ Bucket: 'staging-bucket', Key: 'templates/a b.yaml' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(f.s3.send(new HeadObjectCommand({ Bucket: 'staging-bucket', Key: 'nope' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('a stack bucket holding objects cannot be deleted: DELETE_FAILED with S3\'s message', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'bucket', TemplateBody: template({ Bucket: { Type: 'AWS::S3::Bucket' } }, { Outputs: { Name: { Value: { Ref: 'Bucket' } } } }) }));
    const stack = await waitForStack(f.cfn, 'bucket');
    await f.s3.send(new PutObjectCommand({ Bucket: stack.Outputs![0]!.OutputValue!, Key: 'data.txt', Body: 'x' }));
    await f.cfn.send(new DeleteStackCommand({ StackName: 'bucket' }));
    const failed = await waitForStack(f.cfn, 'bucket');
    expect(failed.StackStatus).toBe('DELETE_FAILED');
    const reasons = (await f.cfn.send(new DescribeStackEventsCommand({ StackName: 'bucket' }))).StackEvents!.map((e) => e.ResourceStatusReason ?? '');
    expect(reasons.some((r) => r.startsWith('The bucket you tried to delete is not empty (Service: S3, Status Code: 409'))).toBe(true);
  });

  it('Secrets Manager: GenerateSecretString creates a real value readable with GetSecretValue', async () => {
    const body = template(
      {
        Secret: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: {
            Name: 'app/db',
            GenerateSecretString: { SecretStringTemplate: '{"username":"lakerunner"}', GenerateStringKey: 'password', PasswordLength: 24, ExcludePunctuation: true, ExcludeCharacters: 'lO0' },
          },
        },
      },
      { Outputs: { Arn: { Value: { Ref: 'Secret' } } } },
    );
    await f.cfn.send(new CreateStackCommand({ StackName: 'secret', TemplateBody: body }));
    const arn = (await waitForStack(f.cfn, 'secret')).Outputs![0]!.OutputValue!;
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:111111111111:secret:app\/db-[A-Za-z0-9]{6}$/);

    const value = await f.secrets.send(new GetSecretValueCommand({ SecretId: arn }));
    const secret = JSON.parse(value.SecretString!) as { username: string; password: string };
    expect(secret.username).toBe('lakerunner');
    expect(secret.password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(secret.password).not.toMatch(/[lO0]/);
    expect((await f.secrets.send(new GetSecretValueCommand({ SecretId: 'app/db' }))).SecretString).toBe(value.SecretString);
    expect((await f.secrets.send(new DescribeSecretCommand({ SecretId: arn }))).Name).toBe('app/db');
    await expect(f.secrets.send(new GetSecretValueCommand({ SecretId: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
  });

  it('Secrets Manager: CreateSecret and PutSecretValue', async () => {
    const { ARN } = await f.secrets.send(new CreateSecretCommand({ Name: 'manual', SecretString: 'one' }));
    await f.secrets.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'two' }));
    expect((await f.secrets.send(new GetSecretValueCommand({ SecretId: 'manual' }))).SecretString).toBe('two');
    await expect(f.secrets.send(new CreateSecretCommand({ Name: 'manual', SecretString: 'x' }))).rejects.toMatchObject({ name: 'ResourceExistsException' });
  });

  it('custom resources complete after their delay and return the attributes the template reads; injected failures fail them', async () => {
    const body = template(
      { Role: lambdaRole, Fn: lambda, Task: { Type: 'Custom::RunTask', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Cluster: 'c' } } },
      { Outputs: { TaskArn: { Value: { 'Fn::GetAtt': ['Task', 'TaskArn'] } }, Anything: { Value: { 'Fn::GetAtt': ['Task', 'Whatever'] } } } },
    );
    await f.cfn.send(new CreateStackCommand({ StackName: 'custom', TemplateBody: body, Capabilities: ['CAPABILITY_IAM'] }));
    const stack = await waitForStack(f.cfn, 'custom');
    const out = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(out.TaskArn).toMatch(/^arn:aws:ecs:us-east-1:111111111111:task\/custom\/[0-9a-f]{32}$/);
    expect(out.Anything).toMatch(/-Whatever$/);

    f.sandbox.faults.failResource({ logicalId: 'Task', operation: 'create', reason: 'Received response status [FAILED] from custom resource. Message returned: task exited 1' });
    await f.cfn.send(new CreateStackCommand({ StackName: 'custom-fails', TemplateBody: body, Capabilities: ['CAPABILITY_IAM'] }));
    const failed = await waitForStack(f.cfn, 'custom-fails');
    expect(failed.StackStatus).toBe('ROLLBACK_COMPLETE');
    const reasons = (await f.cfn.send(new DescribeStackEventsCommand({ StackName: 'custom-fails' }))).StackEvents!.map((e) => e.ResourceStatusReason);
    expect(reasons).toContain('Received response status [FAILED] from custom resource. Message returned: task exited 1');
  });

  it('fixed names are unique: a second stack creating the same log group fails like AWS', async () => {
    const body = template({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/ecs/shared' } } });
    await f.cfn.send(new CreateStackCommand({ StackName: 'logs-a', TemplateBody: body }));
    expect((await waitForStack(f.cfn, 'logs-a')).StackStatus).toBe('CREATE_COMPLETE');
    await f.cfn.send(new CreateStackCommand({ StackName: 'logs-b', TemplateBody: body }));
    expect((await waitForStack(f.cfn, 'logs-b')).StackStatus).toBe('ROLLBACK_COMPLETE');
    const reasons = (await f.cfn.send(new DescribeStackEventsCommand({ StackName: 'logs-b' }))).StackEvents!.map((e) => e.ResourceStatusReason);
    expect(reasons).toContain("Resource of type 'AWS::Logs::LogGroup' with identifier '/ecs/shared' already exists.");
  });

  it('dynamic references to secrets resolve at deploy time and fail when the secret is missing', async () => {
    const body = (secret: string) => template({ P: ssmParameter(`{{resolve:secretsmanager:${secret}:SecretString:password}}`) });
    await f.cfn.send(new CreateStackCommand({ StackName: 'dynref', TemplateBody: body('app/db') }));
    expect((await waitForStack(f.cfn, 'dynref')).StackStatus).toBe('CREATE_COMPLETE');
    await f.cfn.send(new CreateStackCommand({ StackName: 'dynref-missing', TemplateBody: body('no/such/secret') }));
    expect((await waitForStack(f.cfn, 'dynref-missing')).StackStatus).toBe('ROLLBACK_COMPLETE');
  });
});
