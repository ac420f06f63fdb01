// The current line's own price rules over its rendered templates: what the reference prices and
// what it cannot (Cloud Map, Firehose, the metric stream), which the estimate states as usage-driven.
import { describe, expect, it } from 'vitest';
import { estimate } from '@/lib/cost/estimate';
import { defaultPlan } from '@/lib/params/plan';
import { renderPlan } from '@/lib/plan';
import { toEstimateStack } from '@/lib/plan/estimate';
import { lineMeta } from '../index';
import { LINE_CURRENT } from './line';

function estimateWith(cwmetrics: boolean) {
  const plan = defaultPlan(lineMeta('current'));
  plan.params.services!.OrganizationId = '0f1e2d3c-4b5a-4968-8776-655443322110';
  plan.params.cwmetrics!.OrganizationId = plan.params.services!.OrganizationId;
  plan.include = { ...plan.include, cwmetrics };
  return estimate({ stacks: renderPlan(plan).map(toEstimateStack), region: 'us-east-1', usage: { telemetryGbPerDay: '10', months: '1' }, rules: LINE_CURRENT.priceRules });
}

describe('the current line’s prices', () => {
  it('states the CloudWatch metrics stream’s Firehose and metric stream as usage-driven, with what drives them, and adds nothing fixed for them', () => {
    const withStream = estimateWith(true);
    expect(withStream.unpriced).toEqual([]);
    const cwmetrics = withStream.stacks.find((s) => s.id === 'cwmetrics')!;
    const byType = (type: string) => cwmetrics.lines.filter((l) => l.resourceType === type);
    expect(byType('AWS::KinesisFirehose::DeliveryStream')).toEqual([expect.objectContaining({ kind: 'usage', monthly: 0, counted: 'Usage-driven, not estimated', note: expect.stringMatching(/^Firehose bills per GB of metric updates/) })]);
    expect(byType('AWS::CloudWatch::MetricStream')).toEqual([expect.objectContaining({ kind: 'usage', monthly: 0, note: expect.stringMatching(/^A metric stream bills per metric update/) })]);
    // the stream adds no fixed cost the reference could price
    expect(withStream.fixed).toBeCloseTo(estimateWith(false).fixed);
  });

  it('states Cloud Map as usage-driven, scaling policies as free and the scalable targets at their ceilings', () => {
    const { stacks } = estimateWith(false);
    const lines = stacks.flatMap((s) => s.lines);
    const kinds = (type: string) => [...new Set(lines.filter((l) => l.resourceType === type).map((l) => l.kind))];
    expect(kinds('AWS::ServiceDiscovery::PrivateDnsNamespace')).toEqual(['usage']);
    expect(kinds('AWS::ServiceDiscovery::Service')).toEqual(['usage']);
    expect(lines.filter((l) => l.resourceType === 'AWS::ServiceDiscovery::Service').length).toBeGreaterThan(0);
    expect(kinds('AWS::ApplicationAutoScaling::ScalingPolicy')).toEqual(['free']);
    // every process tier's scalable target is priced at its ceiling, apart from the total
    const targets = lines.filter((l) => l.resourceType === 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(targets.length).toBeGreaterThan(0);
    expect(new Set(targets.map((l) => l.kind))).toEqual(new Set(['ceiling']));
  });
});
