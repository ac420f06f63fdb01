import { ContinueUpdateRollbackCommand, CreateStackCommand, DeleteStackCommand, GetTemplateCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, eventLines, sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture();
});
afterEach(() => f.sandbox.faults.clear());
afterAll(() => f.sandbox.close());

const queue = { Type: 'AWS::SQS::Queue', Properties: {} };

describe('failures and rollbacks through the SDK', () => {
  it('create failure: CREATE_FAILED, in-flight resources cancelled, ROLLBACK_IN_PROGRESS, deletes in reverse order, ROLLBACK_COMPLETE', async () => {
    f.sandbox.faults.failResource({ logicalId: 'Broken', operation: 'create', reason: 'Simulated failure: quota exceeded' });
    const body = template({ Base: ssmParameter('base'), Broken: ssmParameter({ Ref: 'Base' }), Slow: queue });
    // Slow enough that the queue (60 s) is still in flight when Broken (2 s after Base) fails, even on a busy machine.
    f.sandbox.setTimeScale(0.01);
    await f.cfn.send(new CreateStackCommand({ StackName: 'rollback', TemplateBody: body }));
    const stack = await waitForStack(f.cfn, 'rollback').finally(() => f.sandbox.setTimeScale(0.001));

    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const lines = eventLines(await allEvents(f.cfn, 'rollback'));
    const failedAt = lines.indexOf('Broken CREATE_FAILED Simulated failure: quota exceeded');
    expect(failedAt).toBeGreaterThan(lines.indexOf('Broken CREATE_IN_PROGRESS Resource creation Initiated'));
    expect(lines[failedAt + 1]).toBe('Slow CREATE_FAILED Resource creation cancelled');
    expect(lines[failedAt + 2]).toBe('rollback ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Broken, Slow]. Rollback requested by user.');
    const rollback = lines.slice(failedAt + 3);
    expect(rollback.indexOf('Base DELETE_IN_PROGRESS')).toBeGreaterThan(rollback.indexOf('Broken DELETE_COMPLETE'));
    expect(rollback).toContain('Slow DELETE_COMPLETE');
    expect(rollback[rollback.length - 1]).toBe('rollback ROLLBACK_COMPLETE');
  });

  it('a failure that waits for another stack holds its resource in progress until that stack runs, then fails while it does', async () => {
    // Given a failure of Broken that waits for the stack "runner" to be in progress
    f.sandbox.faults.failResource({ stackName: 'held', logicalId: 'Broken', operation: 'create', reason: 'Injected while runner runs', whileInProgress: 'runner' });
    f.sandbox.setTimeScale(0.01);
    try {
      await f.cfn.send(new CreateStackCommand({ StackName: 'held', TemplateBody: template({ Broken: ssmParameter('x') }) }));
      // When Broken's 2 s have long passed (20 ms here) and runner does not exist
      await new Promise((resolve) => setTimeout(resolve, 400));
      // Then Broken is still being created
      expect(eventLines(await allEvents(f.cfn, 'held'))).toEqual(['held CREATE_IN_PROGRESS User Initiated', 'Broken CREATE_IN_PROGRESS', 'Broken CREATE_IN_PROGRESS Resource creation Initiated']);

      // When runner starts (a queue: 60 s, 600 ms here)
      await f.cfn.send(new CreateStackCommand({ StackName: 'runner', TemplateBody: template({ Slow: queue }) }));
      // Then held fails while runner is in progress, and runner goes on to complete
      expect((await waitForStack(f.cfn, 'held')).StackStatus).toBe('ROLLBACK_COMPLETE');
      expect((await waitForStack(f.cfn, 'runner')).StackStatus).toBe('CREATE_COMPLETE');
      const failed = (await allEvents(f.cfn, 'held')).find((e) => e.ResourceStatus === 'CREATE_FAILED')!;
      expect(failed.ResourceStatusReason).toBe('Injected while runner runs');
      const runner = (await allEvents(f.cfn, 'runner')).filter((e) => e.LogicalResourceId === 'runner');
      expect(failed.Timestamp!.getTime()).toBeGreaterThanOrEqual(runner[0]!.Timestamp!.getTime());
      expect(failed.Timestamp!.getTime()).toBeLessThan(runner.at(-1)!.Timestamp!.getTime());
    } finally {
      f.sandbox.setTimeScale(0.001);
    }
  });

  it('a held failure that is cleared lets its resource finish', async () => {
    // Given a failure held for a stack that is complete and stays so
    await f.cfn.send(new CreateStackCommand({ StackName: 'idle', TemplateBody: template({ Only: ssmParameter('x') }) }));
    await waitForStack(f.cfn, 'idle');
    f.sandbox.faults.failResource({ stackName: 'waiting', logicalId: 'Held', operation: 'create', reason: 'never', whileInProgress: 'idle' });
    await f.cfn.send(new CreateStackCommand({ StackName: 'waiting', TemplateBody: template({ Held: ssmParameter('x') }) }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await waitForStack(f.cfn, 'waiting', () => true)).StackStatus).toBe('CREATE_IN_PROGRESS');
    // When the faults are cleared, Then the resource finishes and the stack completes
    f.sandbox.faults.clear();
    expect((await waitForStack(f.cfn, 'waiting')).StackStatus).toBe('CREATE_COMPLETE');
  });

  it('a ROLLBACK_COMPLETE stack cannot be updated, only deleted', async () => {
    f.sandbox.faults.failResource({ logicalId: 'Only', operation: 'create', reason: 'nope' });
    const { StackId } = await f.cfn.send(new CreateStackCommand({ StackName: 'stuck', TemplateBody: template({ Only: ssmParameter('x') }) }));
    await waitForStack(f.cfn, 'stuck');

    await expect(f.cfn.send(new UpdateStackCommand({ StackName: 'stuck', TemplateBody: template({ Only: ssmParameter('y') }) }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: `Stack:${StackId} is in ROLLBACK_COMPLETE state and can not be updated.`,
    });
    await f.cfn.send(new DeleteStackCommand({ StackName: 'stuck' }));
    expect((await waitForStack(f.cfn, StackId!)).StackStatus).toBe('DELETE_COMPLETE');
  });

  it('OnFailure DO_NOTHING leaves CREATE_FAILED with the resources that were made', async () => {
    f.sandbox.faults.failResource({ logicalId: 'Broken', operation: 'create', reason: 'nope' });
    const body = template({ Base: ssmParameter('base'), Broken: ssmParameter({ Ref: 'Base' }) });
    await f.cfn.send(new CreateStackCommand({ StackName: 'keep', TemplateBody: body, OnFailure: 'DO_NOTHING' }));
    const stack = await waitForStack(f.cfn, 'keep');
    expect(stack.StackStatus).toBe('CREATE_FAILED');
    expect(stack.StackStatusReason).toBe('The following resource(s) failed to create: [Broken].');
    expect(stack.DisableRollback).toBe(true);
  });

  const v1 = template({ Setting: ssmParameter('one') });
  const v2 = template({ Extra: ssmParameter('extra'), Setting: ssmParameter({ Ref: 'Extra' }) });

  it('update failure: UPDATE_FAILED, UPDATE_ROLLBACK_IN_PROGRESS, reverts, cleanup deletes what the update created, UPDATE_ROLLBACK_COMPLETE', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'update-fails', TemplateBody: v1 }));
    await waitForStack(f.cfn, 'update-fails');
    const created = (await allEvents(f.cfn, 'update-fails')).length;
    f.sandbox.faults.failResource({ stackName: 'update-fails', logicalId: 'Setting', operation: 'update', reason: 'Simulated: invalid value' });

    await f.cfn.send(new UpdateStackCommand({ StackName: 'update-fails', TemplateBody: v2 }));
    const stack = await waitForStack(f.cfn, 'update-fails');

    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(eventLines((await allEvents(f.cfn, 'update-fails')).slice(created))).toEqual([
      'update-fails UPDATE_IN_PROGRESS User Initiated',
      'Extra CREATE_IN_PROGRESS',
      'Extra CREATE_IN_PROGRESS Resource creation Initiated',
      'Extra CREATE_COMPLETE',
      'Setting UPDATE_IN_PROGRESS',
      'Setting UPDATE_FAILED Simulated: invalid value',
      'update-fails UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Setting]. ',
      'Setting UPDATE_IN_PROGRESS',
      'Setting UPDATE_COMPLETE',
      'update-fails UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'Extra DELETE_IN_PROGRESS',
      'Extra DELETE_COMPLETE',
      'update-fails UPDATE_ROLLBACK_COMPLETE',
    ]);
    expect((await f.cfn.send(new GetTemplateCommand({ StackName: 'update-fails' }))).TemplateBody).toBe(v1);
    await f.cfn.send(new UpdateStackCommand({ StackName: 'update-fails', TemplateBody: v2 }));
    expect((await waitForStack(f.cfn, 'update-fails')).StackStatus).toBe('UPDATE_COMPLETE');
  });

  it('an update failing both a new and a changed resource names each kind in the rollback reason', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'both-fail', TemplateBody: v1 }));
    await waitForStack(f.cfn, 'both-fail');
    f.sandbox.faults.failResource({ logicalId: 'Fresh', operation: 'create', reason: 'no capacity' });
    f.sandbox.faults.failResource({ logicalId: 'Setting', operation: 'update', reason: 'invalid' });

    await f.cfn.send(new UpdateStackCommand({ StackName: 'both-fail', TemplateBody: template({ Setting: ssmParameter('two'), Fresh: ssmParameter('new') }) }));
    await waitForStack(f.cfn, 'both-fail');

    expect(eventLines(await allEvents(f.cfn, 'both-fail'))).toContain(
      'both-fail UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Fresh]. The following resource(s) failed to update: [Setting]. ',
    );
  });

  it('a failing rollback reaches UPDATE_ROLLBACK_FAILED; ContinueUpdateRollback finishes it', async () => {
    const { StackId } = await f.cfn.send(new CreateStackCommand({ StackName: 'rollback-fails', TemplateBody: v1 }));
    await waitForStack(f.cfn, 'rollback-fails');
    f.sandbox.faults.failResource({ logicalId: 'Setting', operation: 'update', reason: 'Simulated: throttled by the service', times: 2 });

    await f.cfn.send(new UpdateStackCommand({ StackName: 'rollback-fails', TemplateBody: v2 }));
    const failed = await waitForStack(f.cfn, 'rollback-fails');

    expect(failed.StackStatus).toBe('UPDATE_ROLLBACK_FAILED');
    expect(failed.StackStatusReason).toBe('The following resource(s) failed to update: [Setting]. ');
    await expect(f.cfn.send(new UpdateStackCommand({ StackName: 'rollback-fails', TemplateBody: v2 }))).rejects.toThrow(
      `Stack:${StackId} is in UPDATE_ROLLBACK_FAILED state and can not be updated.`,
    );
    await f.cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'rollback-fails' }));
    const recovered = await waitForStack(f.cfn, 'rollback-fails');

    expect(recovered.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const lines = eventLines(await allEvents(f.cfn, 'rollback-fails'));
    const resumed = lines.lastIndexOf('rollback-fails UPDATE_ROLLBACK_IN_PROGRESS User Initiated');
    expect(lines.slice(resumed)).toEqual([
      'rollback-fails UPDATE_ROLLBACK_IN_PROGRESS User Initiated',
      'Setting UPDATE_IN_PROGRESS',
      'Setting UPDATE_COMPLETE',
      'rollback-fails UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'Extra DELETE_IN_PROGRESS',
      'Extra DELETE_COMPLETE',
      'rollback-fails UPDATE_ROLLBACK_COMPLETE',
    ]);
    await expect(f.cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'rollback-fails' }))).rejects.toThrow('can not continue update rollback');
  });

  it('ContinueUpdateRollback with ResourcesToSkip marks the resource UPDATE_COMPLETE and finishes', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'skip', TemplateBody: v1 }));
    await waitForStack(f.cfn, 'skip');
    f.sandbox.faults.failResource({ logicalId: 'Setting', operation: 'update', reason: 'still broken', times: 3 });
    await f.cfn.send(new UpdateStackCommand({ StackName: 'skip', TemplateBody: v2 }));
    await waitForStack(f.cfn, 'skip');

    await expect(f.cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'skip', ResourcesToSkip: ['Extra'] }))).rejects.toThrow('cannot be skipped');
    await f.cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'skip', ResourcesToSkip: ['Setting'] }));
    const stack = await waitForStack(f.cfn, 'skip');

    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, 'skip'))).toContain('Setting UPDATE_COMPLETE Resource skipped during UpdateRollback');
  });

  it('delete failure: DELETE_FAILED, then a retry with RetainResources completes', async () => {
    const { StackId } = await f.cfn.send(new CreateStackCommand({ StackName: 'sticky', TemplateBody: v1 }));
    await waitForStack(f.cfn, 'sticky');
    f.sandbox.faults.failResource({ logicalId: 'Setting', operation: 'delete', reason: 'Resource is in use' });

    await f.cfn.send(new DeleteStackCommand({ StackName: 'sticky' }));
    const failed = await waitForStack(f.cfn, 'sticky');
    expect(failed.StackStatus).toBe('DELETE_FAILED');
    expect(failed.StackStatusReason).toBe('The following resource(s) failed to delete: [Setting]. ');

    await f.cfn.send(new DeleteStackCommand({ StackName: 'sticky', RetainResources: ['Setting'] }));
    expect((await waitForStack(f.cfn, StackId!)).StackStatus).toBe('DELETE_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, StackId!))).toContain('Setting DELETE_SKIPPED');
  });

  it('DeleteStack during CREATE_IN_PROGRESS cancels the creation and deletes what exists', async () => {
    const slow = await sandboxFixture();
    try {
      slow.sandbox.setTimeScale(1);
      const { StackId } = await slow.cfn.send(new CreateStackCommand({ StackName: 'abandon', TemplateBody: template({ Quick: ssmParameter('q'), Slow: queue }) }));
      expect((await waitForStack(slow.cfn, 'abandon', () => true)).StackStatus).toBe('CREATE_IN_PROGRESS');
      await slow.cfn.send(new DeleteStackCommand({ StackName: 'abandon' }));
      slow.sandbox.setTimeScale(0.001);
      const stack = await waitForStack(slow.cfn, StackId!);

      expect(stack.StackStatus).toBe('DELETE_COMPLETE');
      const lines = eventLines(await allEvents(slow.cfn, StackId!));
      expect(lines).toContain('Slow CREATE_FAILED Resource creation cancelled');
      expect(lines.slice(-1)).toEqual(['abandon DELETE_COMPLETE']);
    } finally {
      await slow.sandbox.close();
    }
  });
});
