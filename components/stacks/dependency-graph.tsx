import { StackGraphPicture, type GraphNode } from '@/components/graph/stack-graph';
import { stackGraph } from '@/lib/params/graph';
import { isOptional, type StackId, type StackMeta } from '@/templates/stack';

/** Every stack of a release line and what it waits for, on the home page: optional stacks are drawn as such. */
export function DependencyGraph({ stacks }: { stacks: readonly StackMeta[] }) {
  const graph = stackGraph(stacks, () => true);
  const nodes = Object.fromEntries(
    stacks.map((stack): [StackId, GraphNode] => {
      const optional = isOptional(stack);
      const after = graph.deps[stack.id] ?? [];
      const titles = after.map((id) => stacks.find((s) => s.id === id)?.title ?? id);
      return [
        stack.id,
        {
          title: `${stack.title}${optional ? ' (optional)' : ''}`,
          detail: stack.stem,
          tone: optional ? 'idle' : 'planned',
          href: `/stacks/${stack.stem}`,
          label: `${stack.title} (${stack.stem})${optional ? ', optional' : ''}: ${titles.length ? `starts after ${titles.join(' and ')}` : 'starts first'}`,
        },
      ];
    }),
  );
  return (
    <figure className="grid gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <StackGraphPicture graph={graph} nodes={nodes} label="How the stacks depend on each other" />
      <figcaption className="text-sm text-slate-600">
        Each stack starts once the stacks with an arrow to it have completed; stacks on one row can run side by side. Required
        stacks are blue, optional ones white. The list below says the same in words.
      </figcaption>
    </figure>
  );
}
