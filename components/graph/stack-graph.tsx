import { useId } from 'react';
import type { StackGraph } from '@/lib/params/graph';
import type { StackId } from '@/templates/stack';
import { layoutGraph, NODE, TALL_NODE_HEIGHT } from './layout';

export type NodeTone = 'ok' | 'busy' | 'bad' | 'idle' | 'planned' | 'out';

export interface GraphNode {
  title: string;
  /** A second line: the state, elapsed time, "optional"… */
  detail?: string;
  /** A third line, such as how the stack's nested stacks stand (every node of the picture gets room for one). */
  note?: string;
  tone: NodeTone;
  /** Where the node leads: the stack's section or page. */
  href: string;
  /** The whole node for a screen reader, state included. */
  label: string;
}

const TONES: Record<NodeTone, { fill: string; stroke: string; text: string; dash?: string }> = {
  ok: { fill: '#ecfdf3', stroke: '#137333', text: '#0f3d1f' },
  busy: { fill: '#fffbeb', stroke: '#a05a00', text: '#5c3400' },
  bad: { fill: '#fef2f2', stroke: '#b3261e', text: '#7a1a14' },
  idle: { fill: '#ffffff', stroke: '#94a3b8', text: '#1e293b' },
  planned: { fill: '#e6f1f7', stroke: '#0f5f8a', text: '#0b4566' },
  out: { fill: '#f8fafc', stroke: '#cbd5e1', text: '#64748b', dash: '5 4' },
};

/** What fits in a box at the title's and the detail's font sizes; the full text is in the accessible name. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The stack dependency graph as an SVG: a box per stack (a link, keyboard-focusable, its state in
 * its accessible name), an arrow from each stack to the stacks that wait for it. Sizes are fixed,
 * so a node changing state never moves anything.
 */
export function StackGraphPicture({ graph, nodes, label }: { graph: StackGraph; nodes: Partial<Record<StackId, GraphNode>>; label: string }) {
  const layout = layoutGraph(graph, Object.values(nodes).some((node) => node?.note) ? TALL_NODE_HEIGHT : NODE.height);
  const arrow = `arrow-${useId().replace(/:/g, '')}`;
  return (
    <svg
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      className="mx-auto block h-auto max-w-full"
      role="group"
      aria-label={label}
      data-testid="stack-graph"
    >
      <defs>
        <marker id={arrow} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0 0L8 4L0 8z" fill="#64748b" />
        </marker>
      </defs>
      {layout.edges.map((edge) => {
        const faded = nodes[edge.from]?.tone === 'out' || nodes[edge.to]?.tone === 'out';
        return (
          <path
            key={`${edge.from}-${edge.to}`}
            d={edge.path}
            fill="none"
            stroke={faded ? '#cbd5e1' : '#64748b'}
            strokeWidth={1.5}
            strokeDasharray={faded ? '4 4' : undefined}
            markerEnd={`url(#${arrow})`}
            aria-hidden="true"
          />
        );
      })}
      {layout.nodes.map(({ id, x, y }) => {
        const node = nodes[id];
        if (!node) return null;
        const tone = TONES[node.tone];
        return (
          <a key={id} href={node.href} aria-label={node.label} className="stack-node" data-stack-node={id} data-tone={node.tone}>
            <title>{node.label}</title>
            <rect x={x} y={y} width={NODE.width} height={layout.nodeHeight} rx={8} fill={tone.fill} stroke={tone.stroke} strokeWidth={1.5} strokeDasharray={tone.dash} />
            <text x={x + 10} y={y + 20} fontSize={12} fontWeight={600} fill={tone.text}>
              {clip(node.title, 26)}
            </text>
            {node.detail && (
              <text x={x + 10} y={y + 38} fontSize={11} fill={tone.text}>
                {clip(node.detail, 31)}
              </text>
            )}
            {node.note && (
              <text x={x + 10} y={y + 55} fontSize={10} fill={tone.text}>
                {clip(node.note, 36)}
              </text>
            )}
          </a>
        );
      })}
    </svg>
  );
}
