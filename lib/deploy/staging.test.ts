import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsContext, type AwsContext } from '@/lib/aws/clients';
import { startSandbox, type Sandbox } from '@/lib/sandbox/index';
import { childTemplatesPrefix, stageChildTemplates, stagingBucketName, templateSource } from './staging';

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

describe('nested templates staging', () => {
  const children = [
    { path: 'cardinal-lakerunner/cert.json', body: '{"Resources":{"A":{"Type":"AWS::Logs::LogGroup"}}}' },
    { path: 'cardinal-lakerunner/alb.json', body: '{"Resources":{"B":{"Type":"AWS::Logs::LogGroup"}}}' },
  ];

  it('keys a set of children by the stack and their content, in any order', () => {
    const prefix = childTemplatesPrefix('cardinal-lakerunner-services', children);
    expect(prefix).toMatch(/^nested\/cardinal-lakerunner-services\/[0-9a-f]{24}\/$/);
    expect(childTemplatesPrefix('cardinal-lakerunner-services', [...children].reverse())).toBe(prefix);
    // another text, another path or another stack: another key, so no run overwrites another's children
    expect(childTemplatesPrefix('cardinal-lakerunner-services', [children[0]!, { ...children[1]!, body: '{}' }])).not.toBe(prefix);
    expect(childTemplatesPrefix('cardinal-lakerunner-services', [children[0]!, { ...children[1]!, path: 'cardinal-lakerunner/alb2.json' }])).not.toBe(prefix);
    expect(childTemplatesPrefix('other', children)).not.toBe(prefix);
  });

  it('publishes the children once to the staging bucket, where CloudFormation reads them, and returns the tree\'s URL', async () => {
    const before = sandbox.metrics()['s3.PutObject'] ?? 0;
    const base = await stageChildTemplates(context, '111111111111', 'app', children);
    const bucket = stagingBucketName('111111111111', 'eu-west-1');
    expect(base).toBe(`https://${bucket}.s3.eu-west-1.amazonaws.com/${childTemplatesPrefix('app', children)}`);
    expect((sandbox.metrics()['s3.PutObject'] ?? 0) - before).toBe(2);
    for (const child of children) {
      const object = await context.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${childTemplatesPrefix('app', children)}${child.path}` }));
      expect(await object.Body?.transformToString()).toBe(child.body);
    }
    // the same children again (another run): nothing is written
    expect(await stageChildTemplates(context, '111111111111', 'app', children)).toBe(base);
    expect((sandbox.metrics()['s3.PutObject'] ?? 0) - before).toBe(2);

    // a root loading a child from the published tree
    const root = JSON.stringify({
      Parameters: { TemplateBaseUrl: { Type: 'String' } },
      Resources: { Cert: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: { 'Fn::Sub': '${TemplateBaseUrl}cert.json' } } } },
    });
    await context.cloudFormation.send(
      new CreateStackCommand({ StackName: 'nested-root', TemplateBody: root, Parameters: [{ ParameterKey: 'TemplateBaseUrl', ParameterValue: `${base}cardinal-lakerunner/` }] }),
    );
    for (;;) {
      const status = (await context.cloudFormation.send(new DescribeStacksCommand({ StackName: 'nested-root' }))).Stacks?.[0]?.StackStatus;
      if (status !== 'CREATE_IN_PROGRESS') {
        expect(status).toBe('CREATE_COMPLETE');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
