// The root cause of a failure inside nested stacks, read from each stack's own events on the sandbox.
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from '@/lib/sandbox/testing';
import { findRootCause } from './cfn';
import { failureCause } from './root-cause';

let f: Fixture;
const BUCKET = 'root-cause-children';
const url = (name: string) => `https://${BUCKET}.s3.us-east-1.amazonaws.com/${name}.json`;
const nested = (name: string, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: url(name) }, ...extra });
const chain = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`P${i}`, ssmParameter(`v${i}`, i > 0 ? { DependsOn: `P${i - 1}` } : {})]));

beforeAll(async () => {
  f = await sandboxFixture({ timeScale: 0.002 });
  await f.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await f.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'leaf.json', Body: template(chain(3)) }));
  await f.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'mid.json', Body: template({ Own: ssmParameter('mid'), Leaf: nested('leaf', { DependsOn: 'Own' }) }) }));
  await f.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'side.json', Body: template(chain(6)) }));
});
afterAll(() => f.sandbox.close());

async function failingRoot(name: string) {
  const since = new Date(Date.now() - 1000);
  await f.cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: template({ Mid: nested('mid'), Side: nested('side') }) }));
  const stack = await waitForStack(f.cfn, name);
  return { since, stack };
}

describe('the root cause of a failure in nested stacks', () => {
  it("is the deepest failed child's first failed resource, with its reason, under the path of logical ids", async () => {
    f.sandbox.faults.failResource({ stackName: 'rc-deep/Mid/Leaf', logicalId: 'P1', operation: 'create', reason: 'Injected: the leaf cannot be made' });
    const { since, stack } = await failingRoot('rc-deep');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const cause = await findRootCause(f.cfn, 'services', 'rc-deep', since);
    expect(cause).toMatchObject({
      stackId: 'services',
      stackName: 'rc-deep',
      logicalId: 'P1',
      resourceType: 'AWS::SSM::Parameter',
      status: 'CREATE_FAILED',
      reason: 'Injected: the leaf cannot be made',
      child: { path: 'Mid/Leaf', stackName: expect.stringMatching(/^rc-deep-Mid-\w+-Leaf-\w+$/) },
    });
    // the sibling cancelled because of it is not the cause
    expect(JSON.stringify(cause)).not.toContain('Side');
    // the line's title goes on a child it declares
    const titled = await failureCause(f.cfn, [], { stackId: 'services', stackName: 'rc-deep' }, { arn: '', status: 'ROLLBACK_COMPLETE', outputs: {}, parameters: {}, exports: [] }, since, [
      { id: 'mid', logicalId: 'Mid', file: 'x/mid', title: 'Middle' },
    ]);
    expect(titled.child).toMatchObject({ path: 'Mid/Leaf' });
    expect(titled.child?.title).toBeUndefined();
  });

  it("names the child by its title when the failure is in a child the stack declares", async () => {
    f.sandbox.faults.failResource({ stackName: 'rc-side/Side', logicalId: 'P4', operation: 'create', reason: 'Injected: side effect' });
    const { since } = await failingRoot('rc-side');
    const cause = await failureCause(f.cfn, [], { stackId: 'services', stackName: 'rc-side' }, { arn: '', status: 'ROLLBACK_COMPLETE', outputs: {}, parameters: {}, exports: [] }, since, [
      { id: 'side', logicalId: 'Side', file: 'x/side', title: 'Side tier' },
    ]);
    expect(cause).toMatchObject({ logicalId: 'P4', reason: 'Injected: side effect', child: { path: 'Side', title: 'Side tier' } });
  });

  it("keeps the parent's account of a child whose own events say nothing", async () => {
    f.sandbox.faults.failResource({ stackName: 'rc-quiet/Side', logicalId: 'P2', operation: 'create', reason: 'Injected: quiet' });
    const { since } = await failingRoot('rc-quiet');
    // an endpoint that answers a nested stack's DescribeStackEvents with nothing
    const quiet = new CloudFormationClient(f.config);
    quiet.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { StackName?: string };
        if (context.commandName === 'DescribeStackEventsCommand' && input.StackName?.startsWith('arn:')) return { output: { StackEvents: [], $metadata: {} }, response: {} } as never;
        return next(args);
      },
      { step: 'initialize', name: 'quietChildren' },
    );
    const cause = await findRootCause(quiet, 'services', 'rc-quiet', since);
    expect(cause).toMatchObject({
      stackName: 'rc-quiet',
      logicalId: 'Side',
      resourceType: 'AWS::CloudFormation::Stack',
      status: 'CREATE_FAILED',
      reason: expect.stringMatching(/^Embedded stack arn:\S+ was not successfully created: .*P2/),
      child: { path: 'Side', stackName: expect.stringMatching(/^rc-quiet-Side-/) },
    });
    // and an endpoint that reports only stack-level events names no resource at all: the stack's own reason is the cause then
    f.sandbox.faults.emulate({ stackEventsOnly: true });
    try {
      expect(await findRootCause(f.cfn, 'services', 'rc-quiet', since)).toBeUndefined();
    } finally {
      f.sandbox.faults.clear();
    }
  });
});
