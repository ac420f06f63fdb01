import { describe, expect, it } from 'vitest';
import { planGraph } from '@/lib/params/plan';

import { layoutGraph, NODE } from './layout';
import { METAS_2025 } from '@/lib/plan/testing/line-2025';

const METAS = METAS_2025;

describe('drawing the stack graph', () => {
  it('puts each stack below every stack it waits for, side-by-side stacks on one row, nothing overlapping', () => {
    const graph = planGraph({ network: 'new', include: { grafana: true, otel: true, demo: true } }, METAS);
    const layout = layoutGraph(graph);
    const at = Object.fromEntries(layout.nodes.map((n) => [n.id, n]));
    for (const id of graph.ids) for (const dep of graph.deps[id] ?? []) expect(at[dep]!.y + NODE.height).toBeLessThan(at[id]!.y);
    expect(at.migration!.y).toBe(at.otel!.y);
    expect(at.grafana!.y).toBe(at.demo!.y);
    for (const a of layout.nodes)
      for (const b of layout.nodes)
        if (a !== b) expect(Math.abs(a.x - b.x) >= NODE.width || Math.abs(a.y - b.y) >= NODE.height, `${a.id} and ${b.id} overlap`).toBe(true);
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x + NODE.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + NODE.height).toBeLessThanOrEqual(layout.height);
    }
    expect(layout.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['vpc→common', 'common→migration', 'migration→services', 'services→grafana', 'common→otel', 'services→demo', 'otel→demo']);
  });

  it('is narrow enough for a phone: two stacks to a row at most', () => {
    const layout = layoutGraph(planGraph({ network: 'new', include: { grafana: true, otel: true, demo: true } }, METAS));
    expect(layout.width).toBeLessThanOrEqual(2 * NODE.width + 40);
  });

  it('draws a single stack', () => {
    const layout = layoutGraph({ ids: ['services'], deps: {} });
    expect(layout.nodes).toEqual([{ id: 'services', x: 8, y: 8 }]);
    expect(layout.edges).toEqual([]);
  });
});
