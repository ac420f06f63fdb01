'use client';

import { useFormContext, useWatch } from 'react-hook-form';
import { useFieldError } from '@/components/form/use-field-errors';
import { controlProps, FieldShell, fieldId, inputClass } from '@/components/ui/field';
import { toField } from '@/lib/params/fields';
import type { Plan } from '@/lib/params/plan';
import type { ParamSpec } from '@/lib/params/spec';
import { FieldActions } from './field-actions';
import { SubnetPicker } from './subnet-picker';
import type { AccountNetwork } from './use-account-network';

type ParamPath = `params.${string}.${string}`;

/** One CloudFormation parameter as a form control, chosen by the spec's kind. */
export function ParameterField({ name, spec, network }: { name: ParamPath; spec: ParamSpec; network?: AccountNetwork }) {
  const { register, setValue } = useFormContext<Plan>();
  const field = toField(spec);
  const available = network?.available ? network : undefined;
  const listId = `${fieldId(name)}-choices`;
  const error = useFieldError(name);
  const common = {
    ...controlProps(name, true, error),
    'aria-required': field.required || undefined,
    ...register(name),
  };
  const help = (
    <>
      {field.help}
      {spec.noEcho && ' Secret: kept only in this browser tab, never put into links or shown in commands.'}
      {spec.example && (
        <button
          type="button"
          className="ml-2 text-brand-dark underline"
          onClick={() => setValue(name, spec.example!, { shouldDirty: true, shouldValidate: true })}
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
    ) : available && field.awsType === 'AWS::EC2::Subnet::Id' && field.widget === 'list' ? (
      <SubnetChoices name={name} network={available} />
    ) : null;

  return (
    <FieldShell name={name} label={field.label} code={spec.key} help={help} error={error} required={field.required} wide={spec.multiline}>
      {control}
      {picker}
      <FieldActions spec={spec} label={field.label} onValue={(next) => setValue(name, next, { shouldDirty: true, shouldTouch: true, shouldValidate: true })} />
    </FieldShell>
  );
}

/** The account's subnets in the chosen VPC, to tick into a subnet list (shown once a VPC is chosen). */
function SubnetChoices({ name, network }: { name: ParamPath; network: Extract<AccountNetwork, { available: true }> }) {
  const { setValue } = useFormContext<Plan>();
  const vpcPath = `${name.slice(0, name.lastIndexOf('.'))}.VpcId` as ParamPath;
  const [value, vpcId] = useWatch<Plan, [ParamPath, ParamPath]>({ name: [name, vpcPath] });
  if (!vpcId) return null;
  return (
    <SubnetPicker
      label={`Choose from the account (${network.mode === 'sandbox' ? 'sandbox' : 'connected account'})`}
      subnets={network.subnets.filter((s) => s.vpcId === vpcId)}
      value={value ?? ''}
      onChange={(next) => setValue(name, next, { shouldDirty: true, shouldTouch: true, shouldValidate: true })}
    />
  );
}
