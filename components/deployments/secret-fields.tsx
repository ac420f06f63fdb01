'use client';

import { FieldActions } from '@/components/plan/field-actions';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import type { SecretField } from '@/lib/plan/secret-fields';

export type SecretValues = Record<string, Record<string, string>>;

/**
 * A run's secret fields (NoEcho parameters): typed, generated (a password shown once) or the
 * sandbox's sample, held in the page's memory only and sent with the run that needs them.
 */
export function SecretFields({ fields, values, onChange, fieldError }: { fields: readonly SecretField[]; values: SecretValues; onChange: (values: SecretValues) => void; fieldError: (name: string) => string | undefined }) {
  const set = (stackId: string, key: string, value: string) => onChange({ ...values, [stackId]: { ...values[stackId], [key]: value } });
  return fields.map((field) => {
    const name = `secrets.${field.stackId}.${field.key}`;
    const error = fieldError(name);
    return (
      <FieldShell key={name} name={name} label={field.label} error={error} help="Secret: give it again to change it, leave empty to keep it.">
        <textarea
          className={`${inputClass} font-mono text-xs`}
          rows={3}
          autoComplete="off"
          spellCheck={false}
          {...controlProps(name, true, error)}
          value={values[field.stackId]?.[field.key] ?? ''}
          onChange={(e) => set(field.stackId, field.key, e.target.value)}
        />
        <FieldActions spec={field} label={field.label} onValue={(value) => set(field.stackId, field.key, value)} />
      </FieldShell>
    );
  });
}
