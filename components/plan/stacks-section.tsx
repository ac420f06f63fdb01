'use client';

import { useErrors, useFormStore, useWatch } from '@/components/form/use-form';
import { controlProps, fieldId, FieldShell, inputClass } from '@/components/ui/field';
import { isIncluded, OPTIONAL_STACK_IDS, type Plan } from '@/lib/params/plan';
import type { StackMeta } from '@/templates/stack';
import { PlanGraph } from './plan-graph';

const OPTIONAL_HELP: Record<string, string> = {
  grafana: 'Dashboards on the load balancer, port 3000.',
  otel: 'An OTLP/HTTP endpoint (port 4318) that writes telemetry into the ingest bucket.',
  demo: 'A sample app sending telemetry to the collector. Needs the OTEL collector.',
};

export function StacksSection({ metas }: { metas: readonly StackMeta[] }) {
  const { register } = useFormStore<Plan>();
  const [network, include] = useWatch<[Plan['network'], Plan['include']]>(['network', 'include']);
  const errors = useErrors();
  const error = (name: string) => errors[name]?.message;
  const optional = metas.filter((m) => (OPTIONAL_STACK_IDS as readonly string[]).includes(m.id));
  const included = metas.filter((m) => isIncluded({ network, include }, m.id));

  return (
    <section aria-labelledby="stacks-heading" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="stacks-heading" className="text-lg font-semibold">Stacks</h2>
      <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_auto]">
        <fieldset className="grid content-start gap-2">
          <legend className="text-sm font-medium text-slate-800">Optional stacks</legend>
          {optional.map((meta) => {
            const name = `include.${meta.id}`;
            return (
              <div key={meta.id}>
                <div className="flex items-start gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="mt-1"
                    {...controlProps(name, true, error(name))}
                    {...register(name)}
                  />
                  <div>
                    <label htmlFor={fieldId(name)} className="font-semibold">
                      {meta.title}
                    </label>
                    <p id={`${fieldId(name)}-help`} className="text-xs text-slate-600">
                      {OPTIONAL_HELP[meta.id] ?? meta.purpose}
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
        <PlanGraph metas={metas} />
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
                {...register(name)}
              />
            </FieldShell>
          );
        })}
      </fieldset>
    </section>
  );
}
