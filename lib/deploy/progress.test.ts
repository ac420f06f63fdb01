import { describe, expect, it } from 'vitest';
import { remainingSeconds, typicalSeconds } from './durations';
import { applyEvents, childCounts, counts, etaSeconds, initialProgress } from './progress';
import type { RunStackView, StackEventRecord, StoredRunEvent } from './types';

const stacks: RunStackView[] = [
  { position: 0, stackId: 'vpc', stackName: 'lr-vpc', action: 'create', status: 'previewed', changes: [
    { action: 'Add', logicalId: 'VPC', resourceType: 'AWS::EC2::VPC' },
    { action: 'Add', logicalId: 'NatGateway', resourceType: 'AWS::EC2::NatGateway' },
  ] },
  { position: 1, stackId: 'common', stackName: 'lr-common', action: 'create', status: 'previewed', changes: [
    { action: 'Add', logicalId: 'LakerunnerDb', resourceType: 'AWS::RDS::DBInstance' },
  ] },
];

let seq = 0;
const ev = (logicalId: string, status: string, at: string, type = 'AWS::EC2::VPC', reason?: string): StoredRunEvent => {
  const event: StackEventRecord = { eventId: `e${++seq}`, stackName: 'lr-vpc', logicalId, resourceType: type, status, timestamp: at, ...(reason ? { reason } : {}) };
  return { seq, event: { type: 'stack-event', stackId: 'vpc', event } };
};

describe('run progress', () => {
  it('folds events into resources with status, reason and duration, each event once', () => {
    seq = 0;
    const events = [
      { seq: ++seq, event: { type: 'run-status', status: 'running' } } as StoredRunEvent,
      ev('lr-vpc', 'CREATE_IN_PROGRESS', '2026-01-01T00:00:00Z', 'AWS::CloudFormation::Stack'),
      ev('VPC', 'CREATE_IN_PROGRESS', '2026-01-01T00:00:01Z'),
      ev('VPC', 'CREATE_IN_PROGRESS', '2026-01-01T00:00:02Z', 'AWS::EC2::VPC', 'Resource creation Initiated'),
      ev('VPC', 'CREATE_COMPLETE', '2026-01-01T00:00:11Z'),
      ev('NatGateway', 'CREATE_IN_PROGRESS', '2026-01-01T00:00:12Z', 'AWS::EC2::NatGateway'),
    ];
    let progress = applyEvents(initialProgress('awaiting-approval', stacks), events);
    progress = applyEvents(progress, events); // a replay after a reconnect changes nothing
    const vpc = progress.stacks[0]!;
    expect(vpc.events).toHaveLength(5);
    expect(vpc.resources).toEqual([
      {
        logicalId: 'VPC',
        type: 'AWS::EC2::VPC',
        status: 'CREATE_COMPLETE',
        startedAt: '2026-01-01T00:00:01Z',
        finishedAt: '2026-01-01T00:00:11Z',
        spans: [{ start: '2026-01-01T00:00:01Z', end: '2026-01-01T00:00:11Z', status: 'CREATE_COMPLETE' }],
      },
      {
        logicalId: 'NatGateway',
        type: 'AWS::EC2::NatGateway',
        status: 'CREATE_IN_PROGRESS',
        startedAt: '2026-01-01T00:00:12Z',
        spans: [{ start: '2026-01-01T00:00:12Z', status: 'CREATE_IN_PROGRESS' }],
      },
    ]);
    expect(vpc.spans).toEqual([{ start: '2026-01-01T00:00:00Z', status: 'CREATE_IN_PROGRESS' }]);
    expect(counts(progress)).toEqual({ stacks: 2, stacksDone: 0, stacksRunning: 0, stacksWaiting: 0, stacksFailed: 0, resourcesTotal: 3, resourcesDone: 1, inProgress: 1, failed: 0 });
  });

  it('estimates the time left from typical durations, less what has already elapsed', () => {
    seq = 0;
    const progress = applyEvents(initialProgress('running', stacks, { deps: { common: ['vpc'] } }), [
      { seq: ++seq, event: { type: 'stack-status', stackId: 'vpc', stackName: 'lr-vpc', status: 'in-progress' } },
      ev('VPC', 'CREATE_COMPLETE', '2026-01-01T00:00:10Z'),
      ev('NatGateway', 'CREATE_IN_PROGRESS', '2026-01-01T00:00:20Z', 'AWS::EC2::NatGateway'),
    ]);
    // NAT gateway: 120 s typical, 30 s elapsed → 90; the database stack: 480
    expect(etaSeconds(progress, new Date('2026-01-01T00:00:50Z'))).toBe(90 + 480);
    // at the sandbox's time scale, everything is proportionally shorter
    expect(etaSeconds(progress, new Date('2026-01-01T00:00:20.030Z'), 0.001)).toBe(Math.round((120 - 30 + 480) * 0.001));
    expect(etaSeconds({ ...progress, status: 'succeeded' }, new Date())).toBeUndefined();
  });

  it('uses the longest pending resource plus a quarter of the rest', () => {
    expect(typicalSeconds('Custom::RunEcsTask')).toBe(60);
    expect(remainingSeconds([{ type: 'AWS::RDS::DBInstance' }, { type: 'AWS::ECS::Service' }, { type: 'AWS::IAM::Role' }])).toBe(480 + Math.round((180 + 15) * 0.25));
    expect(remainingSeconds([])).toBe(0);
  });
});

