import type { Deployment } from '@/lib/store/deployments';
import type { Overview } from '@/lib/deploy/overview';
import { usd } from '@/lib/cost/format';
import { estimatePlan } from '@/lib/plan/estimate';
import { EstimateView } from './estimate-view';

/** Statuses of stacks that hold no resources. */
const ABSENT = ['NOT_DEPLOYED', 'DELETE_COMPLETE', 'REVIEW_IN_PROGRESS', 'ROLLBACK_COMPLETE'];

/** The estimated monthly cost of the stacks that exist now (all of the plan's when AWS cannot say). */
export function DeployedEstimate({ deployment, overview }: { deployment: Deployment; overview: Overview }) {
  const known = !overview.problem;
  const deployed = new Set(overview.stacks.filter((s) => !ABSENT.includes(s.status)).map((s) => s.id));
  const estimate = estimatePlan(deployment.plan, (id) => !known || deployed.has(id));
  const whole = known && deployed.size === 0 ? estimatePlan(deployment.plan) : undefined;
  return (
    <section aria-labelledby="deployed-cost-heading" className="grid gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="deployed-cost-heading" className="text-xl font-semibold">Estimated monthly cost</h2>
      {whole ? (
        <p className="text-sm text-slate-700">Nothing is deployed, so nothing runs up a bill. Deployed, this plan would cost about {usd(whole.monthly)} a month.</p>
      ) : (
        <>
          <p className="text-sm text-slate-700">
            {known
              ? `What is deployed now: ${estimate.stacks.length} of the plan's stacks, at the plan's task counts and usage assumptions.`
              : 'AWS could not be asked which stacks exist, so this is the estimate of the whole plan.'}
          </p>
          <EstimateView estimate={estimate} />
        </>
      )}
    </section>
  );
}
