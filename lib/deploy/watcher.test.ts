import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStackResourcesCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allEvents, sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from '@/lib/sandbox/testing';
import { appendRunEvents, runEventsSince } from '@/lib/store/run-events';
import { insertRun } from '@/lib/store/testing/runs';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { subscribe } from './bus';
import type { StackEventRecord } from './types';
import { activeWatchers, backoffMs, watchStack, type WatchOptions } from './watcher';

setupTempStore();

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture({ timeScale: 0.001 });
});
afterAll(async () => f.sandbox.close());
beforeEach(async () => {
  f.sandbox.setTimeScale(0.001);
  f.sandbox.faults.clear();
});

let counter = 0;
const RUN = 'run-1';
beforeEach(async () => await insertRun(RUN));

/** `count` SSM parameters, each waiting for the previous one when `chained`. */
function parameters(count: number, chained = false) {
  return template(
    Object.fromEntries(
      Array.from({ length: count }, (_, i) => [`P${i}`, ssmParameter(`v${i}`, chained && i > 0 ? { DependsOn: `P${i - 1}` } : {})]),
    ),
  );
}

async function create(body: string): Promise<{ stackName: string; since: Date }> {
  counter += 1;
  const stackName = `watched-${counter}`;
  const since = new Date();
  await f.cfn.send(new CreateStackCommand({ StackName: stackName, TemplateBody: body }));
  return { stackName, since };
}

/** Counts the DescribeStackEvents calls a client makes, with their start times. */
function countingClient(config: Partial<ConstructorParameters<typeof CloudFormationClient>[0]> = {}) {
  const client = new CloudFormationClient({ ...f.config, ...config });
  const calls: number[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === 'DescribeStackEventsCommand') calls.push(Date.now());
      return next(args);
    },
    { step: 'initialize', name: 'countDescribeStackEvents' },
  );
  return { client, calls };
}

const storedIds = async (runId = RUN) =>
  (await runEventsSince(runId, 0, 1000)).flatMap((e) => (e.event.type === 'stack-event' ? [e.event.event.eventId] : []));
const stored = async (runId = RUN) =>
  (await runEventsSince(runId, 0, 1000)).flatMap((e) => (e.event.type === 'stack-event' ? [e.event.event] : []));

/** The stack's events since `since`, oldest first, as CloudFormation lists them. */
async function expectedIds(stackNameOrArn: string, since: Date) {
  return (await allEvents(f.cfn, stackNameOrArn)).filter((e) => e.Timestamp! >= since).map((e) => e.EventId!);
}

function options(stackName: string, since: Date, extra: Partial<WatchOptions> = {}): WatchOptions {
  return { runId: RUN, stackId: 'vpc', stackName, cloudFormation: f.cfn, since, pollMs: 20, ...extra };
}

