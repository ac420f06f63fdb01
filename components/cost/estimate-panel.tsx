'use client';

import { Suspense, useEffect, useState } from 'react';
import { lazyPart } from '@/components/ui/lazy-part';
import type { Estimate } from '@/lib/cost/estimate';
import type { Plan } from '@/lib/params/plan';

// The breakdown only appears once the server has answered: its code loads then.
const EstimateView = lazyPart(() => import('./estimate-view').then((m) => m.EstimateView), 'cost breakdown');

type Outcome = { kind: 'ready'; estimate: Estimate } | { kind: 'error'; message: string };

/** The plan's estimated monthly cost, asked of the server again whenever the (valid) plan changes. */
export function EstimatePanel({ plan }: { plan: Plan | undefined }) {
  const [estimate, setEstimate] = useState<Estimate | undefined>();
  // The plan the last answer was for: while it is not the current plan, the panel is updating,
  // from the first keystroke on (not only once the debounced request leaves).
  const [answered, setAnswered] = useState<{ plan: Plan; outcome: Outcome } | undefined>();

  useEffect(() => {
    if (!plan) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch('/api/plan/estimate', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(plan),
          signal: controller.signal,
        });
        if (!response.ok) {
          const body = (await response.json().catch(() => ({}))) as { error?: string };
          return setAnswered({ plan, outcome: { kind: 'error', message: body.error ?? `The estimate failed (${response.status}).` } });
        }
        const next = (await response.json()) as Estimate;
        setEstimate(next);
        setAnswered({ plan, outcome: { kind: 'ready', estimate: next } });
      } catch {
        // The browser's own words ("Failed to fetch") say nothing to the reader.
        if (!controller.signal.aborted)
          setAnswered({ plan, outcome: { kind: 'error', message: 'The estimate could not be updated: the console did not answer. Check the connection; it tries again when the plan changes.' } });
      }
    }, 200);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [plan]);

  const status = !plan || answered?.plan !== plan ? { kind: 'busy' as const } : answered.outcome;
  const note = !plan
    ? estimate
      ? 'Out of date: fix the fields marked in the plan to update it.'
      : ''
    : status.kind === 'error'
      ? status.message
      : status.kind === 'busy'
        ? 'Updating…'
        : '';
  return (
    <section aria-labelledby="cost-heading" className="grid content-start gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm xl:sticky xl:top-4 xl:max-h-[calc(100vh-2rem)] xl:overflow-y-auto">
      <h2 id="cost-heading" className="text-lg font-semibold">Estimated monthly cost</h2>
      <p className={`min-h-5 text-xs ${status.kind === 'error' ? 'text-bad' : 'text-slate-600'}`} role="status">
        {note}
      </p>
      {estimate ? (
        <Suspense fallback={<p className="text-sm text-slate-600">Estimating…</p>}>
          <EstimateView estimate={estimate} busy={status.kind === 'busy'} />
        </Suspense>
      ) : (
        <p className="text-sm text-slate-600">{plan ? 'Estimating…' : 'Waiting for a valid plan…'}</p>
      )}
    </section>
  );
}
