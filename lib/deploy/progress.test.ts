import { describe, expect, it } from 'vitest';
import { remainingSeconds, typicalSeconds } from './durations';
import { applyEvents, counts, etaSeconds, initialProgress } from './progress';
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
      { logicalId: 'VPC', type: 'AWS::EC2::VPC', status: 'CREATE_COMPLETE', startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:00:11Z' },
      { logicalId: 'NatGateway', type: 'AWS::EC2::NatGateway', status: 'CREATE_IN_PROGRESS', startedAt: '2026-01-01T00:00:12Z' },
    ]);
    expect(counts(progress)).toEqual({ stacksDone: 0, stacks: 2, complete: 1, inProgress: 1, failed: 0 });
  });

  it('estimates the time left from typical durations, less what has already elapsed', () => {
    seq = 0;
    const progress = applyEvents(initialProgress('running', stacks), [
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
