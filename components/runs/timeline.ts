// The waterfall of a run, as rows: one per stack first, each opening onto its nested stacks and
// its resources (a nested stack opening onto its own), so a whole run fits at a glance and any
// part of it is one click away. Each attempt is a bar from its first event to its terminal one (or
// to now while it runs), as percentages of the run's time so far. Where an endpoint reports no
// resource events, the stacks' own bars carry the picture. Pure.
import type { ChildProgress, ResourceProgress, RunProgress, Span, StackProgress } from '@/lib/deploy/progress';
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
  /** A stack's or nested stack's row: what it holds (the rows it opens onto), said in words. */
  summary?: string;
  /** Whether it starts open: while it runs, and when it failed. */
  open?: boolean;
  /** What opening it shows: its nested stacks, then its resources. */
  rows?: TimelineRow[];
}

export interface Timeline {
  /** Epoch ms of the left and right edges. */
  start: number;
  end: number;
  /** One per stack with something to draw, in the run's order. */
  rows: TimelineRow[];
}

export function toneOf(status: string): BarTone {
  if (/_FAILED$|ROLLBACK/.test(status) || status === 'failed') return 'bad';
  if (/_IN_PROGRESS$/.test(status) || status === 'in-progress') return 'busy';
  if (/_COMPLETE$|DELETE_SKIPPED/.test(status) || status === 'complete' || status === 'skipped') return 'ok';
  return 'idle';
}

const ms = (iso?: string) => (iso ? Date.parse(iso) : undefined);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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

/** A nested stack's bar: its own stack-level events, else its parent's events about its resource. */
const childSpans = (stack: StackProgress, child: ChildProgress) =>
  child.spans.length > 0 ? child.spans : (stack.resources.find((r) => r.logicalId === child.path)?.spans ?? []);

const hasFailed = (spans: readonly Span[]) => spans.some((s) => toneOf(s.status) === 'bad');
const isRunning = (spans: readonly Span[]) => spans.at(-1)?.end === undefined && spans.length > 0;

export function timeline(progress: RunProgress, now: number): Timeline {
  const spans = progress.stacks.flatMap((s) => [
    ...stackSpans(s),
    ...s.resources.flatMap((r) => r.spans),
    ...s.children.flatMap((c) => [...c.spans, ...c.resources.flatMap((r) => r.spans)]),
  ]);
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
  const resourceRow = (prefix: string) => (r: ResourceProgress): TimelineRow => ({
    key: `${prefix}/${r.logicalId}`,
    title: r.logicalId,
    bars: r.spans.map((span) => bar(span, `${r.logicalId} (${r.type})`)),
  });

  const childRow = (stack: StackProgress, child: ChildProgress): TimelineRow | undefined => {
    const own = childSpans(stack, child);
    if (own.length === 0 && child.resources.length === 0) return undefined;
    const name = child.title === child.path ? child.path : `${child.title} (${child.path})`;
    return {
      key: `${stack.stackId}>${child.path}`,
      title: name,
      bars: own.map((span) => bar(span, name)),
      summary: plural(child.resources.length, 'resource'),
      open: isRunning(own) || hasFailed(own) || child.resources.some((r) => hasFailed(r.spans)),
      rows: child.resources.map(resourceRow(`${stack.stackId}>${child.path}`)),
    };
  };

  const rows = progress.stacks
    .filter((s) => stackSpans(s).length > 0 || s.resources.length > 0 || s.children.some((c) => c.events.length > 0))
    .map((s): TimelineRow => {
      const children = s.children.flatMap((c) => childRow(s, c) ?? []);
      // a nested stack's own resource in its parent is drawn as the nested stack's row
      const resources = s.resources.filter((r) => !s.children.some((c) => c.path === r.logicalId && childRow(s, c)));
      const own = stackSpans(s);
      return {
        key: s.stackId,
        title: s.stackName,
        bars: own.map((span) => bar(span, s.stackName)),
        summary: [...(children.length ? [plural(children.length, 'nested stack')] : []), plural(resources.length, 'resource')].join(' and '),
        open: s.status === 'in-progress' || s.status === 'failed',
        rows: [...children, ...resources.map(resourceRow(s.stackId))],
      };
    });
  return { start, end, rows };
}
