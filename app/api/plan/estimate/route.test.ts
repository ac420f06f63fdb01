import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUDGETS } from '@/lib/auth/budgets';
import { createSession } from '@/lib/auth/sessions';
import { resetThrottlesForTests } from '@/lib/security/throttle';
import { actAs } from '@/lib/auth/testing';
import { createUser } from '@/lib/auth/users';
import type { Estimate } from '@/lib/cost/estimate';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { POST } from './route';
import { defaultPlan2025 } from '@/lib/plan/testing/line-2025';

vi.mock('next/headers', async () => (await import('@/lib/auth/testing')).fakeNextHeaders);

setupTempStore();
afterEach(async () => {
  vi.useRealTimers();
  actAs(undefined);
});

const post = (body: unknown) =>
  POST(new Request('http://console.test/api/plan/estimate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }), {
    params: Promise.resolve({}),
  });

describe('POST /api/plan/estimate', () => {
  it('needs a signed-in user', async () => {
    expect((await post(defaultPlan2025())).status).toBe(401);
  });

  it('estimates the plan in the body: subtotals per stack, line items, assumptions', async () => {
    const user = await createUser({ username: 'reader', role: 'viewer', password: 'a long password' });
    actAs((await createSession(user.id, undefined)).token);
    const plan = { ...defaultPlan2025(), region: 'eu-central-1', usage: { telemetryGbPerDay: '50', months: '3' } };
    const response = await post(plan);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const estimate = (await response.json()) as Estimate;
    expect(estimate.region).toBe('eu-central-1');
    expect(estimate.usage).toEqual({ telemetryGbPerDay: '50', months: '3' });
    expect(estimate.stacks.map((s) => s.name)).toEqual(['lakerunner-vpc', 'lakerunner-common', 'lakerunner-migration', 'lakerunner-services', 'lakerunner-grafana-service', 'lakerunner-otel-collector']);
    expect(estimate.monthly).toBeCloseTo(estimate.stacks.reduce((sum, s) => sum + s.monthly, 0), 6);
    expect(estimate.assumptions[1]).toContain('50 GB of telemetry arrive per day');
  });

  it('answers a bad usage assumption with a field error', async () => {
    const user = await createUser({ username: 'reader2', role: 'viewer', password: 'a long password' });
    actAs((await createSession(user.id, undefined)).token);
    const response = await post({ ...defaultPlan2025(), usage: { telemetryGbPerDay: 'lots', months: '12' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { fieldErrors: Record<string, string> }).fieldErrors['usage.telemetryGbPerDay']).toMatch(/must be a number of GB/);
  });

  it(`makes at most ${BUDGETS.estimate.burst} new estimates at once per user, answering more with a 429; plans estimated lately come from the cache`, async () => {
    resetThrottlesForTests();
    // The clock stands still, so however slowly the estimates run here, the budget does not refill meanwhile.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const user = await createUser({ username: 'busy', role: 'viewer', password: 'a long password' });
    actAs((await createSession(user.id, undefined)).token);
    const plans = Array.from({ length: BUDGETS.estimate.burst + 1 }, (_, i) => ({ ...defaultPlan2025(), usage: { telemetryGbPerDay: String(1000 + i), months: '12' } }));
    for (const plan of plans.slice(0, -1)) expect((await post(plan)).status).toBe(200);
    const refused = await post(plans.at(-1));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^Too many cost estimates asked for at once: wait \d+ s/);
    // a plan estimated a moment ago costs nothing: it is answered from the cache
    const again = await post(plans[0]);
    expect(again.status).toBe(200);
    expect(((await again.json()) as Estimate).usage.telemetryGbPerDay).toBe('1000');
    // another user has a budget of their own
    const other = await createUser({ username: 'other', role: 'viewer', password: 'a long password' });
    actAs((await createSession(other.id, undefined)).token);
    expect((await post(plans.at(-1))).status).toBe(200);
    resetThrottlesForTests();
    vi.useRealTimers();
  });
});
