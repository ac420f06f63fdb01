'use client';

import { Suspense } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { lazyPart } from '@/components/ui/lazy-part';
import type { AccountGroup, AccountTarget } from '@/lib/params/accounts';
import type { Plan } from '@/lib/params/plan';
import type { LineMeta } from '@/templates/line';

// The other account's fields show only once the user puts a group there: their code loads then.
const TargetFields = lazyPart(() => import('./account-target-fields').then((m) => m.TargetFields), 'fields of the other account');

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
      {on && (
        <Suspense fallback={<p className="text-sm text-slate-600">Loading the account’s fields…</p>}>
          <TargetFields name={`accounts.${group.id}`} />
        </Suspense>
      )}
    </div>
  );
}
