'use client';

import { useWatch } from 'react-hook-form';
import { useErrorList } from '@/components/form/use-field-errors';
import { groupSpecs } from '@/lib/params/cfn';
import { exposureWarning } from '@/lib/params/exposure';
import { targetOf } from '@/lib/params/accounts';
import { filledKeys, isIncluded, type Plan } from '@/lib/params/plan';
import type { LineMeta } from '@/templates/line';
import type { StackMeta } from '@/templates/stack';
import { FilledByPlan } from './filled-by-plan';
import { ParameterField } from './parameter-field';
import { useAccountNetwork } from './use-account-network';

/** Every parameter the user sets for one stack of the plan's line, grouped as the template's Interface metadata. */
export function StackParameters({ meta, line }: { meta: StackMeta; line: LineMeta }) {
  const [network, include, region, accounts] = useWatch<Plan, ['network', 'include', 'region', 'accounts']>({ name: ['network', 'include', 'region', 'accounts'] });
  const elsewhere = targetOf({ accounts }, meta);
  // The connected account's VPCs and subnets are no choice for a stack in another account.
  const needsNetwork = !elsewhere && meta.parameters.some((s) => s.type.includes('AWS::EC2::'));
  const account = useAccountNetwork(needsNetwork ? region : '');
  if (!isIncluded({ network, include }, meta)) return null;

  const filled = filledKeys(meta, { network, include, accounts }, line.stacks);
  const groups = groupSpecs(meta.parameters)
    .map((g) => ({ ...g, specs: g.specs.filter((s) => !filled.includes(s.key)) }))
    .filter((g) => g.specs.length > 0);

  return (
    <details open id={`params-${meta.id}`} className="scroll-mt-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-stack={meta.id}>
      <summary className="cursor-pointer text-lg font-semibold">
        {meta.title} <span className="font-mono text-sm font-normal text-slate-600">{meta.stem}</span>
        {elsewhere && (
          <span className="ml-2 rounded bg-sky-50 px-2 py-0.5 text-xs font-normal text-sky-900" data-testid={`account-of-${meta.id}`}>
            in account {elsewhere.accountId}
          </span>
        )}
        <ToFix stackId={meta.id} />
      </summary>
      <FilledByPlan meta={meta} line={line} network={network} include={include} accounts={accounts} />
      <Exposure line={line} stackId={meta.id} />
      {groups.length === 0 && <p className="mt-2 text-sm text-slate-600">Nothing to set for this stack.</p>}
      {groups.map((group) => (
        <fieldset key={group.label} className="mt-4 grid gap-4 md:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">{group.label}</legend>
          {group.specs.map((spec) => (
            <ParameterField key={spec.key} name={`params.${meta.id}.${spec.key}`} spec={spec} network={account} />
          ))}
        </fieldset>
      ))}
    </details>
  );
}

/** How many of the stack's fields need fixing (re-rendered when their errors change, not on typing). */
function ToFix({ stackId }: { stackId: string }) {
  const count = useErrorList(`params.${stackId}`).length;
  if (count === 0) return null;
  return <span className="ml-2 rounded bg-red-50 px-2 py-0.5 text-xs font-normal text-bad">{count} to fix</span>;
}

/** What the stack's values would expose, in words (re-rendered as they change; the section around it is not). */
function Exposure({ line, stackId }: { line: LineMeta; stackId: string }) {
  const values = useWatch<Plan, `params.${string}`>({ name: `params.${stackId}` });
  const exposure = exposureWarning(line.exposure, stackId, (values ?? {}) as Record<string, string>);
  if (!exposure) return null;
  return (
    <p role="status" className="mt-2 rounded border border-amber-300 bg-amber-50 p-2 text-sm" data-testid={`exposure-${stackId}`}>
      {exposure.message}
    </p>
  );
}
