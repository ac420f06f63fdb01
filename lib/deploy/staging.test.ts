import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsContext, type AwsContext } from '@/lib/aws/clients';
import { startSandbox, type Sandbox } from '@/lib/sandbox/index';
import { stagingBucketName, templateSource } from './staging';

let sandbox: Sandbox;
let context: AwsContext;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0 });
  context = createAwsContext({ mode: 'sandbox', endpoint: sandbox.endpoint, credentials: async () => sandbox.credentials, defaultRegion: 'us-east-1' }, 'eu-west-1');
});
afterAll(() => sandbox.close());

/** A valid template padded past the 51,200-byte TemplateBody limit with a long description. */
const bigTemplate = JSON.stringify({
  Description: 'x'.repeat(1000),
  Metadata: { Padding: 'p'.repeat(52_000) },
  Resources: { Logs: { Type: 'AWS::Logs::LogGroup' } },
});

describe('template staging', () => {
  it('passes templates within the TemplateBody limit inline', async () => {
    expect(await templateSource(context, '111111111111', 'templates/run-1/small.json', '{"Resources":{}}')).toEqual({ body: '{"Resources":{}}' });
    expect((await context.s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });

  it('stages larger ones in a private, encrypted bucket per account and region, which CloudFormation reads', async () => {
    const source = await templateSource(context, '111111111111', 'templates/run-1/big.json', bigTemplate);
    const bucket = stagingBucketName('111111111111', 'eu-west-1');
    expect(source).toEqual({ url: `https://${bucket}.s3.eu-west-1.amazonaws.com/templates/run-1/big.json` });
    const metrics = sandbox.metrics();
    expect(Object.keys(metrics).filter((k) => /CreateBucket|PublicAccessBlock|Encryption/.test(k)).sort()).toEqual([
      's3.CreateBucket',
      's3.PutBucketEncryption',
      's3.PutBucketPublicAccessBlock',
    ]);
    const object = await context.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'templates/run-1/big.json' }));
    expect(await object.Body?.transformToString()).toBe(bigTemplate);

    // a second large template reuses the bucket
    await templateSource(context, '111111111111', 'templates/run-2/big.json', bigTemplate);
    expect(sandbox.metrics()['s3.CreateBucket']).toBe(1);

    await context.cloudFormation.send(new CreateStackCommand({ StackName: 'staged', TemplateURL: 'url' in source ? source.url : '' }));
    const stack = await context.cloudFormation.send(new DescribeStacksCommand({ StackName: 'staged' }));
    expect(stack.Stacks?.[0]?.StackName).toBe('staged');
  });
});
