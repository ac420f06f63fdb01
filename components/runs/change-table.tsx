import type { ResourceChangeSummary } from '@/lib/deploy/types';

const ACTION_STYLE: Record<string, string> = {
  Add: 'text-ok',
  Modify: 'text-warn',
  Remove: 'text-bad',
};

/** A change set's resource changes, replacements called out. */
export function ChangeTable({ changes, label }: { changes: readonly ResourceChangeSummary[]; label: string }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[36rem] text-left text-xs" aria-label={label}>
        <thead className="text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-3">Action</th>
            <th scope="col" className="py-1 pr-3">Logical ID</th>
            <th scope="col" className="py-1 pr-3">Type</th>
            <th scope="col" className="py-1 pr-3">Replacement</th>
            <th scope="col" className="py-1">What changes</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr key={`${change.action}/${change.logicalId}`} className={`border-t border-slate-100 ${change.replacement === 'True' ? 'bg-amber-50' : ''}`}>
              <td className={`py-1 pr-3 font-medium ${ACTION_STYLE[change.action] ?? ''}`}>{change.action}</td>
              <td className="py-1 pr-3 font-mono">{change.logicalId}</td>
              <td className="py-1 pr-3 font-mono">{change.resourceType}</td>
              <td className="py-1 pr-3">{change.replacement === 'True' ? <strong className="text-bad">Replaced</strong> : (change.replacement ?? '—')}</td>
              <td className="py-1">{[...(change.scope ?? []), ...(change.details ?? [])].join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
