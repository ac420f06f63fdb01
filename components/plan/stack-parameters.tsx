'use client';

import { useErrors, useWatch } from '@/components/form/use-form';
import { groupSpecs } from '@/lib/params/cfn';
import { exposureWarning } from '@/lib/params/exposure';
import { filledKeys, isIncluded, type Plan } from '@/lib/params/plan';
import type { LineMeta } from '@/templates/line';
import type { StackId, StackMeta } from '@/templates/stack';
import { FilledByPlan } from './filled-by-plan';
import { ParameterField } from './parameter-field';
import { useAccountNetwork } from './use-account-network';

/** Every parameter the user sets for one stack of the plan's line, grouped as the template's Interface metadata. */
export function StackParameters({ meta, line }: { meta: StackMeta; line: LineMeta }) {
  const [network, include, region, values, stackNames] = useWatch<[Plan['network'], Plan['include'], Plan['region'], Plan['params'][StackId] | undefined, Plan['stackNames']]>([
    'network',
    'include',
    'region',
    `params.${meta.id}`,
    'stackNames',
  ]);
  const errors = useErrors();
  const needsNetwork = meta.parameters.some((s) => s.type.includes('AWS::EC2::'));
  const account = useAccountNetwork(needsNetwork ? region : '');
  if (!isIncluded({ network, include }, meta)) return null;

  const filled = filledKeys(meta, { network, include }, line.stacks);
  const groups = groupSpecs(meta.parameters)
    .map((g) => ({ ...g, specs: g.specs.filter((s) => !filled.includes(s.key)) }))
    .filter((g) => g.specs.length > 0);
  const errorCount = Object.keys(errors).filter((path) => path.startsWith(`params.${meta.id}.`)).length;
  const exposure = exposureWarning(line.exposure, meta.id, (values ?? {}) as Record<string, string>);

  return (
    <details open id={`params-${meta.id}`} className="scroll-mt-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-stack={meta.id}>
      <summary className="cursor-pointer text-lg font-semibold">
        {meta.title} <span className="font-mono text-sm font-normal text-slate-600">{meta.stem}</span>
        {errorCount > 0 && (
          <span className="ml-2 rounded bg-red-50 px-2 py-0.5 text-xs font-normal text-bad">
            {errorCount} to fix
          </span>
        )}
      </summary>
      <FilledByPlan meta={meta} line={line} plan={{ network, include, stackNames, params: { [meta.id]: values ?? {} } }} />
      {exposure && (
        <p role="status" className="mt-2 rounded border border-amber-300 bg-amber-50 p-2 text-sm" data-testid={`exposure-${meta.id}`}>
          {exposure.message}
        </p>
      )}
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
