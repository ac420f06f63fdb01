'use client';

import { useState, useTransition } from 'react';
import { checkStep } from '@/app/deployments/[id]/actions';
import { CopyButton } from '@/components/ui/copy-button';
import { utcTime } from '@/components/ui/time';
import type { StepDone } from '@/lib/store/deployment-steps';
import type { ManualStep } from '@/templates/line';

/** What the release line says to do by hand once the stacks exist, as a checklist the console remembers. */
export function ManualSteps({ deploymentId, steps, done: initial, canCheck }: { deploymentId: string; steps: readonly ManualStep[]; done: readonly StepDone[]; canCheck: boolean }) {
  const [done, setDone] = useState(initial);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  if (steps.length === 0) return null;

  const toggle = (stepId: string, next: boolean) =>
    start(async () => {
      setError(undefined);
      const result = await checkStep({ deploymentId, stepId, done: next });
      if (result.ok) setDone(result.data.steps);
      else setError(result.formError ?? Object.values(result.fieldErrors ?? {})[0] ?? 'The step could not be saved.');
    });

  return (
    <section aria-labelledby="manual-steps-heading" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="manual-steps-heading" className="text-xl font-semibold">After the install</h2>
      {error && <p role="alert" className="text-sm text-bad">{error}</p>}
      <ul className="grid gap-4" aria-label="Manual steps">
        {steps.map((step) => {
          const tick = done.find((d) => d.stepId === step.id);
          return (
            <li key={step.id} className="grid gap-2" data-step={step.id}>
              <label className="flex items-start gap-2 font-medium">
                <input type="checkbox" className="mt-1" checked={tick !== undefined} disabled={!canCheck || pending} onChange={(e) => toggle(step.id, e.target.checked)} />
                <span>{step.title}</span>
              </label>
              <p className="text-sm text-slate-700">{step.text}</p>
              <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
                {step.values.map(({ label, value }) => (
                  <div key={label} className="contents">
                    <dt className="font-medium text-slate-700">{label}</dt>
                    <dd className="flex flex-wrap items-center gap-2 break-all">
                      <code>{value}</code>
                      <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
                    </dd>
                  </div>
                ))}
              </dl>
              <p className="text-xs text-slate-600" role="status">
                {tick ? `Done — ticked by ${tick.doneBy} at ${utcTime(new Date(tick.doneAt), 'minute')}.` : canCheck ? 'Not done yet: tick it once you have.' : 'Not done yet.'}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
