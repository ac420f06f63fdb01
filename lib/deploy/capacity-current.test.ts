// The Fargate footprint of a current-line plan at its autoscaling ceiling, read from the rendered
// templates (the process tiers' scalable targets and task sizes), so it follows the plan's values.
import { describe, expect, it } from 'vitest';
import { defaultPlan, type Plan } from '@/lib/params/plan';
import { planFootprint } from '@/lib/plan/estimate';
import { lineMeta } from '@/templates';
import { PROCESS_TASK_CPU, PROCESS_WORKERS } from '@/templates/current/cardinal-lakerunner/services-process';

const withServices = (change: Record<string, string>): Plan => {
  const plan = defaultPlan(lineMeta('current'));
  Object.assign(plan.params.services!, change);
  return plan;
};
const PROCESS_VCPU = Number(PROCESS_TASK_CPU) / 1024;

describe('the Fargate quota preflight at the ceiling (current line)', () => {
  it('adds each process tier up to its ceiling of tasks at its task size, over every fixed service', () => {
    const base = planFootprint(withServices({}));
    // every process tier starts at one task: the steady state counts one each
    for (const worker of PROCESS_WORKERS) expect(base.services.find((s) => s.logicalId === `${worker.id}Service`)).toMatchObject({ count: 1, vcpu: PROCESS_VCPU });
    const ceilings = PROCESS_WORKERS.map((w) => Number(withServices({}).params.services![`${w.id}Replicas`]));
    expect(base.ceilingVcpu - base.vcpu).toBe(ceilings.reduce((total, max) => total + (max - 1) * PROCESS_VCPU, 0));

    // raising one tier's ceiling by 5 raises the ceiling by 5 of its tasks, and nothing else
    const raised = planFootprint(withServices({ ProcessLogsReplicas: String(ceilings[0]! + 5) }));
    expect(raised.vcpu).toBe(base.vcpu);
    expect(raised.ceilingVcpu - base.ceilingVcpu).toBe(5 * PROCESS_VCPU);
    // a ceiling of one task adds nothing above the steady state
    const flat = planFootprint(withServices(Object.fromEntries(PROCESS_WORKERS.map((w) => [`${w.id}Replicas`, '1']))));
    expect(flat.ceilingVcpu).toBe(flat.vcpu);
  });

  it('counts the fixed services at their task counts: more query workers raise the steady state and the ceiling alike', () => {
    const base = planFootprint(withServices({}));
    const worker = base.services.find((s) => s.logicalId === 'QueryWorkerService')!;
    const more = planFootprint(withServices({ QueryWorkerReplicas: String(worker.count + 2) }));
    const perTask = worker.vcpu / worker.count;
    expect(more.vcpu - base.vcpu).toBe(2 * perTask);
    expect(more.ceilingVcpu - base.ceilingVcpu).toBe(2 * perTask);
  });
});
