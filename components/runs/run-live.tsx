'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useRunEvents } from '@/components/deployments/use-run-events';
import { applyEvents, counts, etaSeconds, initialProgress } from '@/lib/deploy/progress';
import type { RunStackView, RunStatus } from '@/lib/deploy/types';
import type { StackId } from '@/templates/stack';
import { RunGraph } from './run-graph';
import { RunProgressBar } from './run-progress-bar';
import { RunTimeline } from './run-timeline';
import { StackProgress } from './stack-progress';

const formatEta = (s: number) => (s >= 90 ? `about ${Math.round(s / 60)} min` : `about ${s} s`);

interface Props {
  runId: string;
  status: RunStatus;
  stacks: RunStackView[];
  /** The run's dependency graph: the stacks each stack waits for. */
  deps: Partial<Record<StackId, readonly StackId[]>>;
  /** The nested stacks each stack's template declares. */
  nested?: Partial<Record<StackId, readonly { logicalId: string; title: string }[]>>;
  /** Which AWS account each stack is in, when the plan spans several ("account 222222222222, us-east-1"). */
  accounts?: Partial<Record<StackId, string>>;
  timeScale: number;
}

const REPLAY_MS = 5_000;

/** The run as it happens, as pictures and as text: graph, progress, timeline, stacks and resources, live from the event stream. */
export function RunLive({ runId, status, stacks, deps, nested, accounts, timeScale }: Props) {
  const router = useRouter();
  const { events, connected, ended, problem } = useRunEvents(runId);
  // Replaying a finished run: its recorded events are shown again one after another.
  const [cursor, setCursor] = useState<number | undefined>();
  const shown = cursor === undefined ? events : events.slice(0, cursor);
  const replaying = cursor !== undefined && cursor < events.length;
  const progress = useMemo(() => {
    const start = cursor === undefined ? stacks : stacks.map((s) => ({ ...s, status: 'pending' as const, startedAt: undefined, finishedAt: undefined }));
    return applyEvents(initialProgress(cursor === undefined ? status : 'running', start, { deps, children: nested }), shown);
  }, [status, stacks, deps, nested, shown, cursor]);
  const [clock, setClock] = useState(() => Date.now());
  // A replay lasts about REPLAY_MS whatever the machine: each step shows the events its share of
  // the time since the last step covers, so a page that draws slowly takes bigger steps, not longer.
  const lastStep = useRef(0);
  useEffect(() => {
    if (!replaying) return;
    const timer = setTimeout(() => {
      const now = performance.now();
      const step = Math.max(1, Math.round((events.length * Math.min(now - lastStep.current, REPLAY_MS)) / REPLAY_MS));
      lastStep.current = now;
      setCursor((c) => (c === undefined ? c : c + step));
    }, 25);
    return () => clearTimeout(timer);
  }, [replaying, cursor, events.length]);
  const replay = () => {
    lastStep.current = performance.now();
    setCursor(replaying ? undefined : 0);
  };

  // A new run status changes what the server renders (preview, root cause, outputs).
  useEffect(() => {
    if (cursor === undefined && progress.status !== status) router.refresh();
  }, [cursor, progress.status, status, router]);
  const live = progress.status === 'running' && cursor === undefined;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setClock(Date.now()), 500);
    return () => clearInterval(timer);
  }, [live]);

  // A replay's "now" is the moment of the last event shown, so bars and times read as they did then.
  const now = cursor !== undefined && progress.lastEventAt ? Date.parse(progress.lastEventAt) : live ? clock : (Date.parse(progress.lastEventAt ?? '') || clock);
  const c = counts(progress);
  const eta = live ? etaSeconds(progress, new Date(now), timeScale) : undefined;
  return (
    <section aria-labelledby="progress-heading" className="grid gap-3">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h2 id="progress-heading" className="text-xl font-semibold">Progress</h2>
        <span className={`text-xs ${connected ? 'text-ok' : 'text-slate-500'}`} data-testid="stream-state">
          {ended ? 'all events received' : connected ? 'live' : problem ? 'not live' : 'reconnecting…'}
        </span>
        {ended && events.length > 0 && (
          <button type="button" className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50" onClick={replay}>
            {replaying ? 'Stop the replay' : 'Replay this run'}
          </button>
        )}
      </div>
      {problem && !ended && (
        <p role="alert" className="rounded border border-bad bg-red-50 px-3 py-2 text-sm text-bad">
          {problem}
        </p>
      )}
      <div className="grid items-start gap-4 lg:grid-cols-[auto_minmax(0,1fr)]">
        <figure className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
          <RunGraph progress={progress} now={now} accounts={accounts} />
          <figcaption className="mt-1 text-xs text-slate-600">Each stack starts once the stacks with an arrow to it have completed.</figcaption>
        </figure>
        <div className="grid gap-3">
          <RunProgressBar done={c.resourcesDone} total={c.resourcesTotal} failed={c.stacksFailed > 0} eta={eta === undefined ? undefined : formatEta(eta)} />
          <p className="text-sm" aria-live="polite" data-testid="run-counts">
            {c.stacksDone}/{c.stacks} stacks done, {c.stacksRunning} running{c.stacksWaiting > 0 ? `, ${c.stacksWaiting} deleted and waiting to be created again` : ''}, {c.stacksFailed} failed · {c.inProgress} resources in progress, {c.failed} failed
          </p>
          {progress.message && progress.status !== 'failed' && <p className="text-sm" data-testid="run-message">{progress.message}</p>}
          <RunTimeline progress={progress} now={now} />
        </div>
      </div>
      {progress.notes.length > 0 && (
        <ul className="grid gap-1 text-xs">
          {progress.notes.map((n, i) => (
            <li key={i} className={n.level === 'error' ? 'text-bad' : n.level === 'warn' ? 'text-warn' : 'text-slate-700'}>{n.message}</li>
          ))}
        </ul>
      )}
      <ol className="grid gap-3" aria-label="Stacks of this run">
        {progress.stacks.map((stack, index) => (
          <StackProgress key={stack.stackId} stack={stack} position={index + 1} account={accounts?.[stack.stackId]} after={stack.deps.map((id) => progress.stacks.find((s) => s.stackId === id)?.stackName ?? id)} />
        ))}
      </ol>
    </section>
  );
}
