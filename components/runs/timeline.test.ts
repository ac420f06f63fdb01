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
    const [vpc, common] = t.rows;
    expect(vpc!.bars).toEqual([{ left: 0, width: 60, tone: 'ok', label: 'lr-vpc: complete, 6 s', reason: undefined }]);
    expect(vpc!.rows![0]!.bars).toEqual([{ left: 10, width: 40, tone: 'ok', label: 'VPC (AWS::EC2::VPC): CREATE_COMPLETE, 4 s', reason: undefined }]);
    expect(common!.bars[0]).toMatchObject({ left: 60, width: 40, tone: 'busy', label: 'lr-common: in-progress, 4 s so far' });
    expect(common!.rows![0]!.bars[0]).toEqual({ left: 70, width: 20, tone: 'bad', label: 'Db (AWS::EC2::VPC): CREATE_FAILED, 2 s — Quota exceeded', reason: 'Quota exceeded' });
    // a row per stack, each saying what it opens onto; the finished one closed, the running one open
    expect(t.rows.map((r) => [r.title, r.summary, r.open])).toEqual([
      ['lr-vpc', '1 resource', false],
      ['lr-common', '1 resource', true],
    ]);
  });

  it('with only stack-level events, draws the stacks from CloudFormation\'s own events', () => {
    seq = 0;
    const stackEvent = (status: string, at: number): StoredRunEvent => ({
      seq: ++seq,
      event: { type: 'stack-event', stackId: 'vpc', event: { eventId: `s${seq}`, stackName: 'lr-vpc', logicalId: 'lr-vpc', resourceType: 'AWS::CloudFormation::Stack', status, timestamp: iso(at) } },
    });
    const progress = applyEvents(initialProgress('running', stacks), [stackEvent('CREATE_IN_PROGRESS', 0), stackEvent('CREATE_COMPLETE', 4)]);
    const t = timeline(progress, T0 + 8_000);
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0]!.rows).toEqual([]);
    expect(t.rows[0]!.bars).toEqual([{ left: 0, width: 50, tone: 'ok', label: 'lr-vpc: CREATE_COMPLETE, 4 s', reason: undefined }]);
  });

  it('is empty before anything ran', () => {
    expect(timeline(initialProgress('awaiting-approval', stacks), T0).rows).toEqual([]);
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
    const [row] = timeline(progress, T0 + 10_000).rows;
    expect(row!.bars.map((b) => [b.left, b.width, b.label])).toEqual([
      [0, 20, 'lr-vpc: DELETE_COMPLETE, 2 s'],
      [60, 40, 'lr-vpc: CREATE_COMPLETE, 4 s'],
    ]);
  });
});

describe('the timeline of a finished run', () => {
  it('shows the whole run as a closed row per stack, every stack there, resources one click away', () => {
    seq = 0;
    const three: RunStackView[] = [...stacks, { position: 2, stackId: 'services', stackName: 'lr-services', action: 'create', status: 'previewed' }];
    const ids = ['vpc', 'common', 'services'] as const;
    const events = ids.flatMap((id, i) => [
      stackStatus(id as 'vpc', 'in-progress', i * 10),
      ...Array.from({ length: 30 }, (_, r) => resource(id as 'vpc', `${id}R${r}`, 'CREATE_COMPLETE', i * 10 + 1)),
      stackStatus(id as 'vpc', 'complete', i * 10 + 9),
    ]);
    const progress = applyEvents(initialProgress('running', three), [...events, { seq: ++seq, event: { type: 'run-status', status: 'succeeded' } }]);
    const t = timeline(progress, T0 + 60_000);
    expect(t.rows.map((r) => [r.title, r.summary, r.open, r.rows!.length])).toEqual([
      ['lr-vpc', '30 resources', false, 30],
      ['lr-common', '30 resources', false, 30],
      ['lr-services', '30 resources', false, 30],
    ]);
  });
});

describe('the timeline of a stack with nested stacks', () => {
  const rows: RunStackView[] = [{ position: 0, stackId: 'services', stackName: 'lr-services', action: 'create', status: 'previewed' }];
  const event = (logicalId: string, status: string, at: number, extra: { child?: string; type?: string; physicalId?: string; reason?: string } = {}): StoredRunEvent => ({
    seq: ++seq,
    event: {
      type: 'stack-event',
      stackId: 'services',
      ...(extra.child ? { child: extra.child } : {}),
      event: {
        eventId: `n${seq}`,
        stackName: extra.child ? `lr-services-${extra.child}-X` : 'lr-services',
        logicalId,
        resourceType: extra.type ?? 'AWS::ECS::Service',
        status,
        timestamp: iso(at),
        ...(extra.physicalId ? { physicalId: extra.physicalId } : {}),
        ...(extra.reason ? { reason: extra.reason } : {}),
      },
    },
  });
  const STACK = 'AWS::CloudFormation::Stack';

  it("nests each child's row under its parent, opening onto the child's resources, its failure opened", () => {
    seq = 0;
    const progress = applyEvents(initialProgress('running', rows, { children: { services: [{ logicalId: 'Alb', title: 'Load balancer' }, { logicalId: 'Query', title: 'Query tier' }, { logicalId: 'Maestro', title: 'Maestro' }] } }), [
      stackStatus('services' as 'vpc', 'in-progress', 0),
      event('Namespace', 'CREATE_COMPLETE', 1, { type: 'AWS::ServiceDiscovery::PrivateDnsNamespace' }),
      event('Alb', 'CREATE_IN_PROGRESS', 1, { type: STACK, physicalId: 'arn:aws:cloudformation:us-east-1:1:stack/lr-services-Alb-X/1' }),
      event('lr-services-Alb-X', 'CREATE_IN_PROGRESS', 1, { child: 'Alb', type: STACK }),
      event('Lb', 'CREATE_COMPLETE', 4, { child: 'Alb', type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' }),
      event('lr-services-Alb-X', 'CREATE_COMPLETE', 5, { child: 'Alb', type: STACK }),
      event('Alb', 'CREATE_COMPLETE', 5, { type: STACK }),
      // the query tier: only its parent's events about it
      event('Query', 'CREATE_IN_PROGRESS', 5, { type: STACK }),
      event('Query', 'CREATE_FAILED', 8, { type: STACK, reason: 'Embedded stack was not successfully created' }),
    ]);
    const [root] = timeline(progress, T0 + 10_000).rows;
    expect(root).toMatchObject({ title: 'lr-services', summary: '2 nested stacks and 1 resource', open: true });
    expect(root!.rows!.map((r) => [r.title, r.summary, r.open, r.bars.map((b) => b.label)])).toEqual([
      ['Load balancer (Alb)', '1 resource', false, ['Load balancer (Alb): CREATE_COMPLETE, 4 s']],
      ['Query tier (Query)', '0 resources', true, ['Query tier (Query): CREATE_FAILED, 3 s — Embedded stack was not successfully created']],
      ['Namespace', undefined, undefined, ['Namespace (AWS::ServiceDiscovery::PrivateDnsNamespace): CREATE_COMPLETE, 0 s']],
    ]);
    expect(root!.rows![0]!.rows!.map((r) => r.bars[0]!.label)).toEqual(['Lb (AWS::ElasticLoadBalancingV2::LoadBalancer): CREATE_COMPLETE, 0 s']);
  });
});
