'use client';

import { useState } from 'react';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import { exposureWarning, type ExposureRule } from '@/lib/params/exposure';
import type { SettingFieldData } from '@/lib/plan/settings';
import type { StackId } from '@/templates/stack';
import { useStartRun } from './use-start-run';

/** A setting with its value now; `options` makes it a choice; `warning` is said when the value changes. */
export type SettingField = SettingFieldData;

const fieldName = (f: SettingField) => `operation.settings.${f.stackId}.${f.key}`;

/** A day-2 operation: the load balancers' scheme, certificates and domain names, and the database version, previewed like every run. */
export function ChangeSettings({
  deploymentId,
  account,
  fields,
  exposure: rules,
}: {
  deploymentId: string;
  account: string | undefined;
  fields: readonly SettingField[];
  /** The line's load balancers that may face the internet. */
  exposure: readonly ExposureRule[];
}) {
  const start = useStartRun();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [fieldName(f), f.current])));
  const ready = account !== undefined && !start.pending;
  const valuesOf = (stackId: StackId) => Object.fromEntries(fields.filter((f) => f.stackId === stackId).map((f) => [f.key, values[fieldName(f)]]));

  function preview() {
    if (!account) return;
    const settings: Record<string, Record<string, string>> = {};
    for (const f of fields) (settings[f.stackId] ??= {})[f.key] = values[fieldName(f)] ?? '';
    start.run({ deploymentId, confirmedAccount: account, operation: { kind: 'update-settings', settings } });
  }

  return (
    <div className="grid gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h3 className="font-semibold">Change settings</h3>
      <p className="text-xs text-slate-600">Load balancers, certificates and the database version. The preview shows every change set before anything runs.</p>
      {start.formError && <p role="alert" className="rounded border border-bad bg-red-50 p-2 text-sm text-bad">{start.formError}</p>}
      <div className="grid gap-3 sm:grid-cols-2">
        {fields.map((f) => {
          const name = fieldName(f);
          const error = start.fieldError(name);
          const value = values[name] ?? '';
          const exposure = exposureWarning(rules, f.stackId, valuesOf(f.stackId));
          const change = (next: string) => setValues({ ...values, [name]: next });
          return (
            <FieldShell key={name} name={name} label={f.label} code={f.key} error={error} help={`${f.help} Now ${f.current || '(empty)'}.`}>
              {f.options ? (
                <select className={inputClass} value={value} {...controlProps(name, false, error)} onChange={(e) => change(e.target.value)}>
                  {f.options.map((option) => (
                    <option key={option} value={option}>{option}</option>
                  ))}
                </select>
              ) : (
                <input className={`${inputClass} font-mono`} value={value} autoComplete="off" spellCheck={false} {...controlProps(name, false, error)} onChange={(e) => change(e.target.value)} />
              )}
              {f.warning && value !== f.current && <p role="status" className="rounded border border-amber-300 bg-amber-50 p-2 text-xs">{f.warning}</p>}
              {exposure?.key === f.key && <p role="status" className="rounded border border-amber-300 bg-amber-50 p-2 text-xs">{exposure.message}</p>}
            </FieldShell>
          );
        })}
      </div>
      <button type="button" className="justify-self-start rounded bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-dark disabled:opacity-60" disabled={!ready} onClick={preview}>
        Preview settings change
      </button>
    </div>
  );
}
