// Where a drawing of the stack graph puts each stack: one row per layer (the longest chain of
// dependencies before it), rows centred, edges as curves from a stack to the stacks that wait for
// it. Fixed sizes, so a drawing never moves as its stacks change state. Pure.
import { depsOf, layers, type StackGraph } from '@/lib/params/graph';
import type { StackId } from '@/templates/stack';

export const NODE = { width: 200, height: 50 } as const;
/** The height of nodes with a third line (a stack's nested stacks on the run page). */
export const TALL_NODE_HEIGHT = 66;
const GAP = { x: 24, y: 34 } as const;
const PAD = 8;

export interface GraphLayout {
  width: number;
  height: number;
  nodeHeight: number;
  nodes: { id: StackId; x: number; y: number }[];
  edges: { from: StackId; to: StackId; path: string }[];
}

export function layoutGraph(graph: StackGraph, nodeHeight: number = NODE.height): GraphLayout {
  const rows = layers(graph);
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const width = PAD * 2 + widest * NODE.width + (widest - 1) * GAP.x;
  const height = PAD * 2 + rows.length * nodeHeight + Math.max(0, rows.length - 1) * GAP.y;
  const at = new Map<StackId, { x: number; y: number }>();
  rows.forEach((row, depth) => {
    const rowWidth = row.length * NODE.width + (row.length - 1) * GAP.x;
    const left = (width - rowWidth) / 2;
    row.forEach((id, i) => at.set(id, { x: left + i * (NODE.width + GAP.x), y: PAD + depth * (nodeHeight + GAP.y) }));
  });
  const edges = graph.ids.flatMap((to) =>
    depsOf(graph, to).map((from) => {
      const a = at.get(from)!;
      const b = at.get(to)!;
      const [x1, y1, x2, y2] = [a.x + NODE.width / 2, a.y + nodeHeight, b.x + NODE.width / 2, b.y];
      const bend = (y2 - y1) / 2;
      return { from, to, path: `M${x1} ${y1} C${x1} ${y1 + bend} ${x2} ${y2 - bend} ${x2} ${y2 - 4}` };
    }),
  );
  return { width, height, nodeHeight, nodes: graph.ids.map((id) => ({ id, ...at.get(id)! })), edges };
}
