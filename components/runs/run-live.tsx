'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { useRunEvents } from '@/components/deployments/use-run-events';
import { applyEvents, counts, etaSeconds, initialProgress } from '@/lib/deploy/progress';
import type { RunStackView, RunStatus } from '@/lib/deploy/types';
import { StackProgress } from './stack-progress';

const formatEta = (s: number) => (s >= 90 ? `about ${Math.round(s / 60)} min` : `about ${s} s`);

/** The run as it happens: stacks, resources, counts and time left, live from the event stream. */
export function RunLive({ runId, status, stacks, timeScale }: { runId: string; status: RunStatus; stacks: RunStackView[]; timeScale: number }) {
  const router = useRouter();
  const { events, connected, ended } = useRunEvents(runId);
  // Replaying a finished run: its recorded events are shown again one after another.
  const [cursor, setCursor] = useState<number | undefined>();
  const shown = cursor === undefined ? events : events.slice(0, cursor);
  const replaying = cursor !== undefined && cursor < events.length;
  const progress = useMemo(
    () => applyEvents(initialProgress(cursor === undefined ? status : 'running', cursor === undefined ? stacks : stacks.map((s) => ({ ...s, status: 'pending' }))), shown),
    [status, stacks, shown, cursor],
  );
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!replaying) return;
    const timer = setTimeout(() => setCursor((c) => (c === undefined ? c : c + Math.max(1, Math.ceil(events.length / 200)))), 25);
    return () => clearTimeout(timer);
  }, [replaying, cursor, events.length]);

  // A new run status changes what the server renders (preview, root cause, outputs).
  useEffect(() => {
    if (cursor === undefined && progress.status !== status) router.refresh();
  }, [cursor, progress.status, status, router]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const c = counts(progress);
  const eta = cursor === undefined ? etaSeconds(progress, new Date(now), timeScale) : undefined;
  return (
    <section aria-labelledby="progress-heading" className="grid gap-3">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h2 id="progress-heading" className="text-xl font-semibold">Progress</h2>
        <p className="text-sm" aria-live="polite" data-testid="run-counts">
          {c.stacksDone}/{c.stacks} stacks · {c.complete} resources complete · {c.inProgress} in progress · {c.failed} failed
          {eta !== undefined && ` · ${formatEta(eta)} left`}
        </p>
        <span className={`text-xs ${connected ? 'text-ok' : 'text-slate-500'}`} data-testid="stream-state">
          {ended ? 'all events received' : connected ? 'live' : 'reconnecting…'}
        </span>
        {ended && events.length > 0 && (
          <button
            type="button"
            className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50"
            onClick={() => setCursor(replaying ? undefined : 0)}
          >
            {replaying ? 'Stop the replay' : 'Replay this run'}
          </button>
        )}
      </div>
      {progress.message && <p className="text-sm" data-testid="run-message">{progress.message}</p>}
      {progress.notes.length > 0 && (
        <ul className="grid gap-1 text-xs">
          {progress.notes.map((n, i) => (
            <li key={i} className={n.level === 'error' ? 'text-bad' : n.level === 'warn' ? 'text-warn' : 'text-slate-700'}>{n.message}</li>
          ))}
        </ul>
      )}
      <ol className="grid gap-3" aria-label="Stacks of this run">
        {progress.stacks.map((stack, index) => (
          <StackProgress key={stack.stackId} stack={stack} position={index + 1} />
        ))}
      </ol>
    </section>
  );
}