describe('watchStack', () => {
  it('pages back through more than 100 events and stores them oldest first, once', async () => {
    // Given a finished stack with 60 resources (182 events: two pages)
    const { stackName, since } = await create(parameters(60));
    await waitForStack(f.cfn, stackName);
    const expected = await expectedIds(stackName, since);
    expect(expected.length).toBeGreaterThan(100);
    const { client, calls } = countingClient();
    const terminal: string[] = [];

    // When a watcher starts
    await watchStack(options(stackName, since, { cloudFormation: client, onTerminal: (s) => terminal.push(s) })).done;

    // Then it read both pages once and stored everything in CloudFormation's order
    expect(calls).toHaveLength(2);
    expect(await storedIds()).toEqual(expected);
    expect(terminal).toEqual(['CREATE_COMPLETE']);
    expect((await stored()).at(-1)).toMatchObject({ logicalId: stackName, status: 'CREATE_COMPLETE', resourceType: 'AWS::CloudFormation::Stack' });
    expect(activeWatchers()).toBe(0);
  });

  it('follows a deployment live and stops on its terminal status', async () => {
    f.sandbox.setTimeScale(0.02);
    const { stackName, since } = await create(parameters(12, true));
    const terminal: string[] = [];
    await watchStack(options(stackName, since, { onTerminal: (s) => terminal.push(s) })).done;
    expect(terminal).toEqual(['CREATE_COMPLETE']);
    expect(await storedIds()).toEqual(await expectedIds(stackName, since));
    for (const event of await stored()) {
      const optional = [...(event.physicalId ? ['physicalId'] : []), ...(event.reason ? ['reason'] : [])];
      expect(Object.keys(event).sort()).toEqual(['eventId', 'logicalId', 'resourceType', 'stackName', 'status', 'timestamp', ...optional].sort());
    }
  });

  it('does not stop on a failed resource or the rollback start, only on the rollback end', async () => {
    f.sandbox.faults.failResource({ logicalId: 'P3', operation: 'create', reason: 'Simulated failure: quota exceeded' });
    const { stackName, since } = await create(parameters(6, true));
    const terminal: string[] = [];
    await watchStack(options(stackName, since, { onTerminal: (s) => terminal.push(s) })).done;
    expect(terminal).toEqual(['ROLLBACK_COMPLETE']);
    const statuses = (await stored()).map((e) => `${e.logicalId} ${e.status}`);
    expect(statuses).toContain('P3 CREATE_FAILED');
    expect(statuses).toContain(`${stackName} ROLLBACK_IN_PROGRESS`);
    expect(statuses.at(-1)).toBe(`${stackName} ROLLBACK_COMPLETE`);
    expect(await storedIds()).toEqual(await expectedIds(stackName, since));
  });

  it('watches only the operation that started at `since`', async () => {
    const { stackName } = await create(parameters(3));
    await waitForStack(f.cfn, stackName);
    const since = new Date();
    await f.cfn.send(new UpdateStackCommand({ StackName: stackName, TemplateBody: parameters(5) }));
    const terminal: string[] = [];
    await watchStack(options(stackName, since, { onTerminal: (s) => terminal.push(s) })).done;
    expect(terminal).toEqual(['UPDATE_COMPLETE']);
    expect((await stored()).every((e) => Date.parse(e.timestamp) >= since.getTime())).toBe(true);
    expect((await stored()).some((e) => e.status === 'CREATE_COMPLETE' && e.logicalId === 'P4')).toBe(true);
    expect((await stored()).some((e) => e.logicalId === 'P0')).toBe(false);
  });

  it('does not stop at a CREATE_COMPLETE that an update already follows', async () => {
    // Given a created stack whose update is under way when the watcher (started at the create) first polls
    const { stackName, since } = await create(parameters(2));
    await waitForStack(f.cfn, stackName);
    f.sandbox.setTimeScale(0.05);
    await f.cfn.send(new UpdateStackCommand({ StackName: stackName, TemplateBody: parameters(4, true) }));
    const terminal: string[] = [];
    await watchStack(options(stackName, since, { onTerminal: (s) => terminal.push(s) })).done;
    expect(terminal).toEqual(['UPDATE_COMPLETE']);
    const roots = (await stored()).filter((e) => e.logicalId === stackName).map((e) => e.status);
    expect(roots).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    expect(await storedIds()).toEqual(await expectedIds(stackName, since));
  });

  it('waits for an operation that starts after the watcher', async () => {
    const { stackName } = await create(parameters(2));
    await waitForStack(f.cfn, stackName);
    const since = new Date();
    const terminal: string[] = [];
    const handle = watchStack(options(stackName, since, { onTerminal: (s) => terminal.push(s) }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(activeWatchers()).toBe(1);
    await f.cfn.send(new UpdateStackCommand({ StackName: stackName, TemplateBody: parameters(3) }));
    await handle.done;
    expect(terminal).toEqual(['UPDATE_COMPLETE']);
    expect((await stored())[0]).toMatchObject({ logicalId: stackName, status: 'UPDATE_IN_PROGRESS' });
  });

  it('resumes after a restart without storing or announcing anything twice', async () => {
    // Given a finished stack whose 150 oldest events an earlier watcher (before a restart) stored
    const { stackName, since } = await create(parameters(60));
    await waitForStack(f.cfn, stackName);
    const events = (await allEvents(f.cfn, stackName)).filter((e) => e.Timestamp! >= since);
    const record = (e: (typeof events)[number]): StackEventRecord => ({
      eventId: e.EventId!,
      stackName,
      logicalId: e.LogicalResourceId!,
      physicalId: e.PhysicalResourceId || undefined,
      resourceType: e.ResourceType!,
      status: e.ResourceStatus!,
      reason: e.ResourceStatusReason,
      timestamp: e.Timestamp!.toISOString(),
    });
    await appendRunEvents(
      RUN,
      events.slice(0, 150).map((e) => ({ event: { type: 'stack-event', stackId: 'vpc', event: record(e) }, dedupeKey: e.EventId! })),
    );
    const { client, calls } = countingClient();
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    let announced = 0;
    const unsubscribe = subscribe(RUN, () => (announced += 1));

    // When the engine starts the watcher again
    await watchStack(options(stackName, since, { cloudFormation: client })).done;
    await new Promise<void>((resolve) => queueMicrotask(resolve));

    // Then it stopped paging at the first stored event (one page, not two) and added only the rest
    expect(calls).toHaveLength(1);
    expect(await storedIds()).toEqual(events.map((e) => e.EventId));
    expect(announced).toBe(1);

    // And a third start, after the terminal event was stored, sees it is over after one call and adds nothing
    const terminal: string[] = [];
    await watchStack(options(stackName, since, { cloudFormation: client, onTerminal: (s) => terminal.push(s) })).done;
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    expect(calls).toHaveLength(2);
    expect(terminal).toEqual(['CREATE_COMPLETE']);
    expect(announced).toBe(1);
    unsubscribe();
  });

  it('loses nothing and repeats nothing when stopped mid-deployment and started again', async () => {
    f.sandbox.setTimeScale(0.02);
    const { stackName, since } = await create(parameters(12, true));
    const first = watchStack(options(stackName, since));
    while ((await storedIds()).length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    first.stop();
    await first.done;
    const before = (await storedIds()).length;
    await watchStack(options(stackName, since)).done;
    const ids = await storedIds();
    expect(ids.length).toBeGreaterThan(before);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await expectedIds(stackName, since));
  });

  it('shares one watcher per run and stack', async () => {
    f.sandbox.setTimeScale(0.02);
    const { stackName, since } = await create(parameters(8, true));
    const a = watchStack(options(stackName, since));
    const b = watchStack(options(stackName, since));
    await insertRun('run-2');
    const other = watchStack(options(stackName, since, { runId: 'run-2' }));
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    expect(activeWatchers()).toBe(2);
    await Promise.all([a.done, other.done]);
    expect(activeWatchers()).toBe(0);
    expect(await storedIds()).toEqual(await storedIds('run-2'));
    const c = watchStack(options(stackName, since));
    expect(c).not.toBe(a);
    c.stop();
    const d = watchStack(options(stackName, since));
    expect(d).not.toBe(c);
    await Promise.all([c.done, d.done]);
  });

  it('stops quietly for a stack that does not exist (or no longer does)', async () => {
    const { client, calls } = countingClient();
    const terminal: string[] = [];
    await watchStack(options('never-created', new Date(), { cloudFormation: client, onTerminal: (s) => terminal.push(s) })).done;
    const { stackName } = await create(parameters(2));
    const { StackId: arn } = await waitForStack(f.cfn, stackName);
    await f.cfn.send(new DeleteStackCommand({ StackName: stackName }));
    await waitForStack(f.cfn, arn!);
    await watchStack(options(stackName, new Date(), { cloudFormation: client })).done;
    expect(calls).toHaveLength(2);
    expect(terminal).toEqual([]);
    expect(await runEventsSince(RUN, 0)).toEqual([]);
  });

  it('follows a delete to its DELETE_COMPLETE by the stack ARN', async () => {
    const { stackName } = await create(parameters(4, true));
    await waitForStack(f.cfn, stackName);
    f.sandbox.setTimeScale(0.1);
    const since = new Date();
    await f.cfn.send(new DeleteStackCommand({ StackName: stackName }));
    const terminal: string[] = [];
    await watchStack(options(stackName, since, { onTerminal: (s) => terminal.push(s) })).done;
    expect(terminal).toEqual(['DELETE_COMPLETE']);
    expect((await stored()).map((e) => `${e.logicalId} ${e.status}`)).toEqual(
      expect.arrayContaining([`${stackName} DELETE_IN_PROGRESS`, 'P0 DELETE_COMPLETE', `${stackName} DELETE_COMPLETE`]),
    );
  });

  it('backs off while throttled, loses nothing, then polls at the normal interval again', async () => {
    // Given a deployment of about 3 s and a client that does not retry on its own
    f.sandbox.setTimeScale(0.1);
    const { client, calls } = countingClient({ maxAttempts: 1 });
    const { stackName, since } = await create(parameters(15, true));
    const pollMs = 20;
    const stormMs = 800;

    // When every DescribeStackEvents call is throttled for the first 800 ms
    const stormStart = Date.now();
    f.sandbox.faults.throttle({ fraction: 1, durationMs: stormMs, actions: ['DescribeStackEvents'] });
    await watchStack(options(stackName, since, { cloudFormation: client, pollMs })).done;

    // Then it made far fewer calls during the storm than polling every 20 ms would (40)
    const during = calls.filter((t) => t < stormStart + stormMs);
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during.length).toBeLessThan(stormMs / pollMs / 4);
    // And after the storm it is back to the poll interval, not the back-off cap (600 ms)
    const after = calls.filter((t) => t >= stormStart + stormMs);
    const gaps = after.slice(1).map((t, i) => t - after[i]!).sort((a, b) => a - b);
    expect(gaps.length).toBeGreaterThan(10);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(pollMs * 5);
    // And every event arrived exactly once, in order
    expect(await storedIds()).toEqual(await expectedIds(stackName, since));
  });

  it('stops on abort and makes no call afterwards', async () => {
    f.sandbox.setTimeScale(0.05);
    const { client, calls } = countingClient();
    const { stackName, since } = await create(parameters(20, true));
    const abort = new AbortController();
    const handle = watchStack(options(stackName, since, { cloudFormation: client, signal: abort.signal }));
    while (calls.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    abort.abort();
    await handle.done;
    const made = calls.length;
    expect(activeWatchers()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toHaveLength(made);
    expect((await waitForStack(f.cfn, stackName)).StackStatus).toBe('CREATE_COMPLETE');
    expect((await storedIds()).length).toBeLessThan((await expectedIds(stackName, since)).length);
  });

  it('records a note and stops when AWS refuses the call', async () => {
    const { stackName, since } = await create(parameters(2));
    const refused = new CloudFormationClient({ ...f.config, credentials: { accessKeyId: f.config.credentials.accessKeyId, secretAccessKey: 'wrong' } });
    await watchStack(options(stackName, since, { cloudFormation: refused })).done;
    const events = await runEventsSince(RUN, 0);
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toMatchObject({ type: 'note', level: 'warn', message: expect.stringContaining(`The events of stack ${stackName} are no longer shown`) });
    expect(JSON.stringify(events)).not.toContain('wrong');
  });
});

describe('watchStack on a stack with nested stacks', () => {
  const BUCKET = 'watched-children';
  let published = false;
  /** A root with two children (each a few chained parameters), the second after the first. */
  async function nestedRoot(failIn?: string) {
    if (!published) {
      await f.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      for (const name of ['first', 'second']) await f.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `t/${name}.json`, Body: parameters(4, true) }));
      published = true;
    }
    const child = (file: string, extra: Record<string, unknown> = {}) => ({
      Type: 'AWS::CloudFormation::Stack',
      Properties: { TemplateURL: `https://${BUCKET}.s3.us-east-1.amazonaws.com/t/${file}.json` },
      ...extra,
    });
    if (failIn) f.sandbox.faults.failResource({ logicalId: 'P2', stackName: `watched-${counter + 1}/${failIn}`, operation: 'create', reason: 'Injected: P2 cannot be made' });
    return create(template({ Own: ssmParameter('own'), First: child('first'), Second: child('second', { DependsOn: 'First' }) }));
  }
  const childArns = async (stackName: string) =>
    Object.fromEntries(
      ((await f.cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }))).StackResources ?? [])
        .filter((r) => r.ResourceType === 'AWS::CloudFormation::Stack')
        .map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]),
    );
  const storedByChild = async () => {
    const byChild = new Map<string, StackEventRecord[]>();
    for (const { event } of await runEventsSince(RUN, 0, 1000)) {
      if (event.type !== 'stack-event') continue;
      const key = event.child ?? '';
      byChild.set(key, [...(byChild.get(key) ?? []), event.event]);
    }
    return byChild;
  };

  it("follows each child's own events with a poller of its own, stored under the child's path, each once", async () => {
    f.sandbox.setTimeScale(0.01);
    const { stackName, since } = await nestedRoot();
    const terminal: string[] = [];
    await watchStack(options(stackName, since, { onTerminal: (s) => terminal.push(s), children: [{ logicalId: 'First' }, { logicalId: 'Second' }] })).done;
    expect(terminal).toEqual(['CREATE_COMPLETE']);
    expect(activeWatchers()).toBe(0);

    const arns = await childArns(stackName);
    const byChild = await storedByChild();
    expect([...byChild.keys()].sort()).toEqual(['', 'First', 'Second']);
    // the parent's own events as CloudFormation lists them, the nested stacks' resources among them
    expect(byChild.get('')!.map((e) => e.eventId)).toEqual(await expectedIds(stackName, since));
    expect(byChild.get('')!.filter((e) => e.logicalId === 'First').map((e) => e.physicalId)).toContain(arns.First);
    // each child's events: its own stack name, every one of them, oldest first, ending in its CREATE_COMPLETE
    for (const name of ['First', 'Second']) {
      const events = byChild.get(name)!;
      expect(events.map((e) => e.eventId)).toEqual(await expectedIds(arns[name]!, since));
      expect(new Set(events.map((e) => e.stackName))).toEqual(new Set([arns[name]!.split('/')[1]]));
      expect(events.map((e) => `${e.logicalId} ${e.status}`)).toContain('P3 CREATE_COMPLETE');
      expect(events.at(-1)).toMatchObject({ resourceType: 'AWS::CloudFormation::Stack', status: 'CREATE_COMPLETE' });
    }
    const ids = [...byChild.values()].flat().map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('follows a failing child to the end of its rollback and the parent to its own', async () => {
    f.sandbox.setTimeScale(0.01);
    const { stackName, since } = await nestedRoot('Second');
    const terminal: string[] = [];
    await watchStack(options(stackName, since, { onTerminal: (s) => terminal.push(s), children: [{ logicalId: 'First' }, { logicalId: 'Second' }] })).done;
    expect(terminal).toEqual(['ROLLBACK_COMPLETE']);
    const byChild = await storedByChild();
    const second = byChild.get('Second')!.map((e) => `${e.logicalId} ${e.status}${e.reason ? ` ${e.reason}` : ''}`);
    expect(second).toContain('P2 CREATE_FAILED Injected: P2 cannot be made');
    expect(second.at(-1)).toMatch(/ (ROLLBACK_COMPLETE|DELETE_COMPLETE)$/);
    expect(byChild.get('First')!.at(-1)).toMatchObject({ status: 'DELETE_COMPLETE' });
    expect(activeWatchers()).toBe(0);
  });

  it('with an endpoint that reports no events for the children, stores none for them and still ends', async () => {
    f.sandbox.setTimeScale(0.01);
    const { client, calls } = countingClient();
    // an endpoint that answers a child's DescribeStackEvents with nothing at all
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { StackName?: string };
        if (context.commandName === 'DescribeStackEventsCommand' && /^arn:.*:stack\/watched-\d+-(First|Second)-/.test(input.StackName ?? '')) return { output: { StackEvents: [], $metadata: {} }, response: {} } as never;
        return next(args);
      },
      { step: 'initialize', name: 'noChildEvents' },
    );
    const { stackName, since } = await nestedRoot();
    const started = Date.now();
    await watchStack(options(stackName, since, { cloudFormation: client, children: [{ logicalId: 'First' }, { logicalId: 'Second' }] })).done;
    const byChild = await storedByChild();
    expect([...byChild.keys()]).toEqual(['']);
    expect(byChild.get('')!.at(-1)).toMatchObject({ logicalId: stackName, status: 'CREATE_COMPLETE' });
    // the children were polled, and let go a few polls after their parent ended
    expect(calls.length).toBeGreaterThan(2);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(activeWatchers()).toBe(0);
  });

  it('finds the declared children among the resources when the events name none (stack events only)', async () => {
    f.sandbox.setTimeScale(0.01);
    f.sandbox.faults.emulate({ stackEventsOnly: true });
    try {
      const { stackName, since } = await nestedRoot();
      await watchStack(options(stackName, since, { children: [{ logicalId: 'First' }, { logicalId: 'Second' }] })).done;
      const byChild = await storedByChild();
      // only stack-level events exist: the parent's, and each child's own
      expect(byChild.get('')!.every((e) => e.logicalId === stackName)).toBe(true);
      for (const name of ['First', 'Second']) {
        const events = byChild.get(name) ?? [];
        expect(events.length).toBeGreaterThan(0);
        expect(events.every((e) => e.resourceType === 'AWS::CloudFormation::Stack' && e.logicalId === e.stackName)).toBe(true);
        expect(events.at(-1)?.status).toBe('CREATE_COMPLETE');
      }
      expect(activeWatchers()).toBe(0);
    } finally {
      f.sandbox.faults.clear();
    }
  });

  it('after a restart mid-deployment, follows the children again from the stored events, losing and repeating nothing', async () => {
    f.sandbox.setTimeScale(0.05);
    const { stackName, since } = await nestedRoot();
    const declared = { children: [{ logicalId: 'First' }, { logicalId: 'Second' }] };
    const first = watchStack(options(stackName, since, declared));
    await until(async () => (await storedByChild()).has('First'));
    first.stop();
    await first.done;
    expect(activeWatchers()).toBe(0);
    // a new watcher (the console restarted) with no listing: the children are found from what was stored
    await watchStack(options(stackName, since)).done;
    const arns = await childArns(stackName);
    const byChild = await storedByChild();
    for (const name of ['First', 'Second']) expect(byChild.get(name)!.map((e) => e.eventId)).toEqual(await expectedIds(arns[name]!, since));
    expect(byChild.get('')!.map((e) => e.eventId)).toEqual(await expectedIds(stackName, since));
  });

  it('stops every child watcher with its parent', async () => {
    f.sandbox.setTimeScale(0.05);
    const { stackName, since } = await nestedRoot();
    const handle = watchStack(options(stackName, since, { children: [{ logicalId: 'First' }, { logicalId: 'Second' }] }));
    await until(async () => (await storedByChild()).has('First'));
    expect(activeWatchers()).toBeGreaterThan(1);
    handle.stop();
    await handle.done;
    expect(activeWatchers()).toBe(0);
    await waitForStack(f.cfn, stackName);
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('backoffMs', () => {
  it.each([
    [1000, 1, 1000, 2000],
    [1000, 3, 4000, 8000],
    [1000, 10, 15_000, 30_000],
    [5000, 10, 30_000, 60_000],
    [20, 2, 40, 80],
  ])('poll %i ms, %i failures: between %i and %i ms', (pollMs, failures, low, high) => {
    for (let i = 0; i < 200; i += 1) {
      const wait = backoffMs(pollMs, failures);
      expect(wait).toBeGreaterThanOrEqual(low);
      expect(wait).toBeLessThanOrEqual(high);
    }
  });
});
