import {
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  DeleteStackCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStacksCommand,
  UpdateStackCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nestedStackName } from './cfn/nested';
import { allEvents, eventLines, sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture();
  await f.s3.send(new CreateBucketCommand({ Bucket: 'nested-templates' }));
});
afterEach(() => f.sandbox.faults.clear());
afterAll(() => f.sandbox.close());

const BUCKET_URL = 'https://nested-templates.s3.us-east-1.amazonaws.com';

/** Uploads a child template and returns its TemplateURL. */
async function publish(key: string, body: string): Promise<string> {
  await f.s3.send(new PutObjectCommand({ Bucket: 'nested-templates', Key: key, Body: body }));
  return `${BUCKET_URL}/${key}`;
}

const nested = (url: string, parameters: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::CloudFormation::Stack',
  Properties: { TemplateURL: url, ...(Object.keys(parameters).length ? { Parameters: parameters } : {}) },
  ...extra,
});

/** A child with one SSM parameter holding `Value`, exposing it (and its name) as outputs. */
const valueChild = template(
  { Setting: ssmParameter({ Ref: 'Value' }) },
  {
    Parameters: { Value: { Type: 'String' } },
    Outputs: { SettingName: { Value: { Ref: 'Setting' } }, Echo: { Value: { Ref: 'Value' } } },
  },
);

