import type { Metadata } from 'next';
import { PlanWorkspace } from '@/components/plan/plan-workspace';
import { requireUser } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { stackInfo } from '@/lib/plan';
import { lineMetas } from '@/templates';

export const metadata: Metadata = { title: 'Plan a deployment' };

export default async function PlanPage() {
  const user = await requireUser('viewer');
  return (
    <div className="grid gap-6">
      <header>
        <h1 className="text-2xl font-semibold">Plan a deployment</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          Describe the whole Lakerunner deployment once. The console checks every value, then gives you the templates, a
          bundle with <code>deploy.sh</code>, AWS CLI commands and AWS console links — in the order the stacks must be created.
          Your plan stays in this browser as you type.
        </p>
      </header>
      <PlanWorkspace lines={lineMetas()} info={stackInfo()} canDeploy={roleAtLeast(user.role, 'deployer')} />
    </div>
  );
}
