'use client';

import { Suspense } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { useFieldErrors } from '@/components/form/use-field-errors';
import { controlProps, fieldId, FieldShell, inputClass } from '@/components/ui/field';
import { isIncluded, type Plan } from '@/lib/params/plan';
import type { LineMeta } from '@/templates/line';
import { lazyPart } from '@/components/ui/lazy-part';

// The graph is a picture whose nodes are plain links (they work before its code is there): the
// server draws it, and its code (the layout) loads after the page's own, then it follows the form.
const PlanGraph = lazyPart(() => import('./plan-graph').then((m) => m.PlanGraph), 'stack graph');

/** The line's optional stacks as checkboxes, its graph, and the name of every stack the plan includes. */
export function StacksSection({ line }: { line: LineMeta }) {
  const { register } = useFormContext<Plan>();
  const [network, include] = useWatch<Plan, ['network', 'include']>({ name: ['network', 'include'] });
  const metas = line.stacks;
  const error = useFieldErrors([...line.toggles.map((t) => `include.${t.id}`), ...metas.map((m) => `stackNames.${m.id}`)]);
  const included = metas.filter((m) => isIncluded({ network, include }, m));

  return (
    <section aria-labelledby="stacks-heading" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="stacks-heading" className="text-lg font-semibold">Stacks</h2>
      <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_auto]">
        <fieldset className="grid content-start gap-2">
          <legend className="text-sm font-medium text-slate-800">Optional stacks</legend>
          {line.toggles.map((toggle) => {
            const name = `include.${toggle.id}`;
            return (
              <div key={toggle.id}>
                <div className="flex items-start gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="mt-1"
                    {...controlProps(name, true, error(name))}
                    {...register(name as `include.${string}`)}
                  />
                  <div>
                    <label htmlFor={fieldId(name)} className="font-semibold">
                      {toggle.label}
                    </label>
                    <p id={`${fieldId(name)}-help`} className="text-xs text-slate-600">
                      {toggle.help}
                    </p>
                  </div>
                </div>
                {error(name) && (
                  <p id={`${fieldId(name)}-error`} className="ml-6 text-sm text-bad">
                    {error(name)}
                  </p>
                )}
              </div>
            );
          })}
        </fieldset>
        <Suspense>
          <PlanGraph metas={metas} />
        </Suspense>
      </div>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-1 text-sm font-medium text-slate-800">Stack names, in deployment order</legend>
        {included.map((meta, index) => {
          const name = `stackNames.${meta.id}`;
          return (
            <FieldShell key={meta.id} name={name} label={`${index + 1}. ${meta.title}`} error={error(name)} required>
              <input
                className={`${inputClass} font-mono`}
                autoComplete="off"
                spellCheck={false}
                {...controlProps(name, false, error(name))}
                {...register(name as `stackNames.${string}`)}
              />
            </FieldShell>
          );
        })}
      </fieldset>
    </section>
  );
}
