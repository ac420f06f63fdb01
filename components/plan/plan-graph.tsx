'use client';

import { useWatch } from 'react-hook-form';
import { StackGraphPicture, type GraphNode } from '@/components/graph/stack-graph';
import { fieldId } from '@/components/ui/field';
import { stackGraph } from '@/lib/params/graph';
import { targetOf } from '@/lib/params/accounts';
import { isIncluded, planGraph, type Plan } from '@/lib/params/plan';
import type { StackId, StackMeta } from '@/templates/stack';

/** Why a stack is left out, and the control that brings it back. */
const leftOut = (meta: StackMeta) =>
  meta.inclusion === 'new-network' ? { detail: 'left out: existing VPC', href: '#network-new' } : { detail: 'left out', href: `#${fieldId(`include.${meta.id}`)}` };

/**
 * The plan's stacks as a graph that follows the form: every stack keeps its place, those left out
 * are drawn dashed, and each node leads to the stack's parameters (or to the control that includes it).
 */
export function PlanGraph({ metas }: { metas: readonly StackMeta[] }) {
  const [network, include, names, accounts] = useWatch<Plan, ['network', 'include', 'stackNames', 'accounts']>({ name: ['network', 'include', 'stackNames', 'accounts'] });
  const plan = { network, include };
  const deployed = planGraph(plan, metas);
  const nodes = Object.fromEntries(
    metas.map((meta): [StackId, GraphNode] => {
      const name = names?.[meta.id] || meta.stem;
      if (!isIncluded(plan, meta)) {
        const out = leftOut(meta);
        return [meta.id, { title: meta.title, detail: out.detail, tone: 'out', href: out.href, label: `${meta.title}: ${out.detail}` }];
      }
      const after = (deployed.deps[meta.id] ?? []).map((id) => names?.[id] || id);
      // A stack the plan puts in another account says so.
      const elsewhere = targetOf({ accounts }, meta);
      const note = elsewhere ? `account ${elsewhere.accountId}` : undefined;
      return [
        meta.id,
        {
          title: meta.title,
          detail: name,
          tone: 'planned',
          href: `#params-${meta.id}`,
          ...(note ? { note } : {}),
          label: `${meta.title} (${name}): in the plan${note ? ` in ${note}` : ''}, ${after.length ? `starts after ${after.join(' and ')}` : 'starts first'}`,
        },
      ];
    }),
  );
  return (
    <figure className="grid max-w-[440px] content-start gap-2">
      <StackGraphPicture graph={stackGraph(metas, () => true)} nodes={nodes} label="The plan's stacks and what each waits for" />
      <figcaption className="text-xs text-slate-600">
        {deployed.ids.length} of {metas.length} stacks in this plan. A stack starts once the stacks with an arrow to it have
        completed; stacks on one row can run side by side. Dashed stacks are left out.
      </figcaption>
    </figure>
  );
}
