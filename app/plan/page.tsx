import type { Metadata } from 'next';
import { connection as atRequestTime } from 'next/server';
import { PlanWorkspace } from '@/components/plan/plan-workspace';
import { requireUser } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { getConnection } from '@/lib/aws/connection';
import { stackInfo } from '@/lib/plan';
import { lineMetas } from '@/templates';

export const metadata: Metadata = { title: 'Plan a deployment' };

/** Whether this server deploys to its sandbox; a connection that cannot be set up is not the sandbox. */
async function inSandbox(): Promise<boolean> {
  await atRequestTime();
  return getConnection()
    .then((connection) => connection.mode === 'sandbox')
    .catch(() => false);
}

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
      <PlanWorkspace lines={lineMetas()} info={stackInfo()} canDeploy={roleAtLeast(user.role, 'deployer')} sandbox={await inSandbox()} />
    </div>
  );
}
