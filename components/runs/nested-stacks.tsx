'use client';

import { StatusBadge } from '@/components/deployments/status-badge';
import type { ChildProgress, ResourceProgress } from '@/lib/deploy/progress';

const seconds = (from?: string, to?: string) => (from && to ? `${Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10)} s` : '—');

/** A resource table: logical id, type, status, duration and reason. */
export function ResourceTable({ resources, label }: { resources: readonly ResourceProgress[]; label: string }) {
  return (
    <table className="w-full min-w-[40rem] text-left text-xs" aria-label={label}>
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
        {resources.map((r) => (
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
  );
}

/** A stack's nested stacks: each with its state as CloudFormation reported it (or that it said nothing yet), opening onto its resources. */
export function NestedStacks({ stackName, nested }: { stackName: string; nested: readonly ChildProgress[] }) {
  return (
    <details className="relative overflow-x-auto" open={nested.some((c) => /_IN_PROGRESS$|_FAILED$/.test(c.status))}>
      <summary className="cursor-pointer text-xs text-slate-700">Nested stacks ({nested.length})</summary>
      <ul className="mt-1 grid gap-1" aria-label={`Nested stacks of ${stackName}`}>
        {nested.map((child) => (
          <li key={child.path} className="grid gap-1 border-l-2 border-slate-200 pl-2" data-child={child.path} aria-label={`${child.title}: ${child.status || 'not reported'}`}>
            <div className="flex flex-wrap items-center gap-2 text-xs">
              <strong>{child.title}</strong>
              {child.title !== child.path && <code className="text-slate-600">{child.path}</code>}
              {child.status ? <StatusBadge status={child.status} /> : <span className="text-slate-500">nothing reported yet</span>}
              {child.stackName && <code className="text-slate-500">{child.stackName}</code>}
              {child.reason && /FAILED|ROLLBACK/.test(child.status) && <span className="text-slate-600">{child.reason}</span>}
            </div>
            {child.resources.length > 0 && (
              <details open={child.resources.some((r) => r.status.endsWith('_FAILED'))}>
                <summary className="cursor-pointer text-xs text-slate-700">Resources ({child.resources.length})</summary>
                <ResourceTable resources={child.resources} label={`Resources of ${stackName} nested stack ${child.title}`} />
              </details>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
