// Bench: the monthly cost estimate of a full 2025-line plan (every optional stack, new VPC), from its
// rendered templates, warm, median of many runs; and the same with rendering the templates first.
import { estimate } from '../../lib/cost/estimate';
import { usageOf } from '../../lib/params/usage';
import { renderPlan } from '../../lib/plan/index';
import { defaultPlan2025 } from '../../lib/plan/testing/line-2025';
import { toEstimateStack } from '../../lib/plan/estimate';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? NaN;

function timed(runs: number, work: () => void): number[] {
  for (let i = 0; i < 20; i += 1) work(); // warm up
  return Array.from({ length: runs }, () => {
    const start = performance.now();
    work();
    return performance.now() - start;
  });
}

export function benchEstimate(runs = 200) {
  const plan = defaultPlan2025();
  plan.include = { grafana: true, otel: true, demo: true };
  const stacks = renderPlan(plan).map(toEstimateStack);
  const input = { stacks, region: plan.region, usage: usageOf(plan) };
  const result = estimate(input);
  const alone = timed(runs, () => estimate(input));
  const withRender = timed(runs, () => estimate({ ...input, stacks: renderPlan(plan).map(toEstimateStack) }));
  const lines = result.stacks.flatMap((s) => s.lines);
  return {
    runs,
    stacks: stacks.length,
    resources: lines.length,
    total: result.monthly,
    medianMs: median(alone),
    p95Ms: p95(alone),
    withRenderMedianMs: median(withRender),
  };
}
