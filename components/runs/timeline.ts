// The waterfall of a run: a row per stack and per resource, each attempt a bar from its first event
// to its terminal one (or to now while it runs), as percentages of the run's time so far. Where an
// endpoint reports no resource events, the stacks' own bars carry the picture. Pure.
import type { RunProgress, Span, StackProgress } from '@/lib/deploy/progress';
import { duration } from '@/components/ui/time';

export type BarTone = 'ok' | 'busy' | 'bad' | 'idle';

export interface TimelineBar {
  left: number;
  width: number;
  tone: BarTone;
  /** Everything the bar says, for screen readers and the hover/focus tip. */
  label: string;
  reason?: string;
}

export interface TimelineRow {
  key: string;
  title: string;
  bars: TimelineBar[];
}

export interface TimelineGroup {
  stackId: StackProgress['stackId'];
  stack: TimelineRow;
  resources: TimelineRow[];
}

export interface Timeline {
  /** Epoch ms of the left and right edges. */
  start: number;
  end: number;
  groups: TimelineGroup[];
}

export function toneOf(status: string): BarTone {
  if (/_FAILED$|ROLLBACK/.test(status) || status === 'failed') return 'bad';
  if (/_IN_PROGRESS$/.test(status) || status === 'in-progress') return 'busy';
  if (/_COMPLETE$|DELETE_SKIPPED/.test(status) || status === 'complete' || status === 'skipped') return 'ok';
  return 'idle';
}

const ms = (iso?: string) => (iso ? Date.parse(iso) : undefined);

/**
 * The stack's own bar: the console's start and end of its part, else CloudFormation's stack-level
 * spans. A recreated stack shows CloudFormation's spans when there are some: its delete and its
 * create are two bars, with the wait for the stacks between them as a gap.
 */
function stackSpans(stack: StackProgress): Span[] {
  if (stack.action === 'recreate' && stack.spans.length > 0) return stack.spans;
  const started = stack.startedAt ?? (stack.status === 'failed' ? stack.finishedAt : undefined);
  if (started) return [{ start: started, end: stack.finishedAt, status: stack.status, reason: stack.status === 'failed' ? stack.reason : undefined }];
  return stack.spans;
}

export function timeline(progress: RunProgress, now: number): Timeline {
  const spans = progress.stacks.flatMap((s) => [...stackSpans(s), ...s.resources.flatMap((r) => r.spans)]);
  const starts = spans.map((s) => ms(s.start)!);
  const ends = spans.map((s) => ms(s.end) ?? now);
  const start = starts.length ? Math.min(...starts) : now;
  // While the run goes on, the right edge is now, so time passing shows even between events.
  const end = Math.max(start + 1, ...ends, progress.status === 'running' ? now : start);
  const range = end - start;
  const bar = (span: Span, name: string): TimelineBar => {
    const from = ms(span.start)!;
    const to = ms(span.end) ?? now;
    return {
      left: ((from - start) / range) * 100,
      width: Math.max(0.6, ((to - from) / range) * 100),
      tone: toneOf(span.status),
      label: `${name}: ${span.status}, ${duration(to - from)}${span.end ? '' : ' so far'}${span.reason ? ` — ${span.reason}` : ''}`,
      reason: span.reason,
    };
  };
  const groups = progress.stacks
    .filter((s) => stackSpans(s).length > 0 || s.resources.length > 0)
    .map((s) => ({
      stackId: s.stackId,
      stack: { key: s.stackId, title: s.stackName, bars: stackSpans(s).map((span) => bar(span, s.stackName)) },
      resources: s.resources.map((r) => ({ key: `${s.stackId}/${r.logicalId}`, title: r.logicalId, bars: r.spans.map((span) => bar(span, `${r.logicalId} (${r.type})`)) })),
    }));
  return { start, end, groups };
}
