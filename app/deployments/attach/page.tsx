import type { Metadata } from 'next';
import Link from 'next/link';
import { AttachDiscovery } from '@/components/deployments/attach-discovery';
import { requireUser } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { getConnection } from '@/lib/aws/connection';
import { DEFAULT_REGION, REGIONS } from '@/lib/params/regions';

export const metadata: Metadata = { title: 'Attach existing stacks' };
export const dynamic = 'force-dynamic';

async function defaultRegion(): Promise<string> {
  try {
    const region = (await getConnection()).defaultRegion;
    return REGIONS.some((r) => r.code === region) ? region : DEFAULT_REGION;
  } catch {
    // No connection yet is reported by the discovery itself, with what to fix.
    return DEFAULT_REGION;
  }
}

export default async function AttachPage() {
  const user = await requireUser('viewer');
  return (
    <div className="grid gap-6">
      <header>
        <p className="text-sm text-slate-500">
          <Link href="/deployments" className="hover:underline">Deployments</Link>
        </p>
        <h1 className="text-2xl font-semibold">Attach existing stacks</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Finds the Lakerunner stacks already running in a region, whether launched from this console, the quick-create links or the original
          templates, and adopts them as a deployment. Nothing is redeployed: the console reads the stacks and their parameters, and secret values
          stay as they are.
        </p>
      </header>
      {roleAtLeast(user.role, 'deployer') ? (
        <AttachDiscovery regions={REGIONS.map((r) => ({ code: r.code, name: r.name }))} defaultRegion={await defaultRegion()} />
      ) : (
        <p className="max-w-3xl rounded border border-slate-300 bg-slate-50 px-3 py-2 text-sm">Attaching stacks needs the deployer role. Ask an admin for it.</p>
      )}
    </div>
  );
}
