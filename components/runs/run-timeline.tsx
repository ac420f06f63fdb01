import { duration } from '@/components/ui/time';
import type { RunProgress } from '@/lib/deploy/progress';
import { timeline, type BarTone, type TimelineRow } from './timeline';

const BAR: Record<BarTone, string> = {
  ok: 'bg-ok/80',
  busy: 'bg-amber-500',
  bad: 'bg-bad',
  idle: 'bg-slate-400',
};

function Row({ row, strong }: { row: TimelineRow; strong?: boolean }) {
  return (
    <li className="grid grid-cols-[7rem_minmax(0,1fr)] items-center gap-2 sm:grid-cols-[12rem_minmax(0,1fr)]">
      <span className={`truncate font-mono text-[11px] ${strong ? 'font-semibold' : 'text-slate-700'}`} title={row.title}>
        {row.title}
      </span>
      <span className="relative h-3 rounded bg-slate-100">
        {row.bars.map((bar, i) => (
          <span
            key={i}
            role="img"
            aria-label={bar.label}
            tabIndex={bar.tone === 'bad' ? 0 : undefined}
            className={`group absolute top-0 h-3 rounded ${BAR[bar.tone]} focus-visible:outline-2 focus-visible:outline-brand`}
            style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
          >
            {bar.tone === 'bad' && (
              <span role="tooltip" className="pointer-events-none absolute left-0 top-4 z-10 hidden w-72 max-w-[80vw] rounded bg-slate-900 p-2 text-xs text-white shadow-lg group-hover:block group-focus:block">
                {bar.label}
              </span>
            )}
          </span>
        ))}
      </span>
    </li>
  );
}

/** The waterfall: a bar per stack, and per resource from its first event to its last, failures in red with their reason on hover and focus. */
export function RunTimeline({ progress, now }: { progress: RunProgress; now: number }) {
  const t = timeline(progress, now);
  return (
    <section aria-labelledby="timeline-heading" className="grid gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <div className="flex items-baseline justify-between gap-2">
        <h3 id="timeline-heading" className="font-semibold">Timeline</h3>
        <span className="text-xs text-slate-600">{t.groups.length > 0 ? `0 – ${duration(t.end - t.start)}` : ''}</span>
      </div>
      <div className="h-72 overflow-y-auto pr-1" data-testid="timeline">
        {t.groups.length === 0 ? (
          <p className="text-sm text-slate-600">Bars appear here as CloudFormation reports progress.</p>
        ) : (
          <ol className="grid gap-2" aria-label="Timeline of this run">
            {t.groups.map((group) => (
              <li key={group.stackId}>
                <ol className="grid gap-0.5" aria-label={`Timeline of ${group.stack.title}`}>
                  <Row row={group.stack} strong />
                  {group.resources.map((row) => (
                    <Row key={row.key} row={row} />
                  ))}
                </ol>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
