import { describe, expect, it } from 'vitest';
import { inputSources, type StackId } from '@/templates/stack';
import { ancestors, criticalPath, layers, reversed, reversedByAccount, sideBySide, stackGraph, subgraph, type StackGraph } from './graph';
import { planGraph } from './plan';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';

const METAS = METAS_2025;
const ALL = { network: 'new', include: { grafana: true, otel: true, demo: true } } as const;

describe('the stack dependency graph', () => {
  it('has the edges the issue names: vpc → common → migration → services → grafana; common → otel; services and otel → demo', () => {
    expect(planGraph(ALL, METAS).deps).toEqual({
      vpc: [],
      common: ['vpc'],
      migration: ['common'],
      services: ['migration'],
      grafana: ['services'],
      otel: ['common'],
      demo: ['services', 'otel'],
    });
  });

  it('reaches every stack a stack imports from, so no stack starts before its exports exist', () => {
    const graph = planGraph(ALL, METAS);
    for (const meta of METAS) {
      const before = ancestors(graph, meta.id);
      const inputs = Object.values(meta.inputs).flatMap(inputSources);
      for (const need of [...meta.needs, ...inputs]) expect(before.has(need), `${meta.id} after ${need}`).toBe(true);
    }
  });

  it('lists the registry in a topological order', () => {
    const graph = planGraph(ALL, METAS);
    graph.ids.forEach((id, index) => {
      for (const d of graph.deps[id] ?? []) expect(graph.ids.indexOf(d)).toBeLessThan(index);
    });
  });

  it('drops left-out stacks: an existing-VPC plan starts at common, and without the collector demo waits for services only', () => {
    const graph = planGraph({ network: 'existing', include: { grafana: false, otel: false, demo: false } }, METAS);
    expect(graph.ids).toEqual(['common', 'migration', 'services']);
    expect(graph.deps.common).toEqual([]);
    const noCollector = planGraph({ network: 'new', include: { grafana: true, otel: false, demo: true } }, METAS);
    expect(noCollector.deps.demo).toEqual(['services']);
  });

  it('lets an edge pass through a left-out stack in the middle', () => {
    const chain = [
      { ...METAS[0]!, id: 'vpc' as StackId, after: [] },
      { ...METAS[1]!, id: 'common' as StackId, after: ['vpc'] as StackId[] },
      { ...METAS[2]!, id: 'migration' as StackId, after: ['common'] as StackId[] },
    ];
    expect(stackGraph(chain, (id) => id !== 'common').deps).toEqual({ vpc: [], migration: ['vpc'] });
  });

  it('layers the full plan in five columns, collector beside migration, grafana beside demo', () => {
    expect(layers(planGraph(ALL, METAS))).toEqual([['vpc'], ['common'], ['migration', 'otel'], ['services'], ['grafana', 'demo']]);
  });

  it('names the stacks that could run side by side', () => {
    const graph = planGraph(ALL, METAS);
    expect(sideBySide(graph, 'otel')).toEqual(['migration', 'services', 'grafana']);
    expect(sideBySide(graph, 'common')).toEqual([]);
    expect(sideBySide(graph, 'grafana')).toEqual(['otel', 'demo']);
  });

  it('reverses for a teardown: demo and grafana first, the VPC last', () => {
    const back = reversed(planGraph(ALL, METAS));
    expect(back.ids[0]).toBe('demo');
    expect(back.deps.vpc).toEqual(['common']);
    expect(back.deps.common).toEqual(['migration', 'otel']);
    expect(back.deps.services).toEqual(['grafana', 'demo']);
    expect(back.deps.demo).toEqual([]);
    expect(layers(back)).toEqual([['demo', 'grafana'], ['otel', 'services'], ['migration'], ['common'], ['vpc']]);
  });

  it('keeps only a run’s stacks, edges to the others counting as met', () => {
    const graph = subgraph(planGraph(ALL, METAS), ['services', 'migration']);
    expect(graph).toEqual({ ids: ['migration', 'services'], deps: { migration: [], services: ['migration'] } });
  });

  it('finds the critical path: the longest chain by duration, not by count', () => {
    const graph = planGraph(ALL, METAS);
    const seconds: Record<StackId, number> = { vpc: 10, common: 100, migration: 5, services: 20, grafana: 3, otel: 60, demo: 1 };
    expect(criticalPath(graph, (id) => seconds[id] ?? 0)).toEqual({ total: 171, path: ['vpc', 'common', 'otel', 'demo'] });
    seconds.otel = 10;
    expect(criticalPath(graph, (id) => seconds[id] ?? 0)).toEqual({ total: 138, path: ['vpc', 'common', 'migration', 'services', 'grafana'] });
  });

  it('is what the default plan deploys', () => {
    expect(planGraph(defaultPlan2025(), METAS).ids).toEqual(['vpc', 'common', 'migration', 'services', 'grafana', 'otel']);
  });
});

describe('a teardown across accounts', () => {
  // net → core in account A; edge in B fed by core; app in A fed by edge and core
  const graph: StackGraph = { ids: ['net', 'core', 'edge', 'app'], deps: { net: [], core: ['net'], edge: ['core'], app: ['edge', 'core'] } };
  const accountOf = (id: StackId) => (id === 'edge' ? 'B' : 'A');

  it('tears down the account reached last first, then the other, each backwards', () => {
    const back = reversedByAccount(graph, accountOf);
    expect(back.ids).toEqual(['edge', 'app', 'core', 'net']);
    expect(back.deps).toEqual({ edge: [], app: ['edge'], core: ['app'], net: ['core'] });
  });

  it('keeps an order inside an account that only ran through the other account', () => {
    // z depends on x only through y in B: z must still go before x
    const through: StackGraph = { ids: ['x', 'y', 'z'], deps: { x: [], y: ['x'], z: ['y'] } };
    const back = reversedByAccount(through, (id) => (id === 'y' ? 'B' : 'A'));
    expect(back.ids).toEqual(['y', 'z', 'x']);
    expect(back.deps).toEqual({ y: [], z: ['y'], x: ['z'] });
  });

  it('is the plain reversed graph when every stack is in one account', () => {
    expect(reversedByAccount(graph, () => 'A')).toEqual(reversed(graph));
    const full = planGraph(ALL, METAS);
    expect(reversedByAccount(full, () => 'home')).toEqual(reversed(full));
  });

  it('lets several last stacks of one account all finish before the next account starts', () => {
    // B has two independent stacks: both come before any of A's
    const two: StackGraph = { ids: ['a1', 'b1', 'b2', 'a2'], deps: { a1: [], b1: ['a1'], b2: ['a1'], a2: ['b1', 'b2'] } };
    const back = reversedByAccount(two, (id) => id[0]!.toUpperCase());
    expect(back.ids).toEqual(['b2', 'b1', 'a2', 'a1']);
    expect(back.deps).toEqual({ b2: [], b1: [], a2: ['b2', 'b1'], a1: ['a2'] });
  });
});
