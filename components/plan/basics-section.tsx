'use client';

import { useFormContext } from 'react-hook-form';
import { useFieldErrors } from '@/components/form/use-field-errors';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import type { Plan } from '@/lib/params/plan';
import type { LineMeta } from '@/templates/line';
import type { LineId } from '@/templates/stack';
import type { LineChoice, LineLoad } from './line-cache';
import { RegionOptions } from './region-options';
import { ReleaseChoice } from './release-choice';

/** The release lines to choose from, the plan's, whether another is loading, and what switching does. */
export interface LineSwitch {
  lines: readonly LineChoice[];
  line: LineMeta;
  load: LineLoad;
  onSwitch: (id: LineId) => void;
  onPrefetch?: (id: LineId) => void;
}

/** The release line (when there is a choice), the plan's name and region, and the network, in the line's words. */
export function BasicsSection({ lines, line, load, onSwitch, onPrefetch }: LineSwitch) {
  const { register } = useFormContext<Plan>();
  const error = useFieldErrors(['name', 'region', 'release']);
  const errors = { name: error('name'), region: error('region'), release: error('release') };
  const a11y = (name: 'name' | 'region') => controlProps(name, true, errors[name]);
  const network = [
    { value: 'new', ...line.network.new },
    { value: 'existing', ...line.network.existing },
  ] as const;
  const hasNetworkChoice = line.stacks.some((s) => s.inclusion === 'new-network');

  return (
    <section aria-labelledby="basics-heading" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="basics-heading" className="text-lg font-semibold">Deployment</h2>
      <ReleaseChoice lines={lines} value={line.id} load={load} onChange={onSwitch} onPrefetch={onPrefetch} error={errors.release} />
      <div className="grid gap-4 sm:grid-cols-2">
        <FieldShell name="name" label="Plan name" help="Names the download bundle and this deployment in the console." error={errors.name} required>
          <input className={inputClass} autoComplete="off" {...a11y('name')} {...register('name')} />
        </FieldShell>
        <FieldShell name="region" label="AWS region" help="Every stack is created in this region." error={errors.region} required>
          <select className={inputClass} {...a11y('region')} {...register('region')}>
            <RegionOptions />
          </select>
        </FieldShell>
      </div>
      {hasNetworkChoice && (
        <fieldset className="grid gap-2">
          <legend className="text-sm font-medium text-slate-800">Network</legend>
          {network.map((choice) => (
            <div key={choice.value} className="flex items-start gap-2 text-sm">
              <input type="radio" value={choice.value} id={`network-${choice.value}`} aria-describedby={`network-${choice.value}-help`} className="mt-1" {...register('network')} />
              <div>
                <label htmlFor={`network-${choice.value}`} className="font-semibold">
                  {choice.label}
                </label>
                <p id={`network-${choice.value}-help`} className="text-xs text-slate-600">
                  {choice.help}
                </p>
              </div>
            </div>
          ))}
        </fieldset>
      )}
    </section>
  );
}
