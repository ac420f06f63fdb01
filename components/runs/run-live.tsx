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
  const progress = useMemo(() => applyEvents(initialProgress(status, stacks), events), [status, stacks, events]);
  const [now, setNow] = useState(() => Date.now());

  // A new run status changes what the server renders (preview, root cause, outputs).
  useEffect(() => {
    if (progress.status !== status) router.refresh();
  }, [progress.status, status, router]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const c = counts(progress);
  const eta = etaSeconds(progress, new Date(now), timeScale);
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