const status = (stackId: 'vpc' | 'common', value: RunStackView['status'], at: string, reason?: string): StoredRunEvent => ({
  seq: ++seq,
  event: { type: 'stack-status', stackId, stackName: `lr-${stackId}`, status: value, at, ...(reason ? { reason } : {}) },
});

describe('run progress for the pictures', () => {
  it('keeps each attempt at a resource as its own span: a failed create in red, then its rollback delete', () => {
    seq = 0;
    const progress = applyEvents(initialProgress('running', stacks), [
      ev('VPC', 'CREATE_IN_PROGRESS', '2026-01-01T00:00:01Z'),
      ev('VPC', 'CREATE_FAILED', '2026-01-01T00:00:05Z', 'AWS::EC2::VPC', 'The CIDR overlaps'),
      ev('VPC', 'DELETE_IN_PROGRESS', '2026-01-01T00:00:07Z'),
      ev('VPC', 'DELETE_COMPLETE', '2026-01-01T00:00:09Z'),
    ]);
    expect(progress.stacks[0]!.resources[0]!.spans).toEqual([
      { start: '2026-01-01T00:00:01Z', end: '2026-01-01T00:00:05Z', status: 'CREATE_FAILED', reason: 'The CIDR overlaps' },
      { start: '2026-01-01T00:00:07Z', end: '2026-01-01T00:00:09Z', status: 'DELETE_COMPLETE' },
    ]);
    expect(counts(progress)).toMatchObject({ failed: 1, inProgress: 0 }); // deleted since, but it failed in this run
  });

  it('with only stack-level events: a span per stack, its times from the console, its resources done once it completes', () => {
    seq = 0;
    const stackEvent = (status: string, at: string): StoredRunEvent => ({
      seq: ++seq,
      event: { type: 'stack-event', stackId: 'vpc', event: { eventId: `s${seq}`, stackName: 'lr-vpc', logicalId: 'lr-vpc', resourceType: 'AWS::CloudFormation::Stack', status, timestamp: at } },
    });
    let progress = applyEvents(initialProgress('running', stacks), [
      status('vpc', 'in-progress', '2026-01-01T00:00:00.500Z'),
      stackEvent('CREATE_IN_PROGRESS', '2026-01-01T00:00:01Z'),
    ]);
    expect(counts(progress)).toMatchObject({ stacksRunning: 1, resourcesTotal: 3, resourcesDone: 0 });
    progress = applyEvents(progress, [stackEvent('CREATE_COMPLETE', '2026-01-01T00:02:01Z'), status('vpc', 'complete', '2026-01-01T00:02:01.200Z')]);
    const vpc = progress.stacks[0]!;
    expect(vpc.resources).toEqual([]);
    expect(vpc.spans).toEqual([{ start: '2026-01-01T00:00:01Z', end: '2026-01-01T00:02:01Z', status: 'CREATE_COMPLETE' }]);
    expect([vpc.startedAt, vpc.finishedAt]).toEqual(['2026-01-01T00:00:00.500Z', '2026-01-01T00:02:01.200Z']);
    expect(counts(progress)).toMatchObject({ stacksDone: 1, resourcesDone: 2 });
    expect(progress.lastEventAt).toBe('2026-01-01T00:02:01.200Z');
  });

  it('counts a failed stack and the stacks never started', () => {
    seq = 0;
    const progress = applyEvents(initialProgress('running', stacks), [
      status('vpc', 'failed', '2026-01-01T00:00:02Z', 'CloudFormation refused the change set; the root cause says why.'),
      status('common', 'not-started', '2026-01-01T00:00:02Z', 'Not started: lr-vpc failed.'),
      { seq: ++seq, event: { type: 'run-status', status: 'failed' } },
    ]);
    expect(counts(progress)).toMatchObject({ stacks: 2, stacksDone: 0, stacksFailed: 1, stacksRunning: 0 });
    expect(progress.stacks.map((s) => [s.status, s.finishedAt])).toEqual([
      ['failed', '2026-01-01T00:00:02Z'],
      ['not-started', '2026-01-01T00:00:02Z'],
    ]);
  });

  it('estimates the time left along the graph: stacks side by side take the longer, not the sum', () => {
    seq = 0;
    const side: RunStackView[] = [
      { ...stacks[0]!, stackId: 'vpc', status: 'previewed', changes: [{ action: 'Add', logicalId: 'Nat', resourceType: 'AWS::EC2::NatGateway' }] },
      { ...stacks[1]!, stackId: 'common', status: 'previewed' },
    ];
    const now = new Date('2026-01-01T00:00:00Z');
    const parallel = initialProgress('running', side, { deps: {} });
    expect(etaSeconds(parallel, now)).toBe(480);
    const chained = initialProgress('running', side, { deps: { common: ['vpc'] } });
    expect(etaSeconds(chained, now)).toBe(480 + 120);
  });
});

