import type { Metadata } from 'next';
import { RunsList } from '@/components/deployments/runs-list';
import { requireUser } from '@/lib/auth/current';
import { listDeployments } from '@/lib/store/deployments';
import { listRuns } from '@/lib/store/runs';

export const metadata: Metadata = { title: 'History' };

export default async function HistoryPage() {
  await requireUser('viewer');
  const runs = await listRuns({ limit: 200 });
  const names = Object.fromEntries((await listDeployments()).map((d) => [d.id, d.name]));
  return (
    <div className="grid gap-6">
      <header>
        <h1 className="text-2xl font-semibold">History</h1>
        <p className="mt-2 max-w-3xl text-slate-700">Every run the console made: who, when, where and how it ended. Open one to replay its events and compare its parameters with the run before.</p>
      </header>
      <RunsList runs={runs} deploymentNames={names} />
    </div>
  );
}
