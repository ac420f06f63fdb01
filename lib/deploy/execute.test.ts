// A replica that may no longer drive a run changes no stack: the check before every change
// (RunEnv.beforeChange) runs after the last store write and before ExecuteChangeSet or DeleteStack.
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import type { AwsContext } from '@/lib/aws/clients';
import { defaultPlan2025 } from '@/lib/plan/testing/line-2025';
import { LINE_2025 } from '@/templates/line-2025';
import { withDb } from '@/lib/store/db';
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
    expect(calls).toEqual([]);
  });

  it('while it still drives, the change set is executed after the check', async () => {
    const calls: string[] = [];
    const env = await envWith(calls, async () => void calls.push('check'));
    const [stack] = await runStacks('r1');
    await expect(applyChangeSet(env, env.scope.find((s) => s.stack.meta.id === 'vpc')!, stack!, options, 'preview')).rejects.toThrow('recorded; stop here');
    expect(calls).toEqual(['DescribeStacks', 'check', 'ExecuteChangeSet']);
  });
});
