import { StackGraphPicture, type GraphNode, type NodeTone } from '@/components/graph/stack-graph';
import { duration } from '@/components/ui/time';
import { childCounts, type RunProgress, type StackProgress } from '@/lib/deploy/progress';
import type { RunStackStatus } from '@/lib/deploy/types';
import type { StackId } from '@/templates/stack';

const LOOK: Record<RunStackStatus, { tone: NodeTone; text: string }> = {
  pending: { tone: 'idle', text: 'waiting' },
  previewed: { tone: 'idle', text: 'previewed' },
  unchanged: { tone: 'ok', text: 'no changes' },
  'in-progress': { tone: 'busy', text: 'in progress' },
  waiting: { tone: 'idle', text: 'waiting' },
  complete: { tone: 'ok', text: 'complete' },
  skipped: { tone: 'ok', text: 'no changes' },
  failed: { tone: 'bad', text: 'failed' },
  'not-started': { tone: 'out', text: 'not started' },
};

/** A recreated stack says which of its two steps it is at. */
function stateText(stack: StackProgress): string {
  if (stack.action !== 'recreate') return LOOK[stack.status].text;
  if (stack.status === 'in-progress') return /^DELETE/.test(stack.stackStatus ?? '') ? 'deleting (1 of 2)' : 'creating again (2 of 2)';
  if (stack.status === 'waiting') return 'deleted, to be created again';
  if (stack.status === 'complete') return 'deleted and created again';
  if (stack.status === 'previewed') return 'to delete and create again';
  return LOOK[stack.status].text;
}

/** How its nested stacks stand, as CloudFormation reported them: "7 nested · 5 complete · 1 running". */
export function nestedNote(stack: Pick<StackProgress, 'children'>): string | undefined {
  const c = childCounts(stack);
  if (c.total === 0) return undefined;
  const parts = [
    [c.complete, 'complete'],
    [c.inProgress, 'running'],
    [c.failed, 'failed'],
    [c.deleted, 'deleted'],
  ] as const;
  return [`${c.total} nested`, ...parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`)].join(' · ');
}

const elapsed = (stack: StackProgress, now: number) => (stack.startedAt ? duration((stack.finishedAt ? Date.parse(stack.finishedAt) : now) - Date.parse(stack.startedAt)) : undefined);

/** The run's stacks as their graph, each coloured by its state with its elapsed time (and its account, when the run spans several), each a link to its section below. */
export function RunGraph({ progress, now, accounts }: { progress: RunProgress; now: number; accounts?: Partial<Record<StackId, string>> }) {
  const graph = { ids: progress.stacks.map((s) => s.stackId), deps: Object.fromEntries(progress.stacks.map((s) => [s.stackId, s.deps])) };
  const nodes = Object.fromEntries(
    progress.stacks.map((stack): [StackId, GraphNode] => {
      const look = LOOK[stack.status];
      const time = elapsed(stack, now);
      const text = stateText(stack);
      const state = time ? `${text}, ${time}` : text;
      const note = [accounts?.[stack.stackId], nestedNote(stack)].filter(Boolean).join(' · ') || undefined;
      return [
        stack.stackId,
        { title: stack.stackName, detail: state, note, tone: look.tone, href: `#run-stack-${stack.stackId}`, label: `${stack.stackName}: ${state}${note ? ` · ${note}` : ''}` },
      ];
    }),
  );
  return <StackGraphPicture graph={graph} nodes={nodes} label="Stacks of this run as a graph" />;
}
