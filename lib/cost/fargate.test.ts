import { describe, expect, it } from 'vitest';
import { planFootprint } from '@/lib/plan/estimate';
import { defaultPlan2025 } from '@/lib/plan/testing/line-2025';

describe('the Fargate footprint', () => {
  it('adds up the tasks the default plan keeps running, without the one-shot setup task', () => {
    const footprint = planFootprint(defaultPlan2025());
    // nine services (19 tasks), Grafana and the collector
    expect(footprint.tasks).toBe(21 + 1);
    expect(footprint.vcpu).toBe(1 + 2 + 1 + 4 + 1 + 1 + 0.25 + 2 + 16 + 0.5 + 1);
    expect(footprint.memoryGb).toBe(2 + 4 + 2 + 8 + 2 + 2 + 0.5 + 8 + 64 + 1 + 2);
    expect(footprint.services.find((s) => s.logicalId === 'QueryWorkerService')).toEqual({
      stackId: 'services',
      logicalId: 'QueryWorkerService',
      count: 8,
      vcpu: 16,
      memoryGb: 64,
      arch: 'arm64',
      maximumPercent: 200,
    });
    expect(footprint.services.some((s) => s.stackId === 'migration')).toBe(false);
  });

  it('peaks during an update at the steady state plus the new tasks every service starts before stopping its old ones', () => {
    const footprint = planFootprint(defaultPlan2025());
    // Grafana (MaximumPercent 100) stops its task first; everything else may double.
    expect(footprint.services.find((s) => s.logicalId === 'GrafanaService')?.maximumPercent).toBe(100);
    expect(footprint.oneShotVcpu).toBe(0.5);
    expect(footprint.updatePeakVcpu).toBe(29.75 + (29.75 - 0.5));
  });

  it('sizes the one-shot setup task from its parameters', () => {
    const plan = defaultPlan2025();
    plan.params.migration.Cpu = '4096';
    plan.params.migration.MemoryMiB = '8192';
    expect(planFootprint(plan).oneShotVcpu).toBe(4);
  });

  it('follows the task counts and the optional stacks', () => {
    const plan = defaultPlan2025();
    plan.params.services.QueryWorkerCount = '2';
    plan.params.otel.CollectorCount = '3';
    plan.include.grafana = false;
    const footprint = planFootprint(plan);
    expect(footprint.tasks).toBe(22 - 6 + 2 - 1);
    expect(footprint.vcpu).toBe(29.75 - 12 + 2 - 0.5);
  });
});
