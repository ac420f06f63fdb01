import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultPlan, type Plan } from '@/lib/params/plan';
import { LINE_2025_META } from '@/lib/plan/testing/line-2025';
import { toLineMeta, type LineMeta } from '@/templates/line';
import { FIXTURE_LINE } from '@/templates/testing/line-fixture';
import type { LineId } from '@/templates/stack';
import { clearPlan, loadPlan, loadStashed, savePlan, stashStored, storedRelease } from './plan-storage';
import { switchedPlan } from './use-plan-form';

/** A Storage in memory, as the browser's localStorage and sessionStorage behave. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

const fixture = toLineMeta(FIXTURE_LINE);
const lines: readonly LineMeta[] = [fixture, LINE_2025_META];
const defaultsFor = (release: LineId) => {
  const line = lines.find((l) => l.id === release);
  return line && defaultPlan(line);
};

beforeEach(() => {
  vi.stubGlobal('localStorage', memoryStorage());
  vi.stubGlobal('sessionStorage', memoryStorage());
});
afterEach(() => vi.unstubAllGlobals());

describe('the plan kept across reloads', () => {
  it('restores a plan stored before release lines onto the 2025 line, with every value it had', () => {
    // given what the console stored before there were release lines: no release, 2025 stacks
    const before = { ...defaultPlan(LINE_2025_META) } as Partial<Plan>;
    delete before.release;
    before.name = 'Kept from before';
    before.network = 'existing';
    before.include = { grafana: false, otel: true, demo: false };
    before.params = { ...before.params, common: { ...before.params!.common, VpcId: 'vpc-0abc1234' } };
    localStorage.setItem('lakerunner.plan.v1', JSON.stringify(before));
    sessionStorage.setItem('lakerunner.plan.secrets.v1', JSON.stringify({ common: { ApiKeysOverride: 'secret-yaml' } }));
    // when the page restores it, with the current line the default
    const restored = loadPlan(defaultsFor)!;
    // then it is on the 2025 line and nothing was lost
    expect(restored).toMatchObject({ release: '2025', name: 'Kept from before', network: 'existing', include: { grafana: false, otel: true, demo: false } });
    expect(restored.params.common).toMatchObject({ VpcId: 'vpc-0abc1234', ApiKeysOverride: 'secret-yaml' });
  });

  it('keeps secret values out of localStorage, in this tab’s sessionStorage only', () => {
    const plan = defaultPlan(fixture);
    plan.include.extra = true;
    plan.params.extra!.Token = 'tok-123';
    savePlan(plan, fixture.stacks);
    expect(localStorage.getItem('lakerunner.plan.v1')).not.toContain('tok-123');
    expect(loadPlan(defaultsFor)?.params.extra?.Token).toBe('tok-123');
  });

  it('keeps the nested templates mirror, and starts without one', () => {
    expect(loadPlan(defaultsFor)).toBeUndefined();
    savePlan(defaultPlan(fixture), fixture.stacks);
    expect(loadPlan(defaultsFor)?.childTemplatesUrl).toBeUndefined();
    savePlan({ ...defaultPlan(fixture), childTemplatesUrl: 'https://my-mirror.s3.us-east-1.amazonaws.com/lakerunner/' }, fixture.stacks);
    expect(loadPlan(defaultsFor)?.childTemplatesUrl).toBe('https://my-mirror.s3.us-east-1.amazonaws.com/lakerunner/');
  });

  it('does not restore a plan of a line this console does not offer', () => {
    localStorage.setItem('lakerunner.plan.v1', JSON.stringify({ ...defaultPlan(fixture), release: 'future' }));
    expect(loadPlan(defaultsFor)).toBeUndefined();
    clearPlan();
    expect(loadPlan(defaultsFor)).toBeUndefined();
  });
});

describe('switching release lines', () => {
  it('keeps what was entered on each line, secrets included, and brings it back', () => {
    // given a plan on the fixture line with a name, a value and a secret
    const onFixture = defaultPlan(fixture);
    onFixture.name = 'edge-first';
    onFixture.include.extra = true;
    onFixture.params.core!.Image = 'core:7';
    onFixture.params.extra!.Token = 'tok-9';
    // when the user switches to the 2025 line, changes it, and switches back
    const on2025 = switchedPlan(onFixture, fixture, LINE_2025_META);
    expect(on2025).toMatchObject({ release: '2025', name: 'edge-first', region: onFixture.region });
    on2025.params.migration!.Cpu = '1024';
    const back = switchedPlan(on2025, LINE_2025_META, fixture);
    // then the fixture line's plan is as it was, and so is the 2025 one on the way back
    expect(back).toMatchObject({ release: 'current', name: 'edge-first', include: { edge: true, extra: true } });
    expect(back.params.core?.Image).toBe('core:7');
    expect(back.params.extra?.Token).toBe('tok-9');
    expect(localStorage.getItem('lakerunner.plan.lines.v1')).not.toContain('tok-9');
    expect(loadStashed(defaultPlan(LINE_2025_META))?.params.migration?.Cpu).toBe('1024');
  });

  it('starts a line never visited at its defaults, keeping the plan’s name, region and usage', () => {
    const plan = { ...defaultPlan(LINE_2025_META), name: 'mine', region: 'eu-west-1' as const, usage: { telemetryGbPerDay: '50', months: '6' } };
    const fresh = switchedPlan(plan, LINE_2025_META, fixture);
    expect(fresh).toEqual({ ...defaultPlan(fixture), name: 'mine', region: 'eu-west-1', usage: { telemetryGbPerDay: '50', months: '6' } });
  });
});

describe('a plan with a group of stacks in another account', () => {
  it('keeps the account across a reload, its ExternalId in the tab’s session only', () => {
    // given a plan that puts a group in another account with an ExternalId
    const plan: Plan = { ...defaultPlan(fixture), accounts: { satellite: { accountId: '222222222222', region: 'us-east-1', roleArn: 'arn:aws:iam::222222222222:role/Deploy', externalId: 'ext-kept-apart' } } };
    savePlan(plan, fixture.stacks);
    // the ExternalId is not in localStorage, only in sessionStorage
    expect(localStorage.getItem('lakerunner.plan.v1')).not.toContain('ext-kept-apart');
    expect(JSON.parse(localStorage.getItem('lakerunner.plan.v1')!).accounts.satellite).toMatchObject({ accountId: '222222222222', externalId: '' });
    expect(sessionStorage.getItem('lakerunner.plan.secrets.v1')).toContain('ext-kept-apart');
    // and the reload brings it all back
    expect(loadPlan(defaultsFor)?.accounts).toEqual(plan.accounts);
    // a new tab (no session) keeps the account but not the ExternalId
    vi.stubGlobal('sessionStorage', memoryStorage());
    expect(loadPlan(defaultsFor)?.accounts?.satellite?.externalId).toBe('');
  });
});

describe('the line the page comes with', () => {
  it("tells the server the stored plan's line in a cookie (a line id, nothing else), for the /plan page only", () => {
    const document = { cookie: '' };
    vi.stubGlobal('document', document);
    const plan = defaultPlan(LINE_2025_META);
    plan.params.common!.ApiKeysOverride = 'secret-yaml';
    savePlan(plan, LINE_2025_META.stacks);
    expect(document.cookie).toBe('lakerunner.plan.line=2025; Path=/plan; Max-Age=31536000; SameSite=Strict');
  });

  it('knows the stored plan’s line before restoring it: none, the 2025 line for a plan from before lines, or the one it names', () => {
    expect(storedRelease()).toBeUndefined();
    const before = { ...defaultPlan(LINE_2025_META) } as Partial<Plan>;
    delete before.release;
    localStorage.setItem('lakerunner.plan.v1', JSON.stringify(before));
    expect(storedRelease()).toBe('2025');
    savePlan(defaultPlan(fixture), fixture.stacks);
    expect(storedRelease()).toBe('current');
  });

  it('keeps a stored plan whose line could not be loaded, secrets included, for when the user switches to that line', () => {
    // given a stored 2025 plan with a value and a secret
    const plan = defaultPlan(LINE_2025_META);
    plan.name = 'kept aside';
    plan.params.common!.ApiKeysOverride = 'secret-yaml';
    savePlan(plan, LINE_2025_META.stacks);
    // when it is moved aside (its line did not load)
    stashStored();
    // then nothing is in the form's place, and switching to its line finds it whole
    expect(storedRelease()).toBeUndefined();
    const back = switchedPlan(defaultPlan(fixture), fixture, LINE_2025_META);
    expect(back).toMatchObject({ release: '2025', name: 'kept aside' });
    expect(back.params.common?.ApiKeysOverride).toBe('secret-yaml');
  });
});
