import type { Estimate, LineItem } from '@/lib/cost/estimate';
import { delta, EXCLUSIONS, usd } from '@/lib/cost/format';
import type { Operation } from '@/lib/deploy/scope';
import type { StackAction } from '@/lib/deploy/types';
import type { Plan } from '@/lib/params/plan';
import { estimateChange } from '@/lib/plan/estimate';
import type { StackId } from '@/templates/stack';

const lineKey = (l: LineItem) => `${l.stackId}/${l.logicalId}/${l.price?.key ?? l.counted}`;
const lines = (e: Estimate) => new Map(e.stacks.flatMap((s) => s.lines).filter((l) => l.kind !== 'free').map((l) => [lineKey(l), l]));

function changedLines(before: Estimate, after: Estimate) {
  const was = lines(before);
  const now = lines(after);
  return [...new Set([...was.keys(), ...now.keys()])]
    .map((key) => ({ key, before: was.get(key), after: now.get(key) }))
    .filter((c) => Math.abs((c.after?.monthly ?? 0) - (c.before?.monthly ?? 0)) >= 0.005);
}

const th = 'py-1 pr-3 font-medium';

/** The estimated monthly cost before and after a run, by stack and by the line items that change. */
export function EstimateChange({ plan, operation, stacks }: { plan: Plan; operation: Operation; stacks: readonly { stackId: StackId; action: StackAction }[] }) {
  const { before, after } = estimateChange(plan, operation, stacks);
  const ids = [...new Set([...before.stacks, ...after.stacks].map((s) => s.id))];
  const stackOf = (e: Estimate, id: StackId) => e.stacks.find((s) => s.id === id);
  const changes = changedLines(before, after);
  return (
    <section aria-labelledby="cost-change-heading" className="grid gap-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
      <h2 id="cost-change-heading" className="text-xl font-semibold">Estimated monthly cost</h2>
      <p className="text-base">
        Before <strong>{usd(before.monthly)}</strong> → after <strong>{usd(after.monthly)}</strong> a month ({delta(after.monthly - before.monthly)})
      </p>
      <div className="relative overflow-x-auto">
        <table className="w-full min-w-[28rem] text-left text-xs" aria-label="Estimated monthly cost by stack, before and after">
          <thead className="text-slate-600">
            <tr><th scope="col" className={th}>Stack</th><th scope="col" className={th}>Before</th><th scope="col" className={th}>After</th><th scope="col" className={th}>Change</th></tr>
          </thead>
          <tbody>
            {ids.map((id) => {
              const [was, now] = [stackOf(before, id), stackOf(after, id)];
              return (
                <tr key={id} className="border-t border-slate-100">
                  <td className="py-1 pr-3 font-mono">{(now ?? was)?.name}</td>
                  <td className="py-1 pr-3">{was ? usd(was.monthly) : 'not deployed'}</td>
                  <td className="py-1 pr-3">{now ? usd(now.monthly) : 'deleted'}</td>
                  <td className="py-1">{delta((now?.monthly ?? 0) - (was?.monthly ?? 0))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {changes.length > 0 && (
        <details open={changes.length <= 12}>
          <summary className="cursor-pointer">{changes.length} line item{changes.length === 1 ? '' : 's'} change</summary>
          <div className="relative overflow-x-auto">
            <table className="w-full min-w-[36rem] text-left text-xs" aria-label="Line items that change">
              <thead className="text-slate-600">
                <tr><th scope="col" className={th}>Resource</th><th scope="col" className={th}>Before</th><th scope="col" className={th}>After</th></tr>
              </thead>
              <tbody>
                {changes.map(({ key, before: was, after: now }) => (
                  <tr key={key} className="border-t border-slate-100 align-top">
                    <td className="py-1 pr-3 font-mono">{(now ?? was)?.logicalId}</td>
                    <td className="py-1 pr-3">{was ? `${was.counted}: ${usd(was.monthly)}` : '—'}</td>
                    <td className="py-1">{now ? `${now.counted}: ${usd(now.monthly)}` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      <p className="text-xs text-slate-600">
        {EXCLUSIONS} Stacks this run creates count only after it, stacks it deletes only before. Usage: {after.usage.telemetryGbPerDay} GB of telemetry a day, storage at month {after.usage.months}.
      </p>
    </section>
  );
}
