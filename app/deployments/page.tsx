import type { Metadata } from 'next';
import Link from 'next/link';
import { StatusBadge } from '@/components/deployments/status-badge';
import { requireUser } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { listDeployments } from '@/lib/store/deployments';
import { utcTime } from '@/components/ui/time';

export const metadata: Metadata = { title: 'Deployments' };

export default async function DeploymentsPage() {
  const user = await requireUser('viewer');
  const deployments = await listDeployments();
  return (
    <div className="grid gap-6">
      <header>
        <h1 className="text-2xl font-semibold">Deployments</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Plans the console deploys itself. Start one from the <Link href="/plan" className="text-brand-dark underline">plan page</Link> with
          “Deploy with the console”{roleAtLeast(user.role, 'deployer') && <>, or <Link href="/deployments/attach" className="text-brand-dark underline">attach stacks that already exist</Link></>}.
        </p>
      </header>
      {deployments.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-700">No deployments yet.</p>
      ) : (
        <ul className="grid gap-2">
          {deployments.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
              <Link href={`/deployments/${d.id}`} className="font-medium text-brand-dark underline">{d.name}</Link>
              <StatusBadge status={d.status} />
              <span className="text-sm text-slate-600">{d.region} · account {d.account ?? '—'} · updated {utcTime(d.updatedAt, 'minute')} UTC</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
