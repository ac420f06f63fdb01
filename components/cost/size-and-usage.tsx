'use client';

import { useFormContext, useWatch } from 'react-hook-form';
import { useFieldErrors } from '@/components/form/use-field-errors';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import type { Plan } from '@/lib/params/plan';
import { SIZES, sizeOf, sizeParams, sizeValue, type SizeId } from '@/lib/params/sizes';
import type { LineMeta } from '@/templates/line';

const path = (stackId: string, key: string) => `params.${stackId}.${key}` as const;

/** The size choice that fills every task count, and what the cost estimate assumes about usage. */
export function SizeAndUsage({ line }: { line: LineMeta }) {
  const { register, setValue } = useFormContext<Plan>();
  const params = sizeParams(line.stacks);
  const counts = useWatch<Plan, `params.${string}.${string}`[]>({ name: params.map((p) => path(p.stackId, p.key)) }) as (string | undefined)[];
  const current = sizeOf(params, (p) => counts[params.indexOf(p)]);
  const error = useFieldErrors(['usage.telemetryGbPerDay', 'usage.months']);

  function choose(size: SizeId) {
    for (const p of params) setValue(path(p.stackId, p.key), sizeValue(p, size), { shouldDirty: true, shouldValidate: true });
  }

  return (
    <section aria-labelledby="size-heading" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="size-heading" className="text-lg font-semibold">Size and usage</h2>
      <fieldset className="grid gap-2">
        <legend className="text-sm font-medium text-slate-800">Size</legend>
        {SIZES.map((size) => (
          <div key={size.id} className="flex items-start gap-2 text-sm">
            <input type="radio" name="size" id={`size-${size.id}`} className="mt-1" checked={current === size.id} onChange={() => choose(size.id)} aria-describedby={`size-${size.id}-help`} />
            <div>
              <label htmlFor={`size-${size.id}`} className="font-semibold">{size.label}</label>
              <p id={`size-${size.id}-help`} className="text-xs text-slate-600">{line.sizes.help[size.id]}</p>
            </div>
          </div>
        ))}
        <p className="text-xs text-slate-600">
          {current ? `Fills the task counts below (Task counts in ${line.sizes.where}); each stays editable.` : `Custom task counts: set in ${line.sizes.where} below.`}
        </p>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <FieldShell name="usage.telemetryGbPerDay" label="Telemetry per day (GB)" help="Logs and metrics sent to Lakerunner a day; drives storage, requests and data processing in the estimate." error={error('usage.telemetryGbPerDay')}>
          <input className={inputClass} inputMode="decimal" autoComplete="off" {...controlProps('usage.telemetryGbPerDay', true, error('usage.telemetryGbPerDay'))} {...register('usage.telemetryGbPerDay')} />
        </FieldShell>
        <FieldShell name="usage.months" label="Months of growth" help="The estimate prices storage as it stands after this many months." error={error('usage.months')}>
          <input className={inputClass} inputMode="numeric" autoComplete="off" {...controlProps('usage.months', true, error('usage.months'))} {...register('usage.months')} />
        </FieldShell>
      </div>
    </section>
  );
}
