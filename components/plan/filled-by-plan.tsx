'use client';

import { useWatch } from 'react-hook-form';
import type { Plan } from '@/lib/params/plan';
import { wireText, wiringOf } from '@/lib/params/wiring';
import type { LineMeta } from '@/templates/line';
import type { StackMeta } from '@/templates/stack';

/** The parameters of a stack the plan fills itself, each with where its value comes from. */
export function FilledByPlan({ meta, line, network, include, accounts }: { meta: StackMeta; line: LineMeta; network: Plan['network']; include: Plan['include']; accounts?: Plan['accounts'] }) {
  // Its own watch: a value that chooses an output (a scheme) re-renders this list, not the section.
  const [values, stackNames] = useWatch<Plan, [`params.${string}`, 'stackNames']>({ name: [`params.${meta.id}`, 'stackNames'] });
  const plan = { network, include, accounts, stackNames, params: { [meta.id]: (values ?? {}) as Record<string, string> } };
  const wires = Object.entries(wiringOf(meta, plan, line.stacks));
  if (wires.length === 0) return null;
  return (
    <details className="mt-2 text-sm text-slate-600" data-testid={`filled-${meta.id}`}>
      <summary className="cursor-pointer">Filled in by the plan: {wires.length} parameter{wires.length === 1 ? '' : 's'}</summary>
      <ul className="ml-5 mt-1 list-disc" aria-label={`Parameters of ${meta.stem} the plan fills`}>
        {wires.map(([key, wire]) => (
          <li key={key}>
            <code>{key}</code> {wireText(wire, plan, line.stacks)}
          </li>
        ))}
      </ul>
    </details>
  );
}
