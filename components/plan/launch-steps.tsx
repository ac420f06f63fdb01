'use client';

// The parts of the Launch section that exist only for a valid plan — the files to publish for
// quick-create links and the per-stack cards — loaded once the plan first checks out.
import type { StackInfo } from '@/lib/plan';
import { accountSections, stacksByAccount } from '@/lib/params/accounts';
import { orderNotes } from '@/lib/params/graph';
import { planGraph, planStacks, type Plan } from '@/lib/params/plan';
import { parseTemplateBaseUrl } from '@/lib/params/template-url';
import type { StackId, StackMeta } from '@/templates/stack';
import { StackLaunchCard } from './stack-launch-card';
import { useStackOutputs } from './use-stack-outputs';

type Download = (path: string, body: object, fallbackName: string) => Promise<void>;

/** Where each template goes in the bucket of the template base URL, and a zip laid out that way. */
export function PublishFiles({ plan, metas, download, currentPlan }: { plan: Plan; metas: readonly StackMeta[]; download: Download; currentPlan: () => object }) {
  const location = parseTemplateBaseUrl(plan.templateBaseUrl);
  if (!location) return null;
  return (
    <div className="text-sm">
      <p>
        Upload these files to bucket <code>{location.bucket}</code>:
      </p>
      <ul className="ml-5 list-disc font-mono text-xs">
        {planStacks(plan, metas).map((s) => (
          <li key={s.meta.id}>{`${location.prefix}${s.meta.stem}.yaml`}</li>
        ))}
      </ul>
      <button type="button" className="mt-2 rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => download('/api/plan/quick-create-files', currentPlan(), 'templates.zip')}>
        Download the files to publish (zip with this key layout)
      </button>
    </div>
  );
}

/** One card per stack, in an order the dependency graph allows. */
export function LaunchSteps({ plan, metas, info, download, currentPlan }: { plan: Plan; metas: readonly StackMeta[]; info: Record<StackId, StackInfo>; download: Download; currentPlan: () => object }) {
  const order = orderNotes(planGraph(plan, metas));
  const stacks = planStacks(plan, metas);
  // each stack's outputs are read in its own account: the deployment's, or the one the plan puts it in
  const { home, others } = stacksByAccount(plan, stacks);
  const deployed = useStackOutputs(plan.region, home, others);
  const acrossAccounts = accountSections(plan, stacks.map((s) => s.meta)) !== undefined;
  return (
    <ol className="grid gap-3" aria-label="Stacks in deployment order">
      {stacks.map((stack, index) => {
        // Every stack of every line has its facts (lib/plan stackInfo); a plan of another line has no card here.
        const facts = info[stack.meta.id];
        return (
          facts && (
            <StackLaunchCard
              key={stack.meta.id}
              plan={plan}
              metas={metas}
              stack={stack}
              step={index + 1}
              info={facts}
              order={order[stack.meta.id]}
              deployed={deployed}
              acrossAccounts={acrossAccounts}
              onDownload={(id, format) => download(`/api/plan/template?stack=${id}&format=${format}`, currentPlan(), `${stack.meta.stem}.${format}`)}
            />
          )
        );
      })}
    </ol>
  );
}
