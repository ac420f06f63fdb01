import Link from 'next/link';
import type { Run } from '@/lib/store/runs';
import { StatusBadge } from './status-badge';
import { utcTime } from '@/components/ui/time';

const KIND_LABEL: Record<Run['kind'], string> = {
  deploy: 'Deploy',
  'update-images': 'Update images',
  'upgrade-release': 'Upgrade release',
  'grafana-reset': 'Reset Grafana',
  'otlp-endpoint': 'OTLP endpoint',
  'update-sizes': 'Change sizes',
  'update-settings': 'Change settings',
  'add-addon': 'Add an add-on',
  'change-addon': 'Change an add-on',
  'remove-addon': 'Remove an add-on',
  teardown: 'Teardown',
  recover: 'Recover',
};

export function RunsList({ runs, deploymentNames }: { runs: readonly Run[]; deploymentNames?: Readonly<Record<string, string>> }) {
  if (runs.length === 0) return <p className="text-sm text-slate-600">No runs yet.</p>;
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">Run</th>
            {deploymentNames && <th scope="col" className="px-3 py-2">Deployment</th>}
            <th scope="col" className="px-3 py-2">What</th>
            <th scope="col" className="px-3 py-2">Who</th>
            <th scope="col" className="px-3 py-2">When (UTC)</th>
            <th scope="col" className="px-3 py-2">Where</th>
            <th scope="col" className="px-3 py-2">Result</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="border-b border-slate-100">
              <td className="px-3 py-2">
                <Link href={`/runs/${run.id}`} className="font-mono text-brand-dark underline">{run.id}</Link>
              </td>
              {deploymentNames && (
                <td className="px-3 py-2">
                  <Link href={`/deployments/${run.deploymentId}`} className="text-brand-dark underline">{deploymentNames[run.deploymentId] ?? run.deploymentId}</Link>
                </td>
              )}
              <td className="px-3 py-2">{KIND_LABEL[run.kind]}</td>
              <td className="px-3 py-2">{run.startedBy}</td>
              <td className="px-3 py-2 font-mono text-xs">{utcTime(run.createdAt)}</td>
              <td className="px-3 py-2 font-mono text-xs">{run.account ?? '—'} / {run.region}</td>
              <td className="px-3 py-2"><StatusBadge status={run.status} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
