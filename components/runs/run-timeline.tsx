import { useState } from 'react';
import { duration } from '@/components/ui/time';
import type { RunProgress } from '@/lib/deploy/progress';
import { timeline, type BarTone, type TimelineBar, type TimelineRow } from './timeline';

const BAR: Record<BarTone, string> = {
  ok: 'bg-ok/80',
  busy: 'bg-amber-500',
  bad: 'bg-bad',
  idle: 'bg-slate-400',
};

function Bars({ bars }: { bars: readonly TimelineBar[] }) {
  return (
    <span className="relative h-3 rounded bg-slate-100">
      {bars.map((bar, i) => (
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
  );
}

const GRID = 'grid grid-cols-[7rem_minmax(0,1fr)] items-center gap-2 sm:grid-cols-[12rem_minmax(0,1fr)]';

interface RowProps {
  row: TimelineRow;
  depth: number;
  isOpen: (row: TimelineRow) => boolean;
  toggle: (row: TimelineRow) => void;
}

/** A row; a stack's or a nested stack's opens onto its own rows, listed under it. */
function Row({ row, depth, isOpen, toggle }: RowProps) {
  const indent = { paddingLeft: `${depth * 0.75}rem` };
  if (!row.rows) {
    return (
      <li className={GRID}>
        <span className="truncate font-mono text-[11px] text-slate-700" style={indent} title={row.title}>
          {row.title}
        </span>
        <Bars bars={row.bars} />
      </li>
    );
  }
  const open = isOpen(row) && row.rows.length > 0;
  const id = `timeline-rows-${row.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <li>
      <ol className="grid gap-0.5" aria-label={`Timeline of ${row.title}`}>
        <li className={GRID}>
          <button
            type="button"
            className="flex min-w-0 items-center gap-1 text-left font-mono text-[11px] font-semibold hover:underline disabled:no-underline"
            style={indent}
            aria-expanded={row.rows.length > 0 ? open : undefined}
            aria-controls={open ? id : undefined}
            aria-label={`${row.title}, ${row.summary}`}
            title={`${row.title}: ${row.summary}`}
            disabled={row.rows.length === 0}
            onClick={() => toggle(row)}
          >
            <span aria-hidden="true" className="w-3 shrink-0 text-slate-500">{row.rows.length === 0 ? '' : open ? '▾' : '▸'}</span>
            <span className="truncate">{row.title}</span>
          </button>
          <Bars bars={row.bars} />
        </li>
        {open && (
          <li>
            <ol id={id} className="grid gap-0.5" aria-label={`Rows of ${row.title}`}>
              {row.rows.map((child) => (
                <Row key={child.key} row={child} depth={depth + 1} isOpen={isOpen} toggle={toggle} />
              ))}
            </ol>
          </li>
        )}
      </ol>
    </li>
  );
}

/**
 * The waterfall: a row per stack, each opening onto its nested stacks and its resources (a bar per
 * attempt, failures in red with their reason on hover and focus). Running and failed stacks start
 * open; a finished run shows every stack at once.
 */
export function RunTimeline({ progress, now }: { progress: RunProgress; now: number }) {
  const t = timeline(progress, now);
  // What the user opened or closed, by row; the rest follow the run (open while running or failed).
  const [chosen, setChosen] = useState<Readonly<Record<string, boolean>>>({});
  const isOpen = (row: TimelineRow) => chosen[row.key] ?? row.open ?? false;
  const toggle = (row: TimelineRow) => setChosen((was) => ({ ...was, [row.key]: !(was[row.key] ?? row.open ?? false) }));
  return (
    <section aria-labelledby="timeline-heading" className="grid gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <div className="flex items-baseline justify-between gap-2">
        <h3 id="timeline-heading" className="font-semibold">Timeline</h3>
        <span className="text-xs text-slate-600">{t.rows.length > 0 ? `0 – ${duration(t.end - t.start)}` : ''}</span>
      </div>
      <div className="h-72 overflow-y-auto pr-1" data-testid="timeline">
        {t.rows.length === 0 ? (
          <p className="text-sm text-slate-600">Bars appear here as CloudFormation reports progress.</p>
        ) : (
          <ol className="grid gap-2" aria-label="Timeline of this run">
            {t.rows.map((row) => (
              <Row key={row.key} row={row} depth={0} isOpen={isOpen} toggle={toggle} />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
