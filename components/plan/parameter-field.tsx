'use client';

import { useFieldError, useFormStore, useWatch } from '@/components/form/use-form';
import { controlProps, FieldShell, fieldId, inputClass } from '@/components/ui/field';
import { toField } from '@/lib/params/fields';
import type { Plan } from '@/lib/params/plan';
import type { ParamSpec } from '@/lib/params/spec';
import { FieldActions } from './field-actions';
import { SubnetPicker } from './subnet-picker';
import type { AccountNetwork } from './use-account-network';

/** One CloudFormation parameter as a form control, chosen by the spec's kind. */
export function ParameterField({ name, spec, network }: { name: `params.${string}.${string}`; spec: ParamSpec; network?: AccountNetwork }) {
  const form = useFormStore<Plan>();
  const field = toField(spec);
  const stackPath = name.slice(0, name.lastIndexOf('.'));
  const [value, vpcId] = useWatch<[string | undefined, string | undefined]>([name, `${stackPath}.VpcId`]);
  const available = network?.available ? network : undefined;
  const listId = `${fieldId(name)}-choices`;
  const error = useFieldError(name);
  const common = {
    ...controlProps(name, true, error),
    'aria-required': field.required || undefined,
    ...form.register(name),
  };
  const help = (
    <>
      {field.help}
      {spec.noEcho && ' Secret: kept only in this browser tab, never put into links or shown in commands.'}
      {spec.example && (
        <button
          type="button"
          className="ml-2 text-brand-dark underline"
          onClick={() => form.setValue(name, spec.example, { check: true })}
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
        list={available && field.awsType === 'AWS::EC2::VPC::Id' ? listId : undefined}
        {...common}
      />
    );
  }
  const picker =
    available && field.awsType === 'AWS::EC2::VPC::Id' ? (
      <datalist id={listId}>
        {available.vpcs.map((vpc) => (
          <option key={vpc.id} value={vpc.id}>
            {[vpc.name, vpc.cidr, vpc.isDefault ? 'default' : ''].filter(Boolean).join(' · ')}
          </option>
        ))}
      </datalist>
    ) : available && field.awsType === 'AWS::EC2::Subnet::Id' && field.widget === 'list' && vpcId ? (
      <SubnetPicker
        label={`Choose from the account (${available.mode === 'sandbox' ? 'sandbox' : 'connected account'})`}
        subnets={available.subnets.filter((s) => s.vpcId === vpcId)}
        value={value ?? ''}
        onChange={(next) => form.setValue(name, next, { touch: true, check: true })}
      />
    ) : null;

  return (
    <FieldShell name={name} label={field.label} code={spec.key} help={help} error={error} required={field.required} wide={spec.multiline}>
      {control}
      {picker}
      <FieldActions spec={spec} label={field.label} onValue={(next) => form.setValue(name, next, { touch: true, check: true })} />
    </FieldShell>
  );
}
