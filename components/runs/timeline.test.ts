import { describe, expect, it } from 'vitest';
import { applyEvents, initialProgress } from '@/lib/deploy/progress';
import type { RunStackView, StoredRunEvent } from '@/lib/deploy/types';
import { timeline, toneOf } from './timeline';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const stacks: RunStackView[] = [
  { position: 0, stackId: 'vpc', stackName: 'lr-vpc', action: 'create', status: 'previewed' },
  { position: 1, stackId: 'common', stackName: 'lr-common', action: 'create', status: 'previewed' },
];
let seq = 0;
const resource = (stackId: 'vpc' | 'common', logicalId: string, status: string, at: number, reason?: string): StoredRunEvent => ({
  seq: ++seq,
  event: { type: 'stack-event', stackId, event: { eventId: `e${seq}`, stackName: `lr-${stackId}`, logicalId, resourceType: 'AWS::EC2::VPC', status, timestamp: iso(at), ...(reason ? { reason } : {}) } },
});
const stackStatus = (stackId: 'vpc' | 'common', status: RunStackView['status'], at: number): StoredRunEvent => ({
  seq: ++seq,
  event: { type: 'stack-status', stackId, stackName: `lr-${stackId}`, status, at: iso(at) },
});

describe('the run timeline', () => {
  it('draws a bar per stack and per resource attempt across the run so far, a running one up to now', () => {
    seq = 0;
    const progress = applyEvents(initialProgress('running', stacks), [
      stackStatus('vpc', 'in-progress', 0),
      resource('vpc', 'VPC', 'CREATE_IN_PROGRESS', 1),
      resource('vpc', 'VPC', 'CREATE_COMPLETE', 5),
      stackStatus('vpc', 'complete', 6),
      stackStatus('common', 'in-progress', 6),
      resource('common', 'Db', 'CREATE_IN_PROGRESS', 7),
      resource('common', 'Db', 'CREATE_FAILED', 9, 'Quota exceeded'),
    ]);
    const t = timeline(progress, T0 + 10_000);
    expect([t.start, t.end]).toEqual([T0, T0 + 10_000]);
    const [vpc, common] = t.groups;
    expect(vpc!.stack.bars).toEqual([{ left: 0, width: 60, tone: 'ok', label: 'lr-vpc: complete, 6 s', reason: undefined }]);
    expect(vpc!.resources[0]!.bars).toEqual([{ left: 10, width: 40, tone: 'ok', label: 'VPC (AWS::EC2::VPC): CREATE_COMPLETE, 4 s', reason: undefined }]);
    expect(common!.stack.bars[0]).toMatchObject({ left: 60, width: 40, tone: 'busy', label: 'lr-common: in-progress, 4 s so far' });
    expect(common!.resources[0]!.bars[0]).toEqual({ left: 70, width: 20, tone: 'bad', label: 'Db (AWS::EC2::VPC): CREATE_FAILED, 2 s — Quota exceeded', reason: 'Quota exceeded' });
  });

  it('with only stack-level events, draws the stacks from CloudFormation\'s own events', () => {
    seq = 0;
    const stackEvent = (status: string, at: number): StoredRunEvent => ({
      seq: ++seq,
      event: { type: 'stack-event', stackId: 'vpc', event: { eventId: `s${seq}`, stackName: 'lr-vpc', logicalId: 'lr-vpc', resourceType: 'AWS::CloudFormation::Stack', status, timestamp: iso(at) } },
    });
    const progress = applyEvents(initialProgress('running', stacks), [stackEvent('CREATE_IN_PROGRESS', 0), stackEvent('CREATE_COMPLETE', 4)]);
    const t = timeline(progress, T0 + 8_000);
    expect(t.groups).toHaveLength(1);
    expect(t.groups[0]!.resources).toEqual([]);
    expect(t.groups[0]!.stack.bars).toEqual([{ left: 0, width: 50, tone: 'ok', label: 'lr-vpc: CREATE_COMPLETE, 4 s', reason: undefined }]);
  });

  it('is empty before anything ran', () => {
    expect(timeline(initialProgress('awaiting-approval', stacks), T0).groups).toEqual([]);
  });

  it.each([
    ['CREATE_COMPLETE', 'ok'],
    ['DELETE_SKIPPED', 'ok'],
    ['UPDATE_IN_PROGRESS', 'busy'],
    ['CREATE_FAILED', 'bad'],
    ['ROLLBACK_COMPLETE', 'bad'],
    ['UPDATE_ROLLBACK_IN_PROGRESS', 'bad'],
    ['not-started', 'idle'],
  ])('colours %s as %s', (status, tone) => {
    expect(toneOf(status)).toBe(tone);
  });
});

describe('the timeline of a stack the run deletes and creates again', () => {
  it('draws its delete and its create as two bars of its own row, with the wait between them as a gap', () => {
    seq = 0;
    const rows: RunStackView[] = [{ position: 0, stackId: 'vpc', stackName: 'lr-vpc', action: 'recreate', status: 'previewed' }];
    const stackEvent = (status: string, at: number): StoredRunEvent => ({
      seq: ++seq,
      event: { type: 'stack-event', stackId: 'vpc', event: { eventId: `s${seq}`, stackName: 'lr-vpc', logicalId: 'lr-vpc', resourceType: 'AWS::CloudFormation::Stack', status, timestamp: iso(at) } },
    });
    const progress = applyEvents(initialProgress('running', rows), [
      stackStatus('vpc', 'in-progress', 0),
      stackEvent('DELETE_IN_PROGRESS', 0),
      stackEvent('DELETE_COMPLETE', 2),
      stackStatus('vpc', 'waiting', 2),
      stackEvent('CREATE_IN_PROGRESS', 6),
      stackEvent('CREATE_COMPLETE', 10),
      stackStatus('vpc', 'complete', 10),
    ]);
    const [group] = timeline(progress, T0 + 10_000).groups;
    expect(group!.stack.bars.map((b) => [b.left, b.width, b.label])).toEqual([
      [0, 20, 'lr-vpc: DELETE_COMPLETE, 2 s'],
      [60, 40, 'lr-vpc: CREATE_COMPLETE, 4 s'],
    ]);
  });
});
