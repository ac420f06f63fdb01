import { describe, expect, it } from 'vitest';
import { DEFAULT_LINE_ID, findStem, isLineId, lineById, lineMetas, lineOf, LINES, stackById, stackByStem } from './index';
import { defaultPlan, planStacks } from '@/lib/params/plan';
import { toLineMeta, type ReleaseLine } from './line';
import { LINE_IDS, STACK_ID_PATTERN } from './stack';
import { FIXTURE_LINE } from './testing/line-fixture';

// Every registered line, and the unit tests' fixture line, which must be a valid line too.
const lines = [...LINES.map((line) => [line.id, line] as const), ['fixture', FIXTURE_LINE] as const];
const paramsOf = (line: ReleaseLine, stack: string) => line.stacks.find((s) => s.id === stack)?.parameters.map((p) => p.key) ?? [];

describe('the registry of release lines', () => {
  it('has the 2025 line, and new plans start on the current line once it is registered', () => {
    expect(LINES.map((l) => l.id)).toContain('2025');
    expect(LINES.every((l) => (LINE_IDS as readonly string[]).includes(l.id))).toBe(true);
    expect(DEFAULT_LINE_ID).toBe(LINES.some((l) => l.id === 'current') ? 'current' : '2025');
    expect(lineMetas()[0]?.id).toBe(DEFAULT_LINE_ID);
  });

  it('puts a plan or deployment saved without a line on the 2025 line', () => {
    expect(lineOf({}).id).toBe('2025');
    expect(lineOf({ release: '2025' }).id).toBe('2025');
    expect(isLineId('2025')).toBe(true);
    expect(isLineId('1999')).toBe(false);
    expect(() => lineById('nope' as never)).toThrow('No release line nope');
  });

  it('finds a stack by id within its line, and by stem or alias across lines', () => {
    expect(stackById('2025', 'services').stem).toBe('lakerunner-services');
    expect(() => stackById('2025', 'cluster')).toThrow('No stack with id cluster in the 2025 line');
    expect(findStem('lakerunner-ecs-services')).toMatchObject({ line: { id: '2025' }, stack: { id: 'services' } });
    expect(stackByStem('lakerunner-grafana-service')?.id).toBe('grafana');
    expect(stackByStem('no-such-stem')).toBeUndefined();
  });

  it('serves every stem and alias once across all lines', () => {
    const names = LINES.flatMap((l) => l.stacks.flatMap((s) => [s.stem, ...s.aliases]));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe.each(lines)('the %s line', (_id, line: ReleaseLine) => {
  const ids = line.stacks.map((s) => s.id);

  it('has unique stack ids of the shared pattern, each after only stacks before it', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const [index, stack] of line.stacks.entries()) {
      expect(stack.id).toMatch(STACK_ID_PATTERN);
      for (const before of [...stack.after, ...stack.needs]) expect(ids.indexOf(before), `${stack.id} after ${before}`).toBeLessThan(index);
    }
  });

  it('offers a toggle for exactly its toggled stacks', () => {
    expect(line.toggles.map((t) => t.id)).toEqual(line.stacks.filter((s) => s.inclusion === 'toggle').map((s) => s.id));
  });

  it('names only its own stacks, toggles and parameters in its rules, operations and warnings', () => {
    const toggles = line.toggles.map((t) => t.id);
    for (const rule of line.rules) {
      if (rule.kind === 'toggle-needs') expect([rule.toggle, rule.needs].every((id) => toggles.includes(id))).toBe(true);
      else {
        expect(paramsOf(line, rule.when.stack)).toContain(rule.when.key);
        expect(paramsOf(line, rule.needs.stack)).toContain(rule.needs.key);
      }
    }
    const { images, grafanaReset, otlpEndpoint, settings } = line.operations;
    for (const { stack, keys } of images) for (const key of keys) expect(paramsOf(line, stack), `${stack}.${key}`).toContain(key);
    const imageKeys = images.flatMap((i) => i.keys);
    expect(new Set(imageKeys).size).toBe(imageKeys.length);
    for (const at of [grafanaReset, otlpEndpoint]) if (at) expect(paramsOf(line, at.stack)).toContain(at.parameter);
    for (const [stack, keys] of Object.entries(settings)) for (const key of keys ?? []) expect(paramsOf(line, stack), `${stack}.${key}`).toContain(key);
    for (const rule of line.exposure) expect(paramsOf(line, rule.stack)).toEqual(expect.arrayContaining([rule.scheme, rule.certificate]));
    for (const hint of line.rootCauseHints) expect(ids).toContain(hint.stack);
  });

  it('waits for every stack whose output a parameter takes, in every plan shape, and shares only values of stacks that exist', () => {
    const ancestors = (id: string): Set<string> => {
      const stack = line.stacks.find((s) => s.id === id);
      return new Set((stack ? [...stack.after, ...stack.needs] : []).flatMap((before) => [before, ...ancestors(before)]));
    };
    const toggles = line.toggles.map((t) => t.id);
    for (const network of ['new', 'existing'] as const)
      for (let mask = 0; mask < 2 ** toggles.length; mask += 1) {
        const plan = defaultPlan(line);
        plan.network = network;
        toggles.forEach((id, bit) => (plan.include[id] = (mask & (1 << bit)) !== 0));
        for (const stack of planStacks(plan, line.stacks))
          for (const [key, pending] of Object.entries(stack.pending)) expect(ancestors(stack.meta.id).has(pending.stack), `${stack.meta.id}.${key} waits for ${pending.stack}`).toBe(true);
      }
    for (const stack of line.stacks)
      for (const input of Object.values(stack.inputs))
        if ('sameAs' in input) expect(paramsOf(line, input.sameAs[0])).toContain(input.sameAs[1]);
  });

  it('gives client components plain data only', () => {
    const meta = toLineMeta(line);
    expect(JSON.parse(JSON.stringify(meta))).toEqual(meta);
    expect(meta.stacks.map((s) => s.id)).toEqual(ids);
  });
});