async function describe1(name: string): Promise<Stack> {
  return (await f.cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
}

async function childOf(parent: string, logicalId: string): Promise<Stack> {
  const resource = await f.cfn.send(new DescribeStackResourceCommand({ StackName: parent, LogicalResourceId: logicalId }));
  return describe1(resource.StackResourceDetail!.PhysicalResourceId!);
}

describe('nested stack names', () => {
  it('are <parent>-<LogicalId>-<13 characters>, trimmed like CloudFormation trims them to 100 characters', () => {
    expect(nestedStackName('app', 'Query')).toMatch(/^app-Query-[A-Z0-9]{13}$/);
    // As observed on AWS: a 77-character prefix of the parent and the whole logical id, 100 in all.
    const parent = 'tCaT-quickstart-citrix-adc-ha-across-az-my-test-3e98e14ed59a4f5b8bc07d44c35e9d2f1a0b';
    const name = nestedStackName(parent, 'VPCStack');
    expect(name).toHaveLength(100);
    expect(name).toMatch(/^tCaT-quickstart-citrix-adc-ha-across-az-my-test-3e98e14ed59a4f5b8bc07d44c35e9-VPCStack-[A-Z0-9]{13}$/);
    expect(nestedStackName('p'.repeat(120), 'L'.repeat(120))).toHaveLength(100);
  });
});

describe('nested stacks (AWS::CloudFormation::Stack)', () => {
  it('creates each child as a stack of its own: generated name, ParentId/RootId, listed, its own events, and the parent\'s resource events', async () => {
    const leaf = await publish('create/leaf.json', valueChild);
    const middle = await publish(
      'create/middle.json',
      template({ Leaf: nested(leaf, { Value: { Ref: 'Value' } }) }, { Parameters: { Value: { Type: 'String' } }, Outputs: { Echo: { Value: { 'Fn::GetAtt': ['Leaf', 'Outputs.Echo'] } } } }),
    );
    const body = template({
      Middle: nested(middle, { Value: 'from-root' }),
      Reader: ssmParameter({ 'Fn::GetAtt': ['Middle', 'Outputs.Echo'] }),
    });
    const { StackId: rootId } = await f.cfn.send(new CreateStackCommand({ StackName: 'nest-create', TemplateBody: body }));
    expect((await waitForStack(f.cfn, 'nest-create')).StackStatus).toBe('CREATE_COMPLETE');

    const middleStack = await childOf('nest-create', 'Middle');
    expect(middleStack.StackName).toMatch(/^nest-create-Middle-[A-Z0-9]{13}$/);
    expect(middleStack).toMatchObject({ StackStatus: 'CREATE_COMPLETE', ParentId: rootId, RootId: rootId, Outputs: [{ OutputKey: 'Echo', OutputValue: 'from-root' }] });
    const leafStack = await childOf(middleStack.StackId!, 'Leaf');
    expect(leafStack).toMatchObject({ ParentId: middleStack.StackId, RootId: rootId, Parameters: [{ ParameterKey: 'Value', ParameterValue: 'from-root' }] });
    expect(leafStack.StackName).toMatch(new RegExp(`^${middleStack.StackName}-Leaf-[A-Z0-9]{13}$`));

    const listed = (await f.cfn.send(new ListStacksCommand({}))).StackSummaries!;
    expect(listed.find((s) => s.StackId === leafStack.StackId)).toMatchObject({ ParentId: middleStack.StackId, RootId: rootId, StackStatus: 'CREATE_COMPLETE' });

    const rootEvents = await allEvents(f.cfn, 'nest-create');
    expect(eventLines(rootEvents)).toEqual([
      'nest-create CREATE_IN_PROGRESS User Initiated',
      'Middle CREATE_IN_PROGRESS',
      'Middle CREATE_IN_PROGRESS Resource creation Initiated',
      'Middle CREATE_COMPLETE',
      'Reader CREATE_IN_PROGRESS',
      'Reader CREATE_IN_PROGRESS Resource creation Initiated',
      'Reader CREATE_COMPLETE',
      'nest-create CREATE_COMPLETE',
    ]);
    const initiated = rootEvents.find((e) => e.LogicalResourceId === 'Middle' && e.ResourceStatusReason === 'Resource creation Initiated')!;
    expect(initiated).toMatchObject({ ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: middleStack.StackId });
    expect(eventLines(await allEvents(f.cfn, leafStack.StackId!))).toEqual([
      `${leafStack.StackName} CREATE_IN_PROGRESS User Initiated`,
      'Setting CREATE_IN_PROGRESS',
      'Setting CREATE_IN_PROGRESS Resource creation Initiated',
      'Setting CREATE_COMPLETE',
      `${leafStack.StackName} CREATE_COMPLETE`,
    ]);
    // Every stack's events belong to that stack only.
    expect(rootEvents.every((e) => e.StackId === rootId)).toBe(true);
    expect((await f.cfn.send(new GetTemplateCommand({ StackName: leafStack.StackId }))).TemplateBody).toBe(valueChild);
  });

  it('a child that fails to create fails its parent with the child\'s reason; the sibling in flight is cancelled; the rollback deletes both children', async () => {
    const broken = await publish('fail/broken.json', template({ Fine: ssmParameter('ok'), Broken: ssmParameter({ Ref: 'Fine' }) }));
    const slow = await publish('fail/slow.json', template({ Queue: { Type: 'AWS::SQS::Queue', Properties: {} } }));
    f.sandbox.faults.failResource({ stackName: 'nest-fail/Bad', logicalId: 'Broken', operation: 'create', reason: 'Simulated: limit exceeded' });
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-fail', TemplateBody: template({ Bad: nested(broken), Slow: nested(slow) }) }));
    const stack = await waitForStack(f.cfn, 'nest-fail');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');

    const events = await allEvents(f.cfn, 'nest-fail');
    const badId = events.find((e) => e.LogicalResourceId === 'Bad' && e.PhysicalResourceId)!.PhysicalResourceId!;
    const slowId = events.find((e) => e.LogicalResourceId === 'Slow' && e.PhysicalResourceId)!.PhysicalResourceId!;
    const lines = eventLines(events);
    expect(lines).toContain(`Bad CREATE_FAILED Embedded stack ${badId} was not successfully created: The following resource(s) failed to create: [Broken].`);
    expect(lines).toContain('Slow CREATE_FAILED Resource creation cancelled');
    expect(lines).toContain('nest-fail ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Bad, Slow]. Rollback requested by user.');
    expect(lines.slice(-5).sort()).toEqual(['Bad DELETE_COMPLETE', 'Bad DELETE_IN_PROGRESS', 'Slow DELETE_COMPLETE', 'Slow DELETE_IN_PROGRESS', 'nest-fail ROLLBACK_COMPLETE'].sort());

    // The failing child rolled itself back first; the parent's rollback then deleted it.
    expect(eventLines(await allEvents(f.cfn, badId))).toEqual(
      expect.arrayContaining([
        'Broken CREATE_FAILED Simulated: limit exceeded',
        expect.stringMatching(/ROLLBACK_IN_PROGRESS The following resource\(s\) failed to create: \[Broken\]\. Rollback requested by user\.$/),
        expect.stringMatching(/ DELETE_COMPLETE$/),
      ]),
    );
    // The cancelled sibling stopped its own work and rolled back before being deleted.
    const slowLines = eventLines(await allEvents(f.cfn, slowId));
    expect(slowLines).toContain('Queue CREATE_FAILED Resource creation cancelled');
    expect((await describe1(slowId)).StackStatus).toBe('DELETE_COMPLETE');
    expect((await describe1(badId)).StackStatus).toBe('DELETE_COMPLETE');
  });

  it('a parent update updates the children whose template or parameters changed; the others report an update and touch nothing', async () => {
    const url = await publish('update/child.json', valueChild);
    const body = (a: string, b: string) => template({ A: nested(url, { Value: a }), B: nested(url, { Value: b }), Reader: ssmParameter({ 'Fn::GetAtt': ['A', 'Outputs.Echo'] }) });
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-update', TemplateBody: body('a1', 'b1') }));
    await waitForStack(f.cfn, 'nest-update');
    const a = await childOf('nest-update', 'A');
    const b = await childOf('nest-update', 'B');
    const before = { a: (await allEvents(f.cfn, a.StackId!)).length, b: (await allEvents(f.cfn, b.StackId!)).length, root: (await allEvents(f.cfn, 'nest-update')).length };

    await f.cfn.send(new UpdateStackCommand({ StackName: 'nest-update', TemplateBody: body('a2', 'b1') }));
    expect((await waitForStack(f.cfn, 'nest-update')).StackStatus).toBe('UPDATE_COMPLETE');

    const rootLines = eventLines((await allEvents(f.cfn, 'nest-update')).slice(before.root));
    expect(rootLines[0]).toBe('nest-update UPDATE_IN_PROGRESS User Initiated');
    expect(rootLines.slice(-2)).toEqual(['nest-update UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'nest-update UPDATE_COMPLETE']);
    // Both children report an update in the parent; Reader follows A's changed output.
    expect(rootLines.slice(1, -2).sort()).toEqual(['A UPDATE_COMPLETE', 'A UPDATE_IN_PROGRESS', 'B UPDATE_COMPLETE', 'B UPDATE_IN_PROGRESS', 'Reader UPDATE_COMPLETE', 'Reader UPDATE_IN_PROGRESS']);
    expect(eventLines((await allEvents(f.cfn, a.StackId!)).slice(before.a))).toEqual([
      `${a.StackName} UPDATE_IN_PROGRESS User Initiated`,
      'Setting UPDATE_IN_PROGRESS',
      'Setting UPDATE_COMPLETE',
      `${a.StackName} UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`,
      `${a.StackName} UPDATE_COMPLETE`,
    ]);
    // The unchanged child goes through an update with no resource events.
    expect(eventLines((await allEvents(f.cfn, b.StackId!)).slice(before.b))).toEqual([
      `${b.StackName} UPDATE_IN_PROGRESS User Initiated`,
      `${b.StackName} UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`,
      `${b.StackName} UPDATE_COMPLETE`,
    ]);
    expect((await describe1(a.StackId!)).Parameters).toEqual([{ ParameterKey: 'Value', ParameterValue: 'a2' }]);
    expect((await describe1(a.StackId!)).Outputs).toEqual(expect.arrayContaining([{ OutputKey: 'Echo', OutputValue: 'a2' }]));
  });

  it('a child updated by its parent cleans up only after the parent finished its own update', async () => {
    const v1 = await publish('cleanup/v1.json', template({ Keep: ssmParameter('k'), Gone: ssmParameter('g') }));
    const v2 = await publish('cleanup/v2.json', template({ Keep: ssmParameter('k') }));
    const body = (url: string, timeout: number) => template({ Child: nested(url), After: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: timeout }, DependsOn: 'Child' } });
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-cleanup', TemplateBody: body(v1, 20) }));
    await waitForStack(f.cfn, 'nest-cleanup');
    const child = await childOf('nest-cleanup', 'Child');
    // Slower, so the child is seen waiting while the parent's queue (60 s) updates after it.
    f.sandbox.setTimeScale(0.02);
    try {
      await f.cfn.send(new UpdateStackCommand({ StackName: 'nest-cleanup', TemplateBody: body(v2, 30) }));
      await waitForStack(f.cfn, child.StackId!, (s) => s === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      expect((await describe1('nest-cleanup')).StackStatus).toBe('UPDATE_IN_PROGRESS');
      expect(eventLines(await allEvents(f.cfn, child.StackId!))).not.toContain('Gone DELETE_IN_PROGRESS');
    } finally {
      f.sandbox.setTimeScale(0.001);
    }
    expect((await waitForStack(f.cfn, 'nest-cleanup')).StackStatus).toBe('UPDATE_COMPLETE');
    const parentCleanup = (await allEvents(f.cfn, 'nest-cleanup')).findLast((e) => String(e.ResourceStatus) === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')!;
    const goneDeleted = (await allEvents(f.cfn, child.StackId!)).find((e) => e.LogicalResourceId === 'Gone' && e.ResourceStatus === 'DELETE_IN_PROGRESS')!;
    expect(goneDeleted.Timestamp!.getTime()).toBeGreaterThanOrEqual(parentCleanup.Timestamp!.getTime());
    expect((await describe1(child.StackId!)).StackStatus).toBe('UPDATE_COMPLETE');
  });

  it('an update rollback reverts a child that had already updated and reports the failing child\'s reason', async () => {
    const url = await publish('rollback/child.json', valueChild);
    const body = (a: string, b: string) => template({ A: nested(url, { Value: a }), B: nested(url, { Value: b }, { DependsOn: 'A' }) });
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-rollback', TemplateBody: body('a1', 'b1') }));
    await waitForStack(f.cfn, 'nest-rollback');
    const a = await childOf('nest-rollback', 'A');
    const b = await childOf('nest-rollback', 'B');

    f.sandbox.faults.failResource({ stackName: b.StackName, logicalId: 'Setting', operation: 'update', reason: 'Simulated: throttled' });
    await f.cfn.send(new UpdateStackCommand({ StackName: 'nest-rollback', TemplateBody: body('a2', 'b2') }));
    const stack = await waitForStack(f.cfn, 'nest-rollback');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');

    const lines = eventLines(await allEvents(f.cfn, 'nest-rollback'));
    expect(lines).toContain(
      `B UPDATE_FAILED Embedded stack ${b.StackId} was not successfully updated. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: The following resource(s) failed to update: [Setting]. `,
    );
    expect(lines).toContain('nest-rollback UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [B]. ');
    const aLines = eventLines(await allEvents(f.cfn, a.StackId!));
    // A had finished its update (parked before cleanup), then rolled back with its parent.
    expect(aLines.slice(-9)).toEqual([
      `${a.StackName} UPDATE_IN_PROGRESS User Initiated`,
      'Setting UPDATE_IN_PROGRESS',
      'Setting UPDATE_COMPLETE',
      `${a.StackName} UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`,
      `${a.StackName} UPDATE_ROLLBACK_IN_PROGRESS Rollback requested by user.`,
      'Setting UPDATE_IN_PROGRESS',
      'Setting UPDATE_COMPLETE',
      `${a.StackName} UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS`,
      `${a.StackName} UPDATE_ROLLBACK_COMPLETE`,
    ]);
    expect(await describe1(a.StackId!)).toMatchObject({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE', Parameters: [{ ParameterKey: 'Value', ParameterValue: 'a1' }] });
    expect(await describe1(b.StackId!)).toMatchObject({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE', Parameters: [{ ParameterKey: 'Value', ParameterValue: 'b1' }] });
    expect((await describe1('nest-rollback')).Parameters ?? []).toEqual([]);
  });

  it('deleting the parent deletes its children in reverse dependency order', async () => {
    const url = await publish('delete/child.json', valueChild);
    const body = template({ First: nested(url, { Value: '1' }), Second: nested(url, { Value: { 'Fn::GetAtt': ['First', 'Outputs.Echo'] } }) });
    const { StackId } = await f.cfn.send(new CreateStackCommand({ StackName: 'nest-delete', TemplateBody: body }));
    await waitForStack(f.cfn, 'nest-delete');
    const first = await childOf('nest-delete', 'First');
    const second = await childOf('nest-delete', 'Second');
    await f.cfn.send(new DeleteStackCommand({ StackName: 'nest-delete' }));
    expect((await waitForStack(f.cfn, StackId!)).StackStatus).toBe('DELETE_COMPLETE');

    const lines = eventLines(await allEvents(f.cfn, StackId!));
    const deleting = lines.slice(lines.indexOf('nest-delete DELETE_IN_PROGRESS User Initiated'));
    expect(deleting).toEqual([
      'nest-delete DELETE_IN_PROGRESS User Initiated',
      'Second DELETE_IN_PROGRESS',
      'Second DELETE_COMPLETE',
      'First DELETE_IN_PROGRESS',
      'First DELETE_COMPLETE',
      'nest-delete DELETE_COMPLETE',
    ]);
    for (const child of [first, second]) {
      expect(eventLines(await allEvents(f.cfn, child.StackId!)).slice(-4)).toEqual([
        `${child.StackName} DELETE_IN_PROGRESS User Initiated`,
        'Setting DELETE_IN_PROGRESS',
        'Setting DELETE_COMPLETE',
        `${child.StackName} DELETE_COMPLETE`,
      ]);
    }
  });

  it('a child that fails to delete fails its parent\'s delete with the child\'s reason', async () => {
    const url = await publish('delete-fail/child.json', template({ Stuck: ssmParameter('s') }));
    const { StackId } = await f.cfn.send(new CreateStackCommand({ StackName: 'nest-delete-fail', TemplateBody: template({ Child: nested(url) }) }));
    await waitForStack(f.cfn, 'nest-delete-fail');
    const child = await childOf('nest-delete-fail', 'Child');
    f.sandbox.faults.failResource({ stackName: 'nest-delete-fail/Child', logicalId: 'Stuck', operation: 'delete', reason: 'Simulated: in use' });
    await f.cfn.send(new DeleteStackCommand({ StackName: 'nest-delete-fail' }));
    const stack = await waitForStack(f.cfn, StackId!);
    expect(stack).toMatchObject({ StackStatus: 'DELETE_FAILED', StackStatusReason: 'The following resource(s) failed to delete: [Child]. ' });
    expect(eventLines(await allEvents(f.cfn, StackId!))).toContain(
      `Child DELETE_FAILED Embedded stack ${child.StackId} was not successfully deleted: The following resource(s) failed to delete: [Stuck]. `,
    );
    // Deleting again (the fault is used up) finishes the job.
    await f.cfn.send(new DeleteStackCommand({ StackName: StackId }));
    expect((await waitForStack(f.cfn, StackId!)).StackStatus).toBe('DELETE_COMPLETE');
    expect((await describe1(child.StackId!)).StackStatus).toBe('DELETE_COMPLETE');
  });

  it('the capabilities a child needs must be acknowledged on the parent\'s call', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const roleChild = await publish('caps/role.json', template({ Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust } } }));
    const namedChild = await publish('caps/named.json', template({ Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust, RoleName: 'nested-named-role' } } }));

    // The parent itself needs none, so the call is accepted; the child's creation fails.
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-caps', TemplateBody: template({ Child: nested(roleChild) }) }));
    expect((await waitForStack(f.cfn, 'nest-caps')).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, 'nest-caps'))).toContain('Child CREATE_FAILED Requires capabilities : [CAPABILITY_IAM]');

    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-caps-named', TemplateBody: template({ Child: nested(namedChild) }), Capabilities: ['CAPABILITY_IAM'] }));
    expect((await waitForStack(f.cfn, 'nest-caps-named')).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, 'nest-caps-named'))).toContain('Child CREATE_FAILED Requires capabilities : [CAPABILITY_NAMED_IAM]');

    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-caps-ok', TemplateBody: template({ Child: nested(namedChild) }), Capabilities: ['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    expect((await waitForStack(f.cfn, 'nest-caps-ok')).StackStatus).toBe('CREATE_COMPLETE');
    expect((await childOf('nest-caps-ok', 'Child')).Capabilities).toEqual(['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']);
  });

  it.each([
    ['a missing template', () => nested(`${BUCKET_URL}/nowhere.json`), 'TemplateURL must reference a valid S3 object to which you have access.'],
    ['a missing parameter', (url: string) => nested(url), 'Parameters: [Value] must have values'],
    ['an unknown parameter', (url: string) => nested(url, { Value: 'v', Other: 'x' }), 'Parameters: [Other] do not exist in the template'],
    ['a list as a parameter value', (url: string) => nested(url, { Value: ['a', 'b'] }), 'Properties validation failed for resource Child with message: #/Parameters/Value: expected type: String, found: JSONArray'],
  ])('%s fails the nested stack resource with CloudFormation\'s message', async (_name, resource, message) => {
    const url = await publish('errors/child.json', valueChild);
    const name = `nest-error-${Math.random().toString(36).slice(2, 8)}`;
    await f.cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: template({ Child: resource(url) }) }));
    expect((await waitForStack(f.cfn, name)).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, name))).toContain(`Child CREATE_FAILED ${message}`);
  });

  it('Fn::GetAtt of an output the child does not have fails the resource that reads it', async () => {
    const url = await publish('getatt/child.json', valueChild);
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-getatt', TemplateBody: template({ Child: nested(url, { Value: 'v' }), Reader: ssmParameter({ 'Fn::GetAtt': ['Child', 'Outputs.Nope'] }) }) }));
    expect((await waitForStack(f.cfn, 'nest-getatt')).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, 'nest-getatt'))).toContain('Reader CREATE_FAILED Template error: resource Child does not support attribute type Outputs.Nope in Fn::GetAtt');
  });

  it('a fault can name a resource inside a nested stack by its path from the root', async () => {
    const url = await publish('faults/child.json', valueChild);
    f.sandbox.faults.failResource({ stackName: 'nest-fault-other/Child', logicalId: 'Setting', operation: 'create', reason: 'not this one' });
    f.sandbox.faults.failResource({ stackName: 'nest-fault/Child', logicalId: 'Setting', operation: 'create', reason: 'Simulated by path' });
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-fault', TemplateBody: template({ Child: nested(url, { Value: 'v' }) }) }));
    await waitForStack(f.cfn, 'nest-fault');
    const childId = (await childOf('nest-fault', 'Child')).StackId!;
    expect(eventLines(await allEvents(f.cfn, childId))).toContain('Setting CREATE_FAILED Simulated by path');
  });

  it('a nested stack takes as long as its child\'s resources at the sandbox\'s time scale', async () => {
    const url = await publish('timing/child.json', template({ Queue: { Type: 'AWS::SQS::Queue', Properties: {} } }));
    f.sandbox.setTimeScale(0.005);
    try {
      await f.cfn.send(new CreateStackCommand({ StackName: 'nest-timing', TemplateBody: template({ Child: nested(url) }) }));
      expect((await waitForStack(f.cfn, 'nest-timing')).StackStatus).toBe('CREATE_COMPLETE');
    } finally {
      f.sandbox.setTimeScale(0.001);
    }
    const events = await allEvents(f.cfn, 'nest-timing');
    const at = (status: string) => events.find((e) => e.LogicalResourceId === 'Child' && e.ResourceStatus === status)!.Timestamp!.getTime();
    // A queue takes about 60 s (±10 %): 60 s × 0.005 = 300 ms at least 270 ms.
    expect(at('CREATE_COMPLETE') - at('CREATE_IN_PROGRESS')).toBeGreaterThanOrEqual(270);
  });

  it('a child updated directly (not through its parent) completes its update on its own', async () => {
    const url = await publish('direct/child.json', valueChild);
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-direct', TemplateBody: template({ Child: nested(url, { Value: 'v1' }) }) }));
    await waitForStack(f.cfn, 'nest-direct');
    const child = await childOf('nest-direct', 'Child');
    await f.cfn.send(new UpdateStackCommand({ StackName: child.StackId, UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Value', ParameterValue: 'v2' }] }));
    expect((await waitForStack(f.cfn, child.StackId!)).StackStatus).toBe('UPDATE_COMPLETE');
  });

  it('ContinueUpdateRollback on the parent continues a child\'s failed rollback', async () => {
    const url = await publish('continue/child.json', valueChild);
    const body = (value: string, timeout: number) =>
      template({ Child: nested(url, { Value: value }), Other: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: timeout }, DependsOn: 'Child' } });
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-continue', TemplateBody: body('v1', 20) }));
    await waitForStack(f.cfn, 'nest-continue');
    const child = await childOf('nest-continue', 'Child');
    // Slower, so the child is seen parked while its sibling (a queue, 60 s) updates and then fails.
    f.sandbox.setTimeScale(0.02);
    try {
      f.sandbox.faults.failResource({ stackName: 'nest-continue', logicalId: 'Other', operation: 'update', reason: 'Simulated: other failed' });
      await f.cfn.send(new UpdateStackCommand({ StackName: 'nest-continue', TemplateBody: body('v2', 30) }));
      await waitForStack(f.cfn, child.StackId!, (s) => s === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      f.sandbox.faults.failResource({ stackName: child.StackName, logicalId: 'Setting', operation: 'update', reason: 'Simulated: revert failed' });
    } finally {
      f.sandbox.setTimeScale(0.001);
    }
    const failed = await waitForStack(f.cfn, 'nest-continue');
    expect(failed.StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
    expect((await describe1(child.StackId!)).StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
    expect(eventLines(await allEvents(f.cfn, 'nest-continue'))).toContain(
      `Child UPDATE_FAILED Embedded stack ${child.StackId} was not successfully updated. Currently in UPDATE_ROLLBACK_FAILED with reason: The following resource(s) failed to update: [Setting]. `,
    );

    await f.cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'nest-continue' }));
    expect((await waitForStack(f.cfn, 'nest-continue')).StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(await describe1(child.StackId!)).toMatchObject({ StackStatus: 'UPDATE_ROLLBACK_COMPLETE', Parameters: [{ ParameterKey: 'Value', ParameterValue: 'v1' }] });
  });
});

