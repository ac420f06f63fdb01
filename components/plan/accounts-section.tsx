'use client';

import { useFormContext, useWatch } from 'react-hook-form';
import { useFieldErrors } from '@/components/form/use-field-errors';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import type { AccountGroup, AccountTarget } from '@/lib/params/accounts';
import type { Plan } from '@/lib/params/plan';
import { REGIONS } from '@/lib/params/regions';
import type { LineMeta } from '@/templates/line';

/** Where the plan's stacks go: the deployment's account, or another one for each group the line lets move. */
export function AccountsSection({ line }: { line: LineMeta }) {
  const groups = line.accountGroups ?? [];
  if (groups.length === 0) return null;
  return (
    <section aria-labelledby="accounts-heading" className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="accounts-heading" className="text-lg font-semibold">
        AWS accounts
      </h2>
      <p className="text-sm text-slate-600">
        Every stack goes to the account the deployment’s role reaches (checked on the deployment page) unless you put a group of stacks in another account here.
      </p>
      {groups.map((group) => (
        <AccountGroupChoice key={group.id} group={group} line={line} />
      ))}
    </section>
  );
}

const FIELDS = ['accountId', 'region', 'roleArn', 'externalId'] as const;

function AccountGroupChoice({ group, line }: { group: AccountGroup; line: LineMeta }) {
  const { setValue, getValues } = useFormContext<Plan>();
  const target = useWatch<Plan, `accounts.${string}`>({ name: `accounts.${group.id}` }) as AccountTarget | undefined;
  const stacks = line.stacks.filter((m) => m.accountGroup === group.id);
  const on = target !== undefined;

  function toggle(checked: boolean) {
    const others = { ...(getValues('accounts') ?? {}) };
    if (checked) others[group.id] = { accountId: '', region: getValues('region'), roleArn: '', externalId: '' };
    else delete others[group.id];
    setValue('accounts', others, { shouldDirty: true });
  }

  return (
    <div className="grid gap-3" data-testid={`account-group-${group.id}`}>
      <div className="flex items-start gap-2 text-sm">
        <input type="checkbox" id={`account-group-${group.id}-on`} className="mt-1" checked={on} onChange={(e) => toggle(e.target.checked)} aria-describedby={`account-group-${group.id}-help`} />
        <div>
          <label htmlFor={`account-group-${group.id}-on`} className="font-semibold">
            {group.label}
          </label>
          <p id={`account-group-${group.id}-help`} className="text-xs text-slate-600">
            {group.help} Stacks: {stacks.map((m) => m.stem).join(', ')}.
          </p>
        </div>
      </div>
      {/* Registered only while on: a registered field puts the group in the plan, even empty. */}
      {on && <TargetFields name={`accounts.${group.id}`} />}
    </div>
  );
}

function TargetFields({ name }: { name: `accounts.${string}` }) {
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
          {REGIONS.map((r) => (
            <option key={r.code} value={r.code}>
              {r.code} — {r.name}
            </option>
          ))}
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
