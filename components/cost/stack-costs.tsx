import type { LineItem, StackEstimate } from '@/lib/cost/estimate';
import { priceNote, quantity, unitUsd, usd } from '@/lib/cost/format';

function Line({ line, region }: { line: LineItem; region: string }) {
  return (
    <li className="grid gap-0.5 border-t border-slate-100 py-1.5">
      <span className="flex flex-wrap justify-between gap-x-2">
        <span className="font-mono text-slate-800">{line.logicalId}</span>
        <strong>{usd(line.monthly)}</strong>
      </span>
      <span>
        {line.counted}
        {line.kind === 'usage' && ' '}
        {line.kind === 'usage' && <span className="rounded bg-slate-100 px-1 text-[11px] text-slate-600">usage</span>}
        {line.kind === 'ceiling' && ' '}
        {line.kind === 'ceiling' && <span className="rounded bg-slate-100 px-1 text-[11px] text-slate-600">at the ceiling, not in the total</span>}
      </span>
      <span className="text-slate-600">
        {line.unpriced ? (
          <span className="text-bad">Not priced: {line.note}</span>
        ) : line.note ? (
          <>{line.note}</>
        ) : (
          <>
            {quantity(line.quantity)} {line.unit} × {unitUsd(line.unitPrice)}
            {line.price?.approximate && (
              <abbr title={`Approximate: ${priceNote(line, region)}`} className="ml-0.5 text-warn no-underline">
                ≈<span className="sr-only"> (approximate price)</span>
              </abbr>
            )}{' '}
            <span className="text-slate-500">· {line.resourceType}</span>
          </>
        )}
      </span>
    </li>
  );
}

/** One stack's subtotal; opening it lists every line item and the resources that cost nothing. */
export function StackCosts({ stack, region, delta }: { stack: StackEstimate; region: string; delta?: React.ReactNode }) {
  const charged = stack.lines.filter((l) => l.kind !== 'free');
  const free = stack.lines.filter((l) => l.kind === 'free');
  return (
    <details className="group border-t border-slate-200 py-1.5">
      <summary className="flex cursor-pointer flex-wrap justify-between gap-x-2">
        <span className="font-mono">
          <span aria-hidden="true" className="mr-1 inline-block text-slate-500 group-open:rotate-90">▸</span>
          {stack.name}
        </span>
        <span>
          {usd(stack.monthly)}
          {delta}
        </span>
      </summary>
      <ul aria-label={`Line items of ${stack.name}`} className="mt-1 text-xs">
        {charged.map((line, i) => (
          <Line key={`${line.logicalId}-${i}`} line={line} region={region} />
        ))}
      </ul>
      {free.length > 0 && (
        <details className="mt-1 text-xs text-slate-600">
          <summary className="cursor-pointer">{free.length} resource{free.length === 1 ? '' : 's'} at no charge ($0)</summary>
          <ul aria-label={`Resources of ${stack.name} at no charge`}>
            {free.map((line) => (
              <li key={line.logicalId}>
                <span className="font-mono">{line.logicalId}</span>: {line.note}
              </li>
            ))}
          </ul>
        </details>
      )}
    </details>
  );
}