describe('a stack the run deletes and creates again', () => {
  const recreated: RunStackView[] = [
    { position: 0, stackId: 'grafana', stackName: 'lr-grafana', action: 'recreate', status: 'previewed', changes: [
      { action: 'Remove', logicalId: 'GrafanaService', resourceType: 'AWS::ECS::Service' },
      { action: 'Add', logicalId: 'GrafanaService', resourceType: 'AWS::ECS::Service' },
    ] },
  ];
  let n = 0;
  const event = (logicalId: string, status: string, at: number, type = 'AWS::ECS::Service'): StoredRunEvent => ({
    seq: ++n,
    event: { type: 'stack-event', stackId: 'grafana', event: { eventId: `g${n}`, stackName: 'lr-grafana', logicalId, resourceType: type, status, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, at)).toISOString() } },
  });
  const status = (value: RunStackView['status'], at: number, stackStatus?: string): StoredRunEvent => ({
    seq: ++n,
    event: { type: 'stack-status', stackId: 'grafana', stackName: 'lr-grafana', status: value, ...(stackStatus ? { stackStatus } : {}), at: new Date(Date.UTC(2026, 0, 1, 0, 0, at)).toISOString() },
  });

  it('counts its removal and its creation: half done once deleted, waiting and not running until it is created', () => {
    const deleted = applyEvents(initialProgress('running', recreated), [
      status('in-progress', 0, 'DELETE_IN_PROGRESS'),
      event('GrafanaService', 'DELETE_IN_PROGRESS', 1),
      event('GrafanaService', 'DELETE_COMPLETE', 3),
      status('waiting', 4, 'DELETE_COMPLETE'),
    ]);
    expect(counts(deleted)).toMatchObject({ stacksRunning: 0, stacksWaiting: 1, stacksDone: 0, resourcesTotal: 2, resourcesDone: 1 });
    // the create is still ahead: the time left counts it
    expect(etaSeconds(deleted, new Date(Date.UTC(2026, 0, 1, 0, 0, 5)))).toBeGreaterThanOrEqual(typicalSeconds('AWS::ECS::Service') - 1);

    const created = applyEvents(deleted, [status('in-progress', 10, 'CREATE_IN_PROGRESS'), event('GrafanaService', 'CREATE_IN_PROGRESS', 11), event('GrafanaService', 'CREATE_COMPLETE', 20)]);
    expect(counts(created)).toMatchObject({ stacksRunning: 1, stacksWaiting: 0, resourcesDone: 2 });
    expect(created.stacks[0]!.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(created.stacks[0]!.resources[0]!.spans.map((s) => s.status)).toEqual(['DELETE_COMPLETE', 'CREATE_COMPLETE']);
  });
});

