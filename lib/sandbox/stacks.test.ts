import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateStackCommand,
  CancelUpdateStackCommand,
  DescribeStackEventsCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, eventLines, sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture();
});
afterAll(() => f.sandbox.close());

const chain = template({ First: ssmParameter('first'), Second: ssmParameter({ Ref: 'First' }) }, { Outputs: { SecondName: { Value: { Ref: 'Second' } } } });

describe('stack lifecycle through the SDK', () => {
  it('create: resources start in dependency order, each IN_PROGRESS, "Resource creation Initiated", COMPLETE', async () => {
    const { StackId } = await f.cfn.send(new CreateStackCommand({ StackName: 'create-order', TemplateBody: chain }));
    const stack = await waitForStack(f.cfn, 'create-order');

    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const events = await allEvents(f.cfn, 'create-order');
    expect(eventLines(events)).toEqual([
      'create-order CREATE_IN_PROGRESS User Initiated',
      'First CREATE_IN_PROGRESS',
      'First CREATE_IN_PROGRESS Resource creation Initiated',
      'First CREATE_COMPLETE',
      'Second CREATE_IN_PROGRESS',
      'Second CREATE_IN_PROGRESS Resource creation Initiated',
      'Second CREATE_COMPLETE',
      'create-order CREATE_COMPLETE',
    ]);
    const stackEvents = events.filter((e) => e.LogicalResourceId === 'create-order');
    expect(stackEvents.every((e) => e.ResourceType === 'AWS::CloudFormation::Stack' && e.PhysicalResourceId === StackId)).toBe(true);
    expect(new Set(events.map((e) => e.EventId)).size).toBe(events.length);
    expect(events[1]!.PhysicalResourceId).toBe('');
    const second = events.find((e) => e.LogicalResourceId === 'Second' && e.ResourceStatus === 'CREATE_COMPLETE')!;
    expect(stack.Outputs).toEqual([{ OutputKey: 'SecondName', OutputValue: second.PhysicalResourceId }]);
  });

  it('create: independent resources run in parallel, dependents wait for all their dependencies', async () => {
    const body = template({ Left: ssmParameter('l'), Right: ssmParameter('r'), Both: ssmParameter({ 'Fn::Join': [',', [{ Ref: 'Left' }, { Ref: 'Right' }]] }) });
    await f.cfn.send(new CreateStackCommand({ StackName: 'parallel', TemplateBody: body }));
    await waitForStack(f.cfn, 'parallel');

    const lines = eventLines(await allEvents(f.cfn, 'parallel'));
    const at = (line: string) => lines.indexOf(line);
    expect(Math.max(at('Left CREATE_IN_PROGRESS'), at('Right CREATE_IN_PROGRESS'))).toBeLessThan(Math.min(at('Left CREATE_COMPLETE'), at('Right CREATE_COMPLETE')));
    expect(at('Both CREATE_IN_PROGRESS')).toBeGreaterThan(Math.max(at('Left CREATE_COMPLETE'), at('Right CREATE_COMPLETE')));
  });

  it('update: in-place updates keep the physical id, replacements create a new one and delete the old at cleanup', async () => {
    const vpcId = (await f.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
    const v = (value: string, description: string) =>
      template(
        { Setting: ssmParameter(value), Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: description, VpcId: { Ref: 'VpcId' } } } },
        { Parameters: { VpcId: { Type: 'AWS::EC2::VPC::Id' } } },
      );
    const parameters = [{ ParameterKey: 'VpcId', ParameterValue: vpcId }];
    await f.cfn.send(new CreateStackCommand({ StackName: 'updates', TemplateBody: v('one', 'first'), Parameters: parameters }));
    await waitForStack(f.cfn, 'updates');
    const before = (await f.cfn.send(new DescribeStackResourcesCommand({ StackName: 'updates' }))).StackResources!;
    const physical = (resources: typeof before, id: string) => resources.find((r) => r.LogicalResourceId === id)!.PhysicalResourceId!;
    const created = (await allEvents(f.cfn, 'updates')).length;

    await f.cfn.send(new UpdateStackCommand({ StackName: 'updates', TemplateBody: v('two', 'second'), Parameters: parameters }));
    const stack = await waitForStack(f.cfn, 'updates');

    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    const after = (await f.cfn.send(new DescribeStackResourcesCommand({ StackName: 'updates' }))).StackResources!;
    expect(physical(after, 'Setting')).toBe(physical(before, 'Setting'));
    expect(physical(after, 'Group')).not.toBe(physical(before, 'Group'));
    const events = (await allEvents(f.cfn, 'updates')).slice(created);
    const lines = eventLines(events);
    expect(lines[0]).toBe('updates UPDATE_IN_PROGRESS User Initiated');
    expect(lines.filter((l) => l.startsWith('Setting'))).toEqual(['Setting UPDATE_IN_PROGRESS', 'Setting UPDATE_COMPLETE']);
    expect(lines.filter((l) => l.startsWith('Group'))).toEqual([
      'Group UPDATE_IN_PROGRESS',
      'Group UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource; hence creating one.',
      'Group UPDATE_COMPLETE',
      'Group DELETE_IN_PROGRESS',
      'Group DELETE_COMPLETE',
    ]);
    const cleanup = lines.indexOf('updates UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(cleanup).toBeGreaterThan(lines.indexOf('Group UPDATE_COMPLETE'));
    expect(lines.indexOf('Group DELETE_IN_PROGRESS')).toBeGreaterThan(cleanup);
    expect(lines[lines.length - 1]).toBe('updates UPDATE_COMPLETE');
    expect(events.find((e) => e.ResourceStatus === 'DELETE_COMPLETE')!.PhysicalResourceId).toBe(physical(before, 'Group'));
  });

  it('update: an identical template and parameters is refused with "No updates are to be performed."', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'noop', TemplateBody: chain }));
    await waitForStack(f.cfn, 'noop');
    await expect(f.cfn.send(new UpdateStackCommand({ StackName: 'noop', TemplateBody: chain }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'No updates are to be performed.',
    });
    await expect(f.cfn.send(new UpdateStackCommand({ StackName: 'noop', UsePreviousTemplate: true }))).rejects.toThrow('No updates are to be performed.');
  });

  it('update: resources removed from the template are deleted during cleanup', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'shrink', TemplateBody: chain }));
    await waitForStack(f.cfn, 'shrink');
    await f.cfn.send(new UpdateStackCommand({ StackName: 'shrink', TemplateBody: template({ First: ssmParameter('first') }) }));
    await waitForStack(f.cfn, 'shrink');

    const lines = eventLines(await allEvents(f.cfn, 'shrink'));
    expect(lines.slice(-4)).toEqual(['shrink UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'Second DELETE_IN_PROGRESS', 'Second DELETE_COMPLETE', 'shrink UPDATE_COMPLETE']);
    const resources = (await f.cfn.send(new ListStackResourcesCommand({ StackName: 'shrink' }))).StackResourceSummaries!;
    expect(resources.map((r) => r.LogicalResourceId)).toEqual(['First']);
  });

  it('delete: resources go in reverse dependency order; the name is free again, the ARN still answers', async () => {
    const { StackId } = await f.cfn.send(new CreateStackCommand({ StackName: 'doomed', TemplateBody: chain }));
    await waitForStack(f.cfn, 'doomed');
    const created = (await allEvents(f.cfn, 'doomed')).length;

    await f.cfn.send(new DeleteStackCommand({ StackName: 'doomed' }));
    const gone = await waitForStack(f.cfn, StackId!);

    expect(gone.StackStatus).toBe('DELETE_COMPLETE');
    expect(eventLines((await allEvents(f.cfn, StackId!)).slice(created))).toEqual([
      'doomed DELETE_IN_PROGRESS User Initiated',
      'Second DELETE_IN_PROGRESS',
      'Second DELETE_COMPLETE',
      'First DELETE_IN_PROGRESS',
      'First DELETE_COMPLETE',
      'doomed DELETE_COMPLETE',
    ]);
    await expect(f.cfn.send(new DescribeStacksCommand({ StackName: 'doomed' }))).rejects.toMatchObject({ name: 'ValidationError', message: 'Stack with id doomed does not exist' });
    const summaries = (await f.cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }))).StackSummaries!;
    expect(summaries.map((s) => s.StackId)).toContain(StackId);
    await expect(f.cfn.send(new DeleteStackCommand({ StackName: 'doomed' }))).resolves.toBeDefined();
  });

  it('idempotency: a repeated ClientRequestToken returns the same result without a second operation; events carry the token', async () => {
    const request = { StackName: 'tokens', TemplateBody: chain, ClientRequestToken: 'create-1' };
    const first = await f.cfn.send(new CreateStackCommand(request));
    const again = await f.cfn.send(new CreateStackCommand(request));
    expect(again.StackId).toBe(first.StackId);
    await waitForStack(f.cfn, 'tokens');
    await expect(f.cfn.send(new CreateStackCommand({ StackName: 'tokens', TemplateBody: chain }))).rejects.toMatchObject({
      name: 'AlreadyExistsException',
      message: 'Stack [tokens] already exists',
    });

    const update = { StackName: 'tokens', TemplateBody: template({ First: ssmParameter('changed') }), ClientRequestToken: 'update-1' };
    await f.cfn.send(new UpdateStackCommand(update));
    await waitForStack(f.cfn, 'tokens');
    await f.cfn.send(new UpdateStackCommand(update));
    await waitForStack(f.cfn, 'tokens');

    await expect(f.cfn.send(new UpdateStackCommand({ ...update, ClientRequestToken: 'not a token!' }))).rejects.toThrow(
      "at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9][-a-zA-Z0-9]*",
    );
    const events = await allEvents(f.cfn, 'tokens');
    const started = eventLines(events).filter((l) => l.endsWith('User Initiated'));
    expect(started).toEqual(['tokens CREATE_IN_PROGRESS User Initiated', 'tokens UPDATE_IN_PROGRESS User Initiated']);
    expect(new Set(events.map((e) => e.ClientRequestToken))).toEqual(new Set(['create-1', 'update-1']));
  });

  it('DescribeStackEvents: newest first, 100 per page, NextToken continues with older events, EventIds unique', async () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`P${i}`, ssmParameter(String(i))]));
    await f.cfn.send(new CreateStackCommand({ StackName: 'many', TemplateBody: template(many) }));
    await waitForStack(f.cfn, 'many');

    const first = await f.cfn.send(new DescribeStackEventsCommand({ StackName: 'many' }));
    expect(first.StackEvents).toHaveLength(100);
    expect(first.StackEvents![0]!.ResourceStatus).toBe('CREATE_COMPLETE');
    expect(first.StackEvents![0]!.LogicalResourceId).toBe('many');
    const second = await f.cfn.send(new DescribeStackEventsCommand({ StackName: 'many', NextToken: first.NextToken }));
    expect(second.StackEvents).toHaveLength(40 * 3 + 2 - 100);
    expect(second.NextToken).toBeUndefined();
    const all = [...first.StackEvents!, ...second.StackEvents!];
    expect(all[all.length - 1]!.ResourceStatusReason).toBe('User Initiated');
    expect(new Set(all.map((e) => e.EventId)).size).toBe(all.length);
    const times = all.map((e) => e.Timestamp!.getTime());
    expect(times.every((t, i) => i === 0 || t <= times[i - 1]!)).toBe(true);
  });

  it('CancelUpdateStack rolls an update back, cancelling resources in flight', async () => {
    const slow = await sandboxFixture();
    try {
      const queue = (timeout: number) => template({ Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: timeout } } });
      await slow.cfn.send(new CreateStackCommand({ StackName: 'cancel', TemplateBody: queue(30) }));
      await waitForStack(slow.cfn, 'cancel');
      // Given an update that takes a real minute (SQS queue updates do)
      slow.sandbox.setTimeScale(1);
      await slow.cfn.send(new UpdateStackCommand({ StackName: 'cancel', TemplateBody: queue(60) }));

      // When it is cancelled mid-way, and the rollback runs at test speed
      await expect(slow.cfn.send(new CancelUpdateStackCommand({ StackName: 'cancel' }))).resolves.toBeDefined();
      slow.sandbox.setTimeScale(0.001);
      const stack = await waitForStack(slow.cfn, 'cancel');

      // Then the queue update is cancelled and the stack is back where it was
      expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
      const lines = eventLines(await allEvents(slow.cfn, 'cancel'));
      expect(lines).toContain('Queue UPDATE_FAILED Resource update cancelled');
      expect(lines).toContain('cancel UPDATE_ROLLBACK_IN_PROGRESS Resource update cancelled');
      await expect(slow.cfn.send(new CancelUpdateStackCommand({ StackName: 'cancel' }))).rejects.toThrow('CancelUpdateStack cannot be called from current stack status');
      const body = (await slow.cfn.send(new GetTemplateCommand({ StackName: 'cancel' }))).TemplateBody;
      expect(body).toBe(queue(30));
    } finally {
      await slow.sandbox.close();
    }
  });
});
