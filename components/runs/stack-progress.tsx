'use client';

import { StatusBadge } from '@/components/deployments/status-badge';
import type { StackProgress as Progress } from '@/lib/deploy/progress';
import { NestedStacks, ResourceTable } from './nested-stacks';

const time = (iso: string) => iso.slice(11, 23);

/** One stack of a run: its status, a row per resource, its nested stacks, and the event timeline. */
export function StackProgress({ stack, position, after, account }: { stack: Progress; position: number; after: string[]; account?: string }) {
  return (
    <li id={`run-stack-${stack.stackId}`} className="grid scroll-mt-4 gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-stack={stack.stackId} aria-label={`${stack.stackName}: ${stack.status}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">
          {position}. <code>{stack.stackName}</code>
        </h3>
        {account && (
          <span className="rounded bg-sky-50 px-1.5 py-0.5 text-xs text-sky-900" data-testid={`stack-account-${stack.stackId}`}>
            {account}
          </span>
        )}
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
          <ResourceTable resources={stack.resources} label={`Resources of ${stack.stackName}`} />
        </details>
      )}
      {stack.children.length > 0 && <NestedStacks stackName={stack.stackName} nested={stack.children} />}
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
