import type { AuditEntry } from '@/lib/store/audit';
import { utcTime } from '@/components/ui/time';

function describe(details: AuditEntry['details']): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ');
}

export function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  if (entries.length === 0) return <p className="text-slate-600">Nothing has been recorded yet.</p>;
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Audit log, newest first</caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">When (UTC)</th>
            <th scope="col" className="px-3 py-2">Who</th>
            <th scope="col" className="px-3 py-2">Action</th>
            <th scope="col" className="px-3 py-2">Target</th>
            <th scope="col" className="px-3 py-2">Details</th>
            <th scope="col" className="px-3 py-2">From</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} className="border-t border-slate-200 align-top">
              <td className="px-3 py-2 whitespace-nowrap font-mono text-xs">{utcTime(entry.at)}</td>
              <td className="px-3 py-2">{entry.actor}</td>
              <td className="px-3 py-2 font-mono text-xs">{entry.action}</td>
              <td className="px-3 py-2">{entry.target ?? ''}</td>
              <td className="px-3 py-2 text-xs">{describe(entry.details)}</td>
              <td className="px-3 py-2 font-mono text-xs">{entry.client ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
