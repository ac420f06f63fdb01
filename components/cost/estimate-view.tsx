import type { Estimate } from '@/lib/cost/estimate';
import { EXCLUSIONS, regionName, usd } from '@/lib/cost/format';
import { StackCosts } from './stack-costs';

/** An estimate: the monthly total, fixed against usage-driven, each stack's subtotal with its line items, and the assumptions. */
export function EstimateView({ estimate, busy = false }: { estimate: Estimate; busy?: boolean }) {
  return (
    <div className="grid gap-2 text-sm" aria-busy={busy}>
      <p aria-live="polite">
        <span className="text-2xl font-semibold" data-cost="total">{usd(estimate.monthly)}</span> a month
      </p>
      <p className="text-slate-700">
        Fixed {usd(estimate.fixed)} (runs whether or not data flows) · usage-driven {usd(estimate.usageDriven)}
      </p>
      {estimate.ceiling > 0 && (
        <p className="text-slate-700" data-cost="ceiling">
          Autoscaled services at their ceilings would add up to {usd(estimate.ceiling)} a month (not in the total).
        </p>
      )}
      <p className="text-xs text-slate-600">
        {EXCLUSIONS} {estimate.region} ({regionName(estimate.region)}) prices
        {estimate.approximate ? '; figures marked ≈ are approximate (not confirmed from a source, derived, or from a nearby region).' : '.'}
      </p>
      {estimate.unpriced.length > 0 && <p className="text-xs text-bad">Not priced: {estimate.unpriced.join('; ')}</p>}
      <div aria-label="Cost by stack" role="group">
        {estimate.stacks.map((stack) => (
          <StackCosts key={stack.id} stack={stack} region={estimate.region} />
        ))}
      </div>
      <details className="text-xs text-slate-700">
        <summary className="cursor-pointer">Assumptions</summary>
        <ul className="mt-1 list-disc pl-4">
          {estimate.assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
          <li>
            Prices: {estimate.prices.from} (generated {estimate.prices.generatedAt}).
          </li>
        </ul>
      </details>
    </div>
  );
}
