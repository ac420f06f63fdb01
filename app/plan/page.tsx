import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { connection as atRequestTime } from 'next/server';
import { toLineChoice } from '@/components/plan/line-cache';
import { PLAN_LINE_COOKIE } from '@/components/plan/plan-storage';
import { PlanWorkspace } from '@/components/plan/plan-workspace';
import { requireUser } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { getConnection } from '@/lib/aws/connection';
import { loadedLine } from '@/lib/plan';
import { DEFAULT_LINE_ID, isLineId, lineMetas } from '@/templates';

export const metadata: Metadata = { title: 'Plan a deployment' };

/** Whether this server deploys to its sandbox; a connection that cannot be set up is not the sandbox. */
async function inSandbox(): Promise<boolean> {
  await atRequestTime();
  return getConnection()
    .then((connection) => connection.mode === 'sandbox')
    .catch(() => false);
}

/**
 * The line the page comes with: the one of the plan this browser keeps (its cookie), else the one
 * new plans start on. The other lines' fields load when the plan needs them: sending every line's
 * would double what the page parses and hydrates before it responds.
 */
async function firstLine() {
  const kept = (await cookies()).get(PLAN_LINE_COOKIE)?.value;
  return loadedLine(isLineId(kept) ? kept : DEFAULT_LINE_ID);
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
      <PlanWorkspace lines={lineMetas().map(toLineChoice)} initial={await firstLine()} canDeploy={roleAtLeast(user.role, 'deployer')} sandbox={await inSandbox()} />
    </div>
  );
}
