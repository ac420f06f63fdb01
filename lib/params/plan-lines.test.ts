import { describe, expect, it } from 'vitest';
import { LINE_2025_META } from '@/lib/plan/testing/line-2025';
import { toLineMeta } from '@/templates/line';
import { FIXTURE_LINE } from '@/templates/testing/line-fixture';
import { defaultPlan, filledKeys, includedIn, isIncluded, planGraph, planStacks, releaseOf } from './plan';
import { createPlanSchema, UNKNOWN_RELEASE } from './plan-schema';
import { toFieldErrors } from './schema';

// A line the generic code has never heard of: everything comes from its data.
const line = toLineMeta(FIXTURE_LINE);
const schema = createPlanSchema(line);
const errorsOf = async (plan: unknown, on = schema) => {
  const result = await on.safeParseAsync(plan);
  return result.success ? {} : toFieldErrors(result.error);
};
const meta = (id: string) => line.stacks.find((s) => s.id === id)!;

describe('a plan on any release line', () => {
  it('starts on its line with the line’s toggles, stack names and parameter defaults', () => {
    const plan = defaultPlan(line);
    expect(plan).toMatchObject({ release: 'current', network: 'new', include: { edge: true, extra: false } });
    expect(plan.stackNames).toEqual({ net: 'fixture-net', core: 'fixture-core', edge: 'fixture-edge', extra: 'fixture-extra' });
    expect(plan.params.core).toEqual({ NetId: '', PublicNets: '', Image: 'core:1', Telemetry: '', Workers: '4' });
  });

  it('includes stacks by their inclusion: always, only for a new network, or by their toggle', () => {
    const plan = defaultPlan(line);
    expect(line.stacks.map((s) => isIncluded(plan, s))).toEqual([true, true, true, false]);
    const existing = { ...plan, network: 'existing' as const, include: { edge: false, extra: true } };
    expect(line.stacks.map((s) => isIncluded(existing, s))).toEqual([false, true, false, true]);
    expect(includedIn(plan, line.stacks)('grafana')).toBe(false);
  });

  it('fills what included stacks give, asks for the rest, and draws the graph through left-out stacks', () => {
    const plan = defaultPlan(line);
    expect(filledKeys(meta('core'), plan, line.stacks)).toEqual(['NetId', 'PublicNets']);
    expect(filledKeys(meta('core'), { ...plan, network: 'existing' }, line.stacks)).toEqual([]);
    expect(planStacks(plan, line.stacks).find((s) => s.meta.id === 'edge')?.values.CoreStackName).toBe('fixture-core');
    expect(planGraph({ network: 'existing', include: { edge: false, extra: true } }, line.stacks)).toEqual({ ids: ['core', 'extra'], deps: { core: [], extra: ['core'] } });
  });

  it('knows a plan saved without a line is on the 2025 line', () => {
    expect(releaseOf({})).toBe('2025');
    expect(releaseOf({ release: 'current' })).toBe('current');
  });
});

describe('the plan schema of a line', () => {
  it('accepts the line’s default plan, and needs the line named (only the 2025 line may go unnamed)', async () => {
    expect(await errorsOf(defaultPlan(line))).toEqual({});
    const { release: _release, ...unnamed } = defaultPlan(line);
    void _release;
    expect(await errorsOf(unnamed)).toEqual({ release: UNKNOWN_RELEASE });
    expect(await errorsOf({ ...defaultPlan(line), release: '2025' })).toEqual({ release: UNKNOWN_RELEASE });
  });

  it('takes the line’s toggles and no others', async () => {
    const plan = { ...defaultPlan(line), include: { edge: true, extra: false, grafana: true } };
    expect(Object.keys(await errorsOf(plan))).toEqual(['include.grafana']);
  });

  it('checks the line’s rules across stacks: a toggle that needs another, a value that needs another', async () => {
    const extraAlone = { ...defaultPlan(line), include: { edge: false, extra: true } };
    expect(await errorsOf(extraAlone)).toEqual({ 'include.extra': 'The extra stack needs the edge.' });

    const open = defaultPlan(line);
    open.params.edge!.Scheme = 'internet-facing';
    // the net stack fills the public networks of a new network
    expect(await errorsOf(open)).toEqual({});
    const existing = { ...open, network: 'existing' as const };
    existing.params.core!.NetId = 'net-7';
    expect(await errorsOf(existing)).toEqual({ 'params.edge.Scheme': 'An internet-facing edge needs public networks in the core stack.' });
    existing.params.core!.PublicNets = 'pub-7';
    expect(await errorsOf(existing)).toEqual({});
  });

  it('asks for values a left-out stack would have given', async () => {
    expect(await errorsOf({ ...defaultPlan(line), network: 'existing' })).toEqual({ 'params.core.NetId': expect.stringMatching(/required/) });
  });

  it('of the 2025 line accepts a plan from before release lines, and no other line’s', async () => {
    const schema2025 = createPlanSchema(LINE_2025_META);
    const { release: _release, ...older } = defaultPlan(LINE_2025_META);
    void _release;
    const parsed = await schema2025.parseAsync(older);
    expect(parsed.release).toBeUndefined();
    expect(await errorsOf({ ...older, release: '2025' }, schema2025)).toEqual({});
    expect(await errorsOf({ ...older, release: 'current' }, schema2025)).toEqual({ release: UNKNOWN_RELEASE });
  });
});
