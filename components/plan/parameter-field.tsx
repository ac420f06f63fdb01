'use client';

import { useFormContext } from 'react-hook-form';
import { describedBy, FieldShell, fieldId, inputClass } from '@/components/ui/field';
import { toField } from '@/lib/params/fields';
import type { Plan } from '@/lib/params/plan';
import type { ParamSpec } from '@/lib/params/spec';
import { errorAt } from './use-plan-form';

/** One CloudFormation parameter as a form control, chosen by the spec's kind. */
export function ParameterField({ name, spec }: { name: `params.${string}.${string}`; spec: ParamSpec }) {
  const { register, formState, setValue } = useFormContext<Plan>();
  const field = toField(spec);
  const error = errorAt(formState.errors, name);
  const common = {
    id: fieldId(name),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(name, true, error),
    'aria-required': field.required || undefined,
    ...register(name as never),
  };
  const help = (
    <>
      {field.help}
      {spec.noEcho && ' Secret: kept only in this browser tab, never put into links or shown in commands.'}
      {spec.example && (
        <button
          type="button"
          className="ml-2 text-brand-dark underline"
          onClick={() => setValue(name as never, spec.example as never, { shouldDirty: true, shouldValidate: true })}
        >
          Insert the defaults as a starting point
        </button>
      )}
    </>
  );

  let control: React.ReactNode;
  if (field.widget === 'select') {
    control = (
      <select className={inputClass} {...common}>
        {field.options?.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (spec.multiline) {
    control = <textarea className={`${inputClass} min-h-32 font-mono text-xs`} spellCheck={false} autoComplete="off" rows={6} {...common} />;
  } else {
    control = (
      <input
        className={`${inputClass} ${field.widget === 'list' || field.awsType ? 'font-mono' : ''}`}
        type={field.widget === 'secret' ? 'password' : 'text'}
        inputMode={field.widget === 'number' ? 'numeric' : undefined}
        placeholder={field.placeholder}
        autoComplete="off"
        spellCheck={false}
        {...common}
      />
    );
  }

  return (
    <FieldShell name={name} label={field.label} code={spec.key} help={help} error={error} required={field.required} wide={spec.multiline}>
      {control}
    </FieldShell>
  );
}
