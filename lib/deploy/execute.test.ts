// A replica that may no longer drive a run changes no stack: the check before every change
// (RunEnv.beforeChange) runs after the last store write and before ExecuteChangeSet or DeleteStack.
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsContext } from '@/lib/aws/clients';
import { defaultPlan2025 } from '@/lib/plan/testing/line-2025';
import { LINE_2025 } from '@/templates/line-2025';
import { pause } from '@/lib/pause';
import { sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from '@/lib/sandbox/testing';
import { withDb } from '@/lib/store/db';
import { runEventsSince } from '@/lib/store/run-events';
import { getRun, runStacks } from '@/lib/store/runs';
import { insertRun } from '@/lib/store/testing/runs';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { applyChangeSet, deleteStack } from './execute';
import { NotDriving, type RunEnv } from './run-env';
import { scopeOf } from './scope';


/** A CloudFormation client that knows one stack and records every call it gets. */
function recordingClient(calls: string[]): CloudFormationClient {
  const send = (command: { constructor: { name: string } }) => {
    calls.push(command.constructor.name.replace(/Command$/, ''));
    if (command.constructor.name === 'DescribeStacksCommand')
      return Promise.resolve({ Stacks: [{ StackName: 'x-vpc', StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/x-vpc/1', StackStatus: 'CREATE_COMPLETE', Outputs: [] }] });
    // What happens after the call is not the point here: stop there.
    if (command.constructor.name === 'ExecuteChangeSetCommand') return Promise.reject(new Error('recorded; stop here'));
    return Promise.resolve({});
  };
  return { send } as unknown as CloudFormationClient;
}

async function envWith(calls: string[], beforeChange: () => Promise<void>): Promise<RunEnv> {
  await insertRun('r1');
  await withDb((db) =>
    db
      .insertInto('run_stacks')
      .values({ run_id: 'r1', position: 0, stack_id: 'vpc', stack_name: 'x-vpc', action: 'update', status: 'previewed', change_set_id: 'cs-1', changes: JSON.stringify({ list: [], fromTemplate: false }) })
      .execute(),
  );
  const plan = defaultPlan2025();
  const context = { cloudFormation: recordingClient(calls) } as unknown as AwsContext;
  return {
    run: (await getRun('r1'))!,
    plan,
    line: LINE_2025,
    scope: scopeOf(plan, LINE_2025, { kind: 'deploy' }),
    context,
    accessOf: () => ({ context, account: '111111111111' }),
    secrets: () => ({}),
    pollMs: 10,
    beforeChange,
  };
}

describe('a replica that no longer drives the run', () => {
  setupTempStore();
  const options = { timeoutMs: 60_000, maxParallel: 1 };

  it('does not execute the previewed change set', async () => {
    const calls: string[] = [];
    const env = await envWith(calls, () => Promise.reject(new NotDriving('r1')));
    const [stack] = await runStacks('r1');
    await expect(applyChangeSet(env, env.scope.find((s) => s.stack.meta.id === 'vpc')!, stack!, options, 'preview')).rejects.toBeInstanceOf(NotDriving);
    expect(calls).toEqual(['DescribeStacks']);
  });

  it('does not delete the stack', async () => {
    const calls: string[] = [];
    const env = await envWith(calls, () => Promise.reject(new NotDriving('r1')));
    const [stack] = await runStacks('r1');
    await expect(deleteStack(env, stack!, options)).rejects.toBeInstanceOf(NotDriving);
    // only the read of its ARN, before the check
    expect(calls).toEqual(['DescribeStacks']);
  });

  it('while it still drives, the change set is executed after the check', async () => {
    const calls: string[] = [];
    const env = await envWith(calls, async () => void calls.push('check'));
    const [stack] = await runStacks('r1');
    await expect(applyChangeSet(env, env.scope.find((s) => s.stack.meta.id === 'vpc')!, stack!, options, 'preview')).rejects.toThrow('recorded; stop here');
    expect(calls).toEqual(['DescribeStacks', 'check', 'ExecuteChangeSet']);
  });
});

describe('a delete that ends before its events are first read', () => {
  setupTempStore();
  let f: Fixture;
  beforeAll(async () => void (f = await sandboxFixture({ timeScale: 0.001 })));
  afterAll(async () => f.sandbox.close());

  /** A client whose DescribeStackEvents calls wait until the stack's name finds nothing any more. */
  function lateEventsClient(stackName: string) {
    const client = new CloudFormationClient(f.config);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DescribeStackEventsCommand')
          while ((await f.cfn.send(new DescribeStacksCommand({ StackName: stackName })).catch(() => undefined))?.Stacks?.length) await pause(5);
        return next(args);
      },
      { step: 'initialize', name: 'holdDescribeStackEvents' },
    );
    return client;
  }

  it('keeps its events up to DELETE_COMPLETE in the run', async () => {
    // Given a stack the run deletes, whose delete is over before the watcher's first look
    await f.cfn.send(new CreateStackCommand({ StackName: 'x-vpc', TemplateBody: template({ P0: ssmParameter('a'), P1: ssmParameter('b') }) }));
    await waitForStack(f.cfn, 'x-vpc');
    const env = await envWith([], async () => {});
    const context = { cloudFormation: lateEventsClient('x-vpc') } as unknown as AwsContext;
    const [stack] = await runStacks('r1');

    // When the run deletes it
    await deleteStack({ ...env, context, accessOf: () => ({ context, account: '111111111111' }) }, stack!, { timeoutMs: 60_000, maxParallel: 1 });

    // Then the run holds the delete's events, found by the stack's ARN, its own DELETE_COMPLETE last
    const events = (await runEventsSince('r1', 0, 1000)).flatMap((e) => (e.event.type === 'stack-event' ? [e.event.event] : []));
    expect(events.map((e) => `${e.logicalId} ${e.status}`)).toEqual(expect.arrayContaining(['x-vpc DELETE_IN_PROGRESS', 'P0 DELETE_COMPLETE', 'P1 DELETE_COMPLETE']));
    expect(events.at(-1)).toMatchObject({ logicalId: 'x-vpc', status: 'DELETE_COMPLETE' });
    expect((await runStacks('r1'))[0]).toMatchObject({ status: 'complete', stackStatus: 'DELETE_COMPLETE' });
  });
});