describe('a stack with nested stacks', () => {
  const root: RunStackView[] = [
    {
      position: 0,
      stackId: 'services',
      stackName: 'lr-services',
      action: 'create',
      status: 'previewed',
      changes: [
        { action: 'Add', logicalId: 'Namespace', resourceType: 'AWS::ServiceDiscovery::PrivateDnsNamespace' },
        { action: 'Add', logicalId: 'Alb', resourceType: 'AWS::CloudFormation::Stack' },
        { action: 'Add', logicalId: 'Query', resourceType: 'AWS::CloudFormation::Stack' },
      ],
      childChanges: [
        { path: 'Alb', title: 'Load balancer', changes: [
          { action: 'Add', logicalId: 'LoadBalancer', resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
          { action: 'Add', logicalId: 'Listener', resourceType: 'AWS::ElasticLoadBalancingV2::Listener' },
        ] },
        { path: 'Query', title: 'Query tier', changes: [{ action: 'Add', logicalId: 'QueryService', resourceType: 'AWS::ECS::Service' }] },
      ],
    },
  ];
  const declared = { services: [{ logicalId: 'Alb', title: 'Load balancer' }, { logicalId: 'Query', title: 'Query tier' }, { logicalId: 'Maestro', title: 'Maestro' }] };
  let n = 0;
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const parent = (logicalId: string, status: string, s: number, type = 'AWS::CloudFormation::Stack', physicalId?: string): StoredRunEvent => ({
    seq: ++n,
    event: { type: 'stack-event', stackId: 'services', event: { eventId: `p${n}`, stackName: 'lr-services', logicalId, resourceType: type, status, timestamp: at(s), ...(physicalId ? { physicalId } : {}) } },
  });
  const child = (path: string, logicalId: string, status: string, s: number, type = 'AWS::CloudFormation::Stack', reason?: string): StoredRunEvent => ({
    seq: ++n,
    event: { type: 'stack-event', stackId: 'services', child: path, event: { eventId: `c${n}`, stackName: `lr-services-${path}-X`, logicalId, resourceType: type, status, timestamp: at(s), ...(reason ? { reason } : {}) } },
  });
  const own = (path: string, status: string, s: number) => child(path, `lr-services-${path}-X`, status, s);

  it('lists the declared children with their expected changes, and says nothing of their state before any event', () => {
    const progress = initialProgress('awaiting-approval', root, { children: declared });
    const stack = progress.stacks[0]!;
    expect(stack.children.map((c) => [c.path, c.title, c.status, c.expected.length])).toEqual([
      ['Alb', 'Load balancer', '', 2],
      ['Query', 'Query tier', '', 1],
      ['Maestro', 'Maestro', '', 0],
    ]);
    expect(childCounts(stack)).toEqual({ total: 3, inProgress: 0, failed: 0, deleted: 0, complete: 0 });
    // the bar counts the children's resources too: 3 of the root, 3 in the children
    expect(counts(progress)).toMatchObject({ resourcesTotal: 6, resourcesDone: 0 });
  });

  it("folds each child's own events under it, its resources counted in the run's totals", () => {
    n = 0;
    const progress = applyEvents(initialProgress('running', root, { children: declared }), [
      parent('lr-services', 'CREATE_IN_PROGRESS', 0),
      parent('Namespace', 'CREATE_IN_PROGRESS', 1, 'AWS::ServiceDiscovery::PrivateDnsNamespace'),
      parent('Namespace', 'CREATE_COMPLETE', 2, 'AWS::ServiceDiscovery::PrivateDnsNamespace'),
      parent('Alb', 'CREATE_IN_PROGRESS', 3, 'AWS::CloudFormation::Stack', 'arn:aws:cloudformation:us-east-1:1:stack/lr-services-Alb-X/1'),
      own('Alb', 'CREATE_IN_PROGRESS', 3),
      child('Alb', 'LoadBalancer', 'CREATE_IN_PROGRESS', 4, 'AWS::ElasticLoadBalancingV2::LoadBalancer'),
      child('Alb', 'LoadBalancer', 'CREATE_COMPLETE', 9, 'AWS::ElasticLoadBalancingV2::LoadBalancer'),
      child('Alb', 'Listener', 'CREATE_IN_PROGRESS', 10, 'AWS::ElasticLoadBalancingV2::Listener'),
      parent('Query', 'CREATE_IN_PROGRESS', 10),
    ]);
    const stack = progress.stacks[0]!;
    const alb = stack.children.find((c) => c.path === 'Alb')!;
    expect(alb).toMatchObject({ stackName: 'lr-services-Alb-X', status: 'CREATE_IN_PROGRESS' });
    expect(alb.resources.map((r) => [r.logicalId, r.status])).toEqual([
      ['LoadBalancer', 'CREATE_COMPLETE'],
      ['Listener', 'CREATE_IN_PROGRESS'],
    ]);
    expect(alb.spans).toEqual([{ start: at(3), status: 'CREATE_IN_PROGRESS' }]);
    // Query has no events of its own yet: its parent's event about it gives its state
    expect(stack.children.find((c) => c.path === 'Query')!.status).toBe('CREATE_IN_PROGRESS');
    expect(stack.children.find((c) => c.path === 'Maestro')!.status).toBe('');
    expect(childCounts(stack)).toEqual({ total: 3, inProgress: 2, failed: 0, deleted: 0, complete: 0 });
    // the child's events are its own, not the root's
    expect(stack.events.every((e) => e.stackName === 'lr-services')).toBe(true);
    expect(counts(progress)).toMatchObject({ resourcesTotal: 6, resourcesDone: 2, inProgress: 3 });
    // the time left waits for the child's listener and the query tier's service, not for the nested stacks as such
    expect(etaSeconds(progress, new Date(at(10)))).toBe(typicalSeconds('AWS::ECS::Service') + Math.round(typicalSeconds('AWS::ElasticLoadBalancingV2::Listener') * 0.25));

    const done = applyEvents(progress, [
      child('Alb', 'Listener', 'CREATE_COMPLETE', 11, 'AWS::ElasticLoadBalancingV2::Listener'),
      own('Alb', 'CREATE_COMPLETE', 12),
      parent('Alb', 'CREATE_COMPLETE', 12),
      child('Query', 'QueryService', 'CREATE_FAILED', 13, 'AWS::ECS::Service', 'Injected: no capacity'),
      own('Query', 'ROLLBACK_IN_PROGRESS', 14),
    ]);
    const after = done.stacks[0]!;
    expect(childCounts(after)).toEqual({ total: 3, inProgress: 1, failed: 0, deleted: 0, complete: 1 });
    expect(counts(done)).toMatchObject({ resourcesDone: 4, failed: 1 });
    expect(after.children.find((c) => c.path === 'Query')!.resources[0]).toMatchObject({ status: 'CREATE_FAILED', reason: 'Injected: no capacity' });
  });

  it('takes in a child nobody declared (a grandchild) under its path, and counts a finished stack whole', () => {
    n = 0;
    const progress = applyEvents(initialProgress('running', root), [
      child('Query/Inner', 'Topic', 'CREATE_COMPLETE', 1, 'AWS::SNS::Topic'),
      { seq: ++n, event: { type: 'stack-status', stackId: 'services', stackName: 'lr-services', status: 'complete', at: at(2) } },
    ]);
    const stack = progress.stacks[0]!;
    expect(stack.children.map((c) => c.path)).toEqual(['Alb', 'Query', 'Query/Inner']);
    expect(counts(progress)).toMatchObject({ resourcesTotal: 6, resourcesDone: 6 });
  });
});
