'use client';

import { StatusBadge } from '@/components/deployments/status-badge';
import type { StackProgress as Progress } from '@/lib/deploy/progress';

const seconds = (from?: string, to?: string) => (from && to ? `${Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10)} s` : '—');
const time = (iso: string) => iso.slice(11, 23);

/** One stack of a run: its status, a row per resource, and the event timeline. */
export function StackProgress({ stack, position, after }: { stack: Progress; position: number; after: string[] }) {
  return (
    <li id={`run-stack-${stack.stackId}`} className="grid scroll-mt-4 gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-stack={stack.stackId} aria-label={`${stack.stackName}: ${stack.status}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">
          {position}. <code>{stack.stackName}</code>
        </h3>
        <StatusBadge status={stack.status} />
        {stack.stackStatus && <StatusBadge status={stack.stackStatus} />}
        {stack.reason && stack.status !== 'complete' && <span className="text-xs text-slate-600">{stack.reason}</span>}
        {after.length > 0 && <span className="text-xs text-slate-500">after {after.join(', ')}</span>}
      </div>
      {stack.resources.length > 0 && (
        <details open={!['complete', 'skipped', 'unchanged'].includes(stack.status)} className="relative overflow-x-auto">
          <summary className="cursor-pointer text-xs text-slate-700">
            Resources ({stack.resources.length})
          </summary>
          <table className="w-full min-w-[40rem] text-left text-xs" aria-label={`Resources of ${stack.stackName}`}>
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-3">Logical ID</th>
                <th scope="col" className="py-1 pr-3">Type</th>
                <th scope="col" className="py-1 pr-3">Status</th>
                <th scope="col" className="py-1 pr-3">Duration</th>
                <th scope="col" className="py-1">Reason</th>
              </tr>
            </thead>
            <tbody>
              {stack.resources.map((r) => (
                <tr key={r.logicalId} className="border-t border-slate-100">
                  <td className="py-1 pr-3 font-mono">{r.logicalId}</td>
                  <td className="py-1 pr-3 font-mono">{r.type}</td>
                  <td className="py-1 pr-3"><StatusBadge status={r.status} /></td>
                  <td className="py-1 pr-3">{seconds(r.startedAt, r.finishedAt)}</td>
                  <td className="py-1">{r.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {stack.events.length > 0 && (
        <details>
          <summary className="cursor-pointer text-xs text-slate-700">Timeline ({stack.events.length} events)</summary>
          <ol className="mt-1 grid gap-0.5 font-mono text-[11px]" aria-label={`Events of ${stack.stackName}`}>
            {stack.events.map((e) => (
              <li key={e.eventId} data-event-id={e.eventId}>
                {time(e.timestamp)} {e.logicalId} {e.status}
                {e.reason ? ` — ${e.reason}` : ''}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}
