import { describe, expect, it } from 'vitest';
import { planStacks } from '@/lib/params/plan';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';
import { LINE_2025 } from '@/templates/line-2025';
import { describeCause, exporterOf, missingExportGuidance, resourceGuidance } from './root-cause';

const METAS = METAS_2025;
const plan = defaultPlan2025();
plan.stackNames.common = 'pw-common';
const stacks = planStacks(plan, METAS);

describe('guidance for an import of a missing export', () => {
  it('finds the plan stack whose template exports the name, and the output', () => {
    expect(exporterOf(LINE_2025, stacks, 'pw-common-DbSecretArn')).toMatchObject({ stack: { stackName: 'pw-common' }, output: 'DbSecretArn' });
    expect(exporterOf(LINE_2025, stacks, 'pw-common-NotAnOutput')).toBeUndefined();
    expect(exporterOf(LINE_2025, stacks, 'elsewhere-DbSecretArn')).toBeUndefined();
  });

  it.each([
    ['no plan stack exports it', undefined, /^No stack of this plan exports pw-common-X\. Check the plan's stack names/],
    ['the exporter does not exist', { stackName: 'pw-common', output: 'X' }, /^pw-common exports pw-common-X once it exists, and it does not exist\. Deploy it first/],
    ['the exporter failed', { stackName: 'pw-common', output: 'X', state: { status: 'ROLLBACK_COMPLETE', outputs: {} } }, /but it is ROLLBACK_COMPLETE: its exports exist only after a successful create or update\. Recover it/],
    ['the exporter is still running', { stackName: 'pw-common', output: 'X', state: { status: 'CREATE_IN_PROGRESS', outputs: {} } }, /but it is CREATE_IN_PROGRESS/],
    ['the exporter completed without the output', { stackName: 'pw-common', output: 'X', state: { status: 'CREATE_COMPLETE', outputs: {} } }, /^pw-common is CREATE_COMPLETE yet has no X output, so pw-common-X is not exported: .*some emulators do/],
    ['the exporter has the output', { stackName: 'pw-common', output: 'X', state: { status: 'UPDATE_COMPLETE', outputs: { X: 'v' } } }, /CloudFormation does not list the export pw-common-X\. Check that both stacks are in the same account and region/],
  ])('when %s, says what to do', (_case, exporter, expected) => {
    expect(missingExportGuidance('pw-common-X', exporter)).toMatch(expected);
  });

  it('describes a cause with its resource when there is one, and without when the stack failed before any', () => {
    const base = { stackId: 'migration' as const, stackName: 'pw-migration', status: 'CREATE_FAILED', timestamp: '2026-01-01T00:00:00Z' };
    expect(describeCause({ ...base, logicalId: 'RunTask', resourceType: 'Custom::RunTask', reason: 'exit 1' })).toBe('pw-migration failed: RunTask (Custom::RunTask) — exit 1');
    expect(describeCause({ ...base, status: 'CHANGE_SET_FAILED', reason: 'No export named x found.' })).toBe('pw-migration failed: No export named x found.');
  });

  it('describes a cause inside a nested stack with the child, its title when known, and its own stack name', () => {
    const base = { stackId: 'services', stackName: 'lr-services', status: 'CREATE_FAILED', timestamp: '2026-01-01T00:00:00Z', logicalId: 'Alb', resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer', reason: 'no capacity' };
    expect(describeCause({ ...base, child: { path: 'Alb', title: 'Load balancer', stackName: 'lr-services-Alb-1A2B' } })).toBe(
      'lr-services failed: in nested stack Load balancer (Alb), lr-services-Alb-1A2B: Alb (AWS::ElasticLoadBalancingV2::LoadBalancer) — no capacity',
    );
    expect(describeCause({ ...base, child: { path: 'Query/Inner', stackName: 'lr-services-Query-X-Inner-Y' } })).toBe(
      'lr-services failed: in nested stack Query/Inner, lr-services-Query-X-Inner-Y: Alb (AWS::ElasticLoadBalancingV2::LoadBalancer) — no capacity',
    );
  });
});

describe('guidance for failed resources the line recognizes', () => {
  it('explains an internet-facing collector whose common stack has no public subnets', () => {
    const cause = { stackId: 'otel' as const, resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer', reason: "The subnet ID 'none' does not exist" };
    expect(resourceGuidance(LINE_2025.rootCauseHints, cause)).toMatch(/^The collector is internet-facing, but the common stack has no public subnets \(it exports "none"\).*make it internal/);
    expect(resourceGuidance(LINE_2025.rootCauseHints, { ...cause, reason: "The subnet ID 'subnet-0abc' does not exist" })).toBeUndefined();
    expect(resourceGuidance(LINE_2025.rootCauseHints, { ...cause, stackId: 'common' })).toBeUndefined();
  });
});
