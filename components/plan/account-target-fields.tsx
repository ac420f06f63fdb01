'use client';

import { useFormContext } from 'react-hook-form';
import { useFieldErrors } from '@/components/form/use-field-errors';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import type { Plan } from '@/lib/params/plan';
import { RegionOptions } from './region-options';

const FIELDS = ['accountId', 'region', 'roleArn', 'externalId'] as const;

/** The account, region, role and ExternalId of a group of stacks placed in another account. */
export function TargetFields({ name }: { name: `accounts.${string}` }) {
  const { register } = useFormContext<Plan>();
  const error = useFieldErrors(FIELDS.map((f) => `${name}.${f}`));
  const field = (key: (typeof FIELDS)[number]) => {
    const path = `${name}.${key}` as const;
    return { message: error(path), props: { ...controlProps(path, true, error(path)), ...register(path) } };
  };
  const accountId = field('accountId');
  const region = field('region');
  const roleArn = field('roleArn');
  const externalId = field('externalId');
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <FieldShell name={`${name}.accountId`} label="Account ID" help="The 12-digit AWS account the stacks go to." error={accountId.message} required>
        <input className={inputClass} inputMode="numeric" autoComplete="off" {...accountId.props} />
      </FieldShell>
      <FieldShell name={`${name}.region`} label="Region" help="Where the stacks are created in that account." error={region.message} required>
        <select className={inputClass} {...region.props}>
          <RegionOptions />
        </select>
      </FieldShell>
      <FieldShell name={`${name}.roleArn`} label="Deploy role ARN" help="The role the console assumes in that account; its trust policy must let the console’s identity in." error={roleArn.message} required>
        <input className={inputClass} autoComplete="off" spellCheck={false} {...roleArn.props} />
      </FieldShell>
      <FieldShell name={`${name}.externalId`} label="External ID (optional)" help="The ExternalId the role’s trust asks for. Kept in this tab only, never in links or logs." error={externalId.message}>
        <input className={inputClass} type="password" autoComplete="off" spellCheck={false} {...externalId.props} />
      </FieldShell>
    </div>
  );
}