describe('change sets on a parent with nested stacks', () => {
  const settled = async (id: string) => {
    for (;;) {
      const cs = await f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: id }));
      if (!String(cs.Status).endsWith('_PENDING') && cs.Status !== 'CREATE_IN_PROGRESS') return cs;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const executed = async (id: string) => {
    for (;;) {
      const cs = await f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: id }));
      if (cs.ExecutionStatus !== 'EXECUTE_IN_PROGRESS') return cs;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('without IncludeNestedStacks a nested stack is always Modify: Automatic when its properties did not change, Dynamic for what reads its outputs', async () => {
    const url = await publish('cs/plain.json', valueChild);
    const body = (b: string) => template({ A: nested(url, { Value: 'a' }), B: nested(url, { Value: b }), Reader: ssmParameter({ 'Fn::GetAtt': ['A', 'Outputs.Echo'] }) });
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-cs-plain', TemplateBody: body('b1') }));
    await waitForStack(f.cfn, 'nest-cs-plain');
    const { Id } = await f.cfn.send(new CreateChangeSetCommand({ StackName: 'nest-cs-plain', ChangeSetName: 'plain', TemplateBody: body('b2') }));
    const cs = await settled(Id!);
    expect(cs).toMatchObject({ Status: 'CREATE_COMPLETE', IncludeNestedStacks: false });
    const change = (id: string) => cs.Changes!.find((c) => c.ResourceChange!.LogicalResourceId === id)!.ResourceChange!;
    expect(change('A')).toMatchObject({
      Action: 'Modify',
      Replacement: 'False',
      Scope: ['Properties'],
      Details: [{ Target: { Attribute: 'Properties', RequiresRecreation: 'Never' }, Evaluation: 'Dynamic', ChangeSource: 'Automatic' }],
    });
    expect(change('A').ChangeSetId).toBeUndefined();
    expect(change('B').Details).toEqual([{ Target: { Attribute: 'Properties', Name: 'Parameters', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'DirectModification' }]);
    expect(change('Reader').Details).toEqual([
      { Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Never' }, Evaluation: 'Dynamic', ChangeSource: 'ResourceAttribute', CausingEntity: 'A.Outputs.Echo' },
    ]);
  });

  it('with IncludeNestedStacks each modified child gets a nested change set, described on its own and executed only from the root', async () => {
    const url = await publish('cs/include.json', valueChild);
    const body = (a: string, b: string) => template({ A: nested(url, { Value: a }), B: nested(url, { Value: b }) });
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-cs-include', TemplateBody: body('a1', 'b1') }));
    await waitForStack(f.cfn, 'nest-cs-include');
    const a = await childOf('nest-cs-include', 'A');
    const { Id: rootId } = await f.cfn.send(new CreateChangeSetCommand({ StackName: 'nest-cs-include', ChangeSetName: 'include', TemplateBody: body('a2', 'b1'), IncludeNestedStacks: true }));
    const root = await settled(rootId!);
    expect(root).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', IncludeNestedStacks: true });
    expect(root.ParentChangeSetId).toBeUndefined();
    const aChange = root.Changes!.find((c) => c.ResourceChange!.LogicalResourceId === 'A')!.ResourceChange!;
    expect(aChange.ChangeSetId).toMatch(/^arn:aws:cloudformation:us-east-1:111111111111:changeSet\//);

    const child = await f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: aChange.ChangeSetId }));
    expect(child).toMatchObject({
      StackId: a.StackId,
      StackName: a.StackName,
      ParentChangeSetId: rootId,
      RootChangeSetId: rootId,
      IncludeNestedStacks: true,
      Status: 'CREATE_COMPLETE',
      StatusReason: 'Executable from root change set',
      ExecutionStatus: 'UNAVAILABLE',
    });
    expect(child.Changes!.map((c) => c.ResourceChange)).toEqual([
      expect.objectContaining({
        Action: 'Modify',
        LogicalResourceId: 'Setting',
        Details: [{ Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'ParameterReference', CausingEntity: 'Value' }],
      }),
    ]);
    // The unchanged child's nested change set has no changes.
    const bChange = root.Changes!.find((c) => c.ResourceChange!.LogicalResourceId === 'B')!.ResourceChange!;
    expect((await f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: bChange.ChangeSetId }))).Changes).toEqual([]);

    await expect(f.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: aChange.ChangeSetId }))).rejects.toMatchObject({ name: 'InvalidChangeSetStatusException' });
    await expect(f.cfn.send(new DeleteChangeSetCommand({ ChangeSetName: aChange.ChangeSetId }))).rejects.toMatchObject({ name: 'ValidationError' });
    await f.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: rootId }));
    expect((await waitForStack(f.cfn, 'nest-cs-include')).StackStatus).toBe('UPDATE_COMPLETE');
    expect(await executed(rootId!)).toMatchObject({ ExecutionStatus: 'EXECUTE_COMPLETE' });
    expect(await executed(aChange.ChangeSetId!)).toMatchObject({ ExecutionStatus: 'EXECUTE_COMPLETE' });
    expect(await describe1(a.StackId!)).toMatchObject({ Parameters: [{ ParameterKey: 'Value', ParameterValue: 'a2' }], ChangeSetId: aChange.ChangeSetId });
  });

  it('a CREATE change set with IncludeNestedStacks makes new children for review; executing creates those same stacks, deleting it removes them', async () => {
    const url = await publish('cs/create.json', valueChild);
    const body = template({ Child: nested(url, { Value: 'v' }), Reader: ssmParameter({ 'Fn::GetAtt': ['Child', 'Outputs.Echo'] }) });
    const { Id: discardedId } = await f.cfn.send(new CreateChangeSetCommand({ StackName: 'nest-cs-discard', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: body, IncludeNestedStacks: true }));
    const discarded = await settled(discardedId!);
    const reviewId = discarded.Changes![0]!.ResourceChange!.ChangeSetId!;
    const review = await f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: reviewId }));
    expect(await describe1(review.StackId!)).toMatchObject({ StackStatus: 'REVIEW_IN_PROGRESS', ParentId: discarded.StackId, RootId: discarded.StackId });
    await f.cfn.send(new DeleteChangeSetCommand({ ChangeSetName: discardedId }));
    expect((await describe1(review.StackId!)).StackStatus).toBe('DELETE_COMPLETE');
    await expect(f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: reviewId }))).rejects.toMatchObject({ name: 'ChangeSetNotFoundException' });

    const { Id } = await f.cfn.send(new CreateChangeSetCommand({ StackName: 'nest-cs-create', ChangeSetName: 'create', ChangeSetType: 'CREATE', TemplateBody: body, IncludeNestedStacks: true }));
    const root = await settled(Id!);
    expect(root.Changes!.map((c) => `${c.ResourceChange!.Action} ${c.ResourceChange!.LogicalResourceId}`)).toEqual(['Add Child', 'Add Reader']);
    const nestedSet = await f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: root.Changes![0]!.ResourceChange!.ChangeSetId }));
    expect(nestedSet.Changes!.map((c) => `${c.ResourceChange!.Action} ${c.ResourceChange!.LogicalResourceId}`)).toEqual(['Add Setting']);
    await f.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    expect((await waitForStack(f.cfn, 'nest-cs-create')).StackStatus).toBe('CREATE_COMPLETE');
    const child = await childOf('nest-cs-create', 'Child');
    expect(child).toMatchObject({ StackId: nestedSet.StackId, StackStatus: 'CREATE_COMPLETE', ChangeSetId: nestedSet.ChangeSetId });
    expect(eventLines(await allEvents(f.cfn, child.StackId!))[0]).toBe(`${child.StackName} REVIEW_IN_PROGRESS User Initiated`);
  });

  it('a nested change set that cannot be made fails its root, saying which one', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const url = await publish('cs/role.json', template({ Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust } } }));
    const { Id } = await f.cfn.send(new CreateChangeSetCommand({ StackName: 'nest-cs-caps', ChangeSetName: 'caps', ChangeSetType: 'CREATE', TemplateBody: template({ Child: nested(url) }), IncludeNestedStacks: true }));
    const root = await settled(Id!);
    expect(root.Status).toBe('FAILED');
    expect(root.StatusReason).toMatch(/^Nested change set arn:aws:cloudformation:us-east-1:111111111111:changeSet\/\S+ was not successfully created: Currently in FAILED\.$/);
    expect(root.ExecutionStatus).toBe('UNAVAILABLE');
  });

  it('a child parameter fed by a sibling\'s output shows as a dynamic change in the nested change set', async () => {
    const url = await publish('cs/chain.json', valueChild);
    const body = (first: string) => template({ First: nested(url, { Value: first }), Second: nested(url, { Value: { 'Fn::GetAtt': ['First', 'Outputs.Echo'] } }) });
    await f.cfn.send(new CreateStackCommand({ StackName: 'nest-cs-chain', TemplateBody: body('1') }));
    await waitForStack(f.cfn, 'nest-cs-chain');
    const { Id } = await f.cfn.send(new CreateChangeSetCommand({ StackName: 'nest-cs-chain', ChangeSetName: 'chain', TemplateBody: body('2'), IncludeNestedStacks: true }));
    const root = await settled(Id!);
    const second = root.Changes!.find((c) => c.ResourceChange!.LogicalResourceId === 'Second')!.ResourceChange!;
    expect(second.Details).toEqual([
      { Target: { Attribute: 'Properties', Name: 'Parameters', RequiresRecreation: 'Never' }, Evaluation: 'Dynamic', ChangeSource: 'ResourceAttribute', CausingEntity: 'First.Outputs.Echo' },
    ]);
    const nestedSet = await f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: second.ChangeSetId }));
    expect(nestedSet.Changes!.map((c) => c.ResourceChange!.Details)).toEqual([
      [{ Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Never' }, Evaluation: 'Dynamic', ChangeSource: 'ParameterReference', CausingEntity: 'Value' }],
    ]);
    await f.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    expect((await waitForStack(f.cfn, 'nest-cs-chain')).StackStatus).toBe('UPDATE_COMPLETE');
    expect((await childOf('nest-cs-chain', 'Second')).Parameters).toEqual([{ ParameterKey: 'Value', ParameterValue: '2' }]);
  });
});
