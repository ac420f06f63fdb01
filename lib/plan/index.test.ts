import { describe, expect, it } from 'vitest';
import { UNKNOWN_RELEASE } from '@/lib/params/plan-schema';
import { scopeOf } from '@/lib/deploy/scope';
import { createDeployment, getDeployment } from '@/lib/store/deployments';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import { defaultPlan } from '@/lib/params/plan';
import { lineMeta, lineOf } from '@/templates';
import { loadedLine, parsePlan, renderPlan } from './index';
import { defaultPlan2025 } from './testing/line-2025';

/** A plan as the console stored it before release lines: no `release`. */
function planFromBefore() {
  const { release: _release, ...older } = defaultPlan2025();
  void _release;
  return older;
}

describe('the plan schema of every line', () => {
  it('checks a plan with its line’s schema, a plan without a line with the 2025 one', async () => {
    expect(await parsePlan(defaultPlan2025())).toMatchObject({ ok: true, plan: { release: '2025' } });
    const older = await parsePlan(planFromBefore());
    expect(older.ok && older.plan.release).toBeUndefined();
    expect(await parsePlan({ ...defaultPlan2025(), name: '' })).toMatchObject({ ok: false, fieldErrors: { name: expect.stringMatching(/Plan name/) } });
  });

  it('refuses a line it does not know as a field error, never a crash', async () => {
    expect(await parsePlan({ ...defaultPlan2025(), release: '1999' })).toEqual({ ok: false, fieldErrors: { release: UNKNOWN_RELEASE } });
    expect(await parsePlan({ ...defaultPlan2025(), release: { toString: null } })).toEqual({ ok: false, fieldErrors: { release: UNKNOWN_RELEASE } });
    expect(await parsePlan('not a plan')).toMatchObject({ ok: false });
  });

  it('renders a plan from before release lines exactly as the same plan on the 2025 line', () => {
    const text = (stacks: ReturnType<typeof renderPlan>) => JSON.stringify(stacks.map((s) => [s.stackName, s.template]));
    expect(text(renderPlan(planFromBefore()))).toBe(text(renderPlan(defaultPlan2025())));
  });
});

describe.each(BACKENDS)('a deployment stored before release lines (%s)', (backend) => {
  setupTempStore(backend);

  it('is on the 2025 line: its stacks, its operations', async () => {
    const stored = await createDeployment({ name: 'from-before', plan: planFromBefore(), createdBy: 'alice' });
    const deployment = (await getDeployment(stored.id))!;
    expect(deployment.plan.release).toBeUndefined();
    const line = lineOf(deployment.plan);
    expect(line.id).toBe('2025');
    expect(scopeOf(deployment.plan, line, { kind: 'update-images', images: { ContainerImage: 'r/lakerunner:v2' } }).map((s) => s.stack.stackName)).toEqual(['lakerunner-migration']);
  });
});

describe('loadedLine', () => {
  it("carries the line's default plan as the server's checks give it back, or null when the defaults do not pass them", async () => {
    const legacy = await loadedLine('2025');
    expect(legacy.checkedDefault).toEqual(await parsePlan(defaultPlan2025()).then((r) => (r.ok ? r.plan : 'invalid')));
    // The current line's default plan has no license yet.
    expect((await parsePlan(defaultPlan(lineMeta('current')))).ok).toBe(false);
    expect((await loadedLine('current')).checkedDefault).toBeNull();
  });
});
