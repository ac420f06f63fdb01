'use client';

import { useState } from 'react';
import { useStartRun } from '@/components/deployments/use-start-run';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import { SIZES, sizeValue, type SizeId, type SizeParam } from '@/lib/params/sizes';

export interface SizeField extends SizeParam {
  /** The count the deployment runs now. */
  current: string;
}

const fieldName = (p: SizeParam) => `operation.sizes.${p.stackId}.${p.key}`;

/** A day-2 operation: new task counts for the services and the collector, previewed with the estimate before and after. */
export function ChangeSizes({
  deploymentId,
  account,
  fields,
  help,
}: {
  deploymentId: string;
  account: string | undefined;
  fields: readonly SizeField[];
  /** What each size means on the deployment's release line. */
  help?: Readonly<Record<SizeId, string>>;
}) {
  const start = useStartRun();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [fieldName(f), f.current])));
  const ready = account !== undefined && !start.pending;

  function preview() {
    if (!account) return;
    const sizes: Record<string, Record<string, string>> = {};
    for (const f of fields) if (values[fieldName(f)] !== f.current) (sizes[f.stackId] ??= {})[f.key] = values[fieldName(f)] ?? '';
    start.run({ deploymentId, confirmedAccount: account, operation: { kind: 'update-sizes', sizes } });
  }

  return (
    <div className="grid gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h3 className="font-semibold">Change sizes</h3>
      <p className="text-xs text-slate-600">How many tasks of each service run. The preview shows the change sets and the estimated monthly cost before and after.</p>
      {start.formError && <p role="alert" className="rounded border border-bad bg-red-50 p-2 text-sm text-bad">{start.formError}</p>}
      <div className="flex flex-wrap gap-2" role="group" aria-label="Fill the counts of a size">
        {SIZES.map((size) => (
          <button
            key={size.id}
            type="button"
            title={help?.[size.id]}
            className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50"
            onClick={() => setValues(Object.fromEntries(fields.map((f) => [fieldName(f), sizeValue(f, size.id)])))}
          >
            {size.label}
          </button>
        ))}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        {fields.map((f) => {
          const name = fieldName(f);
          const error = start.fieldError(name);
          return (
            <FieldShell key={name} name={name} label={f.label} code={f.key} error={error} help={`Now ${f.current}.`}>
              <input className={inputClass} inputMode="numeric" value={values[name] ?? ''} {...controlProps(name, true, error)} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
            </FieldShell>
          );
        })}
      </div>
      <button type="button" className="justify-self-start rounded bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-dark disabled:opacity-60" disabled={!ready} onClick={preview}>
        Preview size change
      </button>
    </div>
  );
}
