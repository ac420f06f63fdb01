import { describe, expect, it } from 'vitest';
import { subscribe } from '@/lib/deploy/bus';
import type { RunEvent, StackEventRecord } from '@/lib/deploy/types';
import {
  appendRunEvent,
  appendRunEvents,
  lastRunEventSeq,
  runEventsSince,
  runStatusOf,
  storedStackEvents,
} from './run-events';
import { insertRun } from './testing/runs';
import { column } from '@/lib/store/testing/query';
import { BACKENDS, setupTempStore } from './testing/temp-store';


const record = (eventId: string, overrides: Partial<StackEventRecord> = {}): StackEventRecord => ({
  eventId,
  stackName: 'lakerunner-vpc',
  logicalId: 'Vpc',
  physicalId: 'vpc-0abc',
  resourceType: 'AWS::EC2::VPC',
  status: 'CREATE_IN_PROGRESS',
  timestamp: '2026-11-27T10:00:00.000Z',
  ...overrides,
});
const stackEvent = (eventId: string, overrides: Partial<StackEventRecord> = {}): RunEvent => ({
  type: 'stack-event',
  stackId: 'vpc',
  event: record(eventId, overrides),
});
const flush = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe.each(BACKENDS)('run events (%s)', (backend) => {
  setupTempStore(backend);

  it('numbers events in append order and skips a repeated dedupe key', async () => {
    await insertRun('r1');
    const first = await appendRunEvent('r1', stackEvent('e1'), 'e1');
    const second = await appendRunEvent('r1', { type: 'note', level: 'info', message: 'Preparing change sets.' });
    const repeated = await appendRunEvent('r1', stackEvent('e1'), 'e1');
    expect(first).toBeTypeOf('number');
    expect(second).toBeGreaterThan(first!);
    expect(repeated).toBeUndefined();
    expect((await runEventsSince('r1', 0)).map((e) => e.seq)).toEqual([first, second]);
    expect(await lastRunEventSeq('r1')).toBe(second);
  });

  it('keeps dedupe keys per run', async () => {
    await insertRun('r1');
    await insertRun('r2');
    expect(await appendRunEvent('r1', stackEvent('e1'), 'e1')).toBeDefined();
    expect(await appendRunEvent('r2', stackEvent('e1'), 'e1')).toBeDefined();
    expect(await runEventsSince('r1', 0)).toHaveLength(1);
    expect(await runEventsSince('r2', 0)).toHaveLength(1);
  });

  it('stores only the fields of the event shapes, never resource properties', async () => {
    await insertRun('r1');
    const sdkLike = {
      ...stackEvent('e1'),
      ResourceProperties: '{"MasterUserPassword":"hunter2-secret"}',
      event: { ...record('e1'), ResourceProperties: '{"MasterUserPassword":"hunter2-secret"}', ClientRequestToken: 'tok' },
    } as unknown as RunEvent;
    await appendRunEvent('r1', sdkLike, 'e1');
    const raw = await column('SELECT data FROM run_events') as string[];
    expect(raw.join('')).not.toContain('hunter2');
    expect(raw.join('')).not.toContain('ClientRequestToken');
    expect((await runEventsSince('r1', 0))[0]!.event).toEqual(stackEvent('e1'));
  });

  it.each<[string, RunEvent]>([
    ['an unknown stack', { type: 'stack-event', stackId: 'nope', event: record('x') } as unknown as RunEvent],
    ['a timestamp that is not ISO 8601', stackEvent('x', { timestamp: 'yesterday' })],
    ['an unknown type', { type: 'secret', value: 'x' } as unknown as RunEvent],
  ])('refuses %s and stores nothing', async (_, event) => {
    await insertRun('r1');
    await expect(appendRunEvents('r1', [{ event: stackEvent('ok'), dedupeKey: 'ok' }, { event }])).rejects.toThrow();
    expect(await runEventsSince('r1', 0)).toEqual([]);
  });

  it('pages after a seq, oldest first, within one run', async () => {
    await insertRun('r1');
    await insertRun('r2');
    const seqs = (
      await appendRunEvents(
        'r1',
        Array.from({ length: 30 }, (_, i) => ({ event: stackEvent(`e${i}`), dedupeKey: `e${i}` })),
      )
    ).map((e) => e.seq);
    await appendRunEvent('r2', stackEvent('other'), 'other');
    expect((await runEventsSince('r1', 0, 10)).map((e) => e.seq)).toEqual(seqs.slice(0, 10));
    expect((await runEventsSince('r1', seqs[9]!, 10)).map((e) => e.seq)).toEqual(seqs.slice(10, 20));
    expect(await runEventsSince('r1', seqs[29]!)).toEqual([]);
    expect((await runEventsSince('r1', 0)).map((e) => (e.event.type === 'stack-event' ? e.event.event.eventId : ''))).toEqual(
      Array.from({ length: 30 }, (_, i) => `e${i}`),
    );
  });

  it('notifies subscribers once per batch, and not for duplicates', async () => {
    await insertRun('r1');
    let calls = 0;
    const unsubscribe = subscribe('r1', () => (calls += 1));
    await appendRunEvents('r1', [
      { event: stackEvent('a'), dedupeKey: 'a' },
      { event: stackEvent('b'), dedupeKey: 'b' },
    ]);
    await flush();
    expect(calls).toBe(1);
    await appendRunEvents('r1', [{ event: stackEvent('a'), dedupeKey: 'a' }]);
    await flush();
    expect(calls).toBe(1);
    unsubscribe();
  });

  it('gives a restarted watcher the stack events of one stack', async () => {
    await insertRun('r1');
    await appendRunEvent('r1', stackEvent('v1'), 'v1');
    await appendRunEvent('r1', { type: 'stack-event', stackId: 'common', event: record('c1', { stackName: 'lakerunner-common' }) }, 'c1');
    await appendRunEvent('r1', { type: 'stack-status', stackId: 'vpc', stackName: 'lakerunner-vpc', status: 'in-progress' });
    await appendRunEvent('r1', stackEvent('v2', { status: 'CREATE_COMPLETE' }), 'v2');
    expect((await storedStackEvents('r1', 'lakerunner-vpc')).map((e) => e.eventId)).toEqual(['v1', 'v2']);
    expect((await storedStackEvents('r1', 'lakerunner-common')).map((e) => e.eventId)).toEqual(['c1']);
  });

  it('reads a run status, undefined for an unknown run', async () => {
    await insertRun('r1', 'succeeded');
    expect(await runStatusOf('r1')).toBe('succeeded');
    expect(await runStatusOf('nope')).toBeUndefined();
    expect(await lastRunEventSeq('nope')).toBe(0);
  });
});
