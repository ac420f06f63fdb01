import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EstimateChange } from '@/components/cost/estimate-change';
import { StatusBadge } from '@/components/deployments/status-badge';
import { ApproveControls } from '@/components/runs/approve-controls';
import { ChangePreview } from '@/components/runs/change-preview';
import { ParameterDiff } from '@/components/runs/parameter-diff';
import { RecreatePlan } from '@/components/runs/recreate-plan';
import { Recovery } from '@/components/runs/recovery';
import { RunLive } from '@/components/runs/run-live';
import { requireUser } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { getConnection } from '@/lib/aws/connection';
import { accountSections } from '@/lib/params/accounts';
import { recreateLosses, type RecreatePlan as Recreate } from '@/lib/deploy/recreate';
import { operationGraph, type Operation } from '@/lib/deploy/scope';
import { env } from '@/lib/env';
import { secretFields } from '@/lib/plan/secret-fields';
import { lineOf } from '@/templates';
import { getDeployment } from '@/lib/store/deployments';
import { storedStackEvents } from '@/lib/store/run-events';
import { getRun, previousRun, runStacks } from '@/lib/store/runs';
import { utcTime } from '@/components/ui/time';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Run ${(await params).id}` };
}

export default async function RunPage({ params }: Props) {
  const user = await requireUser('viewer');
  const run = await getRun((await params).id);
  if (!run) notFound();
  const deployment = await getDeployment(run.deploymentId);
  if (!deployment) notFound();
  const stacks = await runStacks(run.id);
  const canOperate = roleAtLeast(user.role, 'deployer');
  const connection = await getConnection().catch(() => undefined);
  const timeScale = connection?.mode === 'sandbox' ? env().SANDBOX_TIME_SCALE : 1;
  const failedStack = stacks.find((s) => s.status === 'failed');
  const line = lineOf(deployment.plan);
  const outputs = Object.fromEntries(stacks.filter((s) => s.outputs).map((s) => [s.stackId, s.outputs!]));
  const points = run.status === 'succeeded' && run.kind !== 'teardown' ? line.accessPoints(outputs) : [];
  const recreate = (run.request as { recreate?: Recreate }).recreate;
  const recreated = stacks.filter((s) => s.action === 'recreate');
  // Which account each stack is in, when the plan spans several.
  const accounts = accountSections(deployment.plan, line.stacks, run.account);
  const accountOf = accounts && Object.fromEntries(accounts.flatMap((a) => a.stacks.map((id) => [id, a.label])));
  const nameOf = (id: string) => stacks.find((s) => s.stackId === id)?.stackName ?? deployment.plan.stackNames[id] ?? id;

  return (
    <div className="grid gap-6">
      <header>
        <p className="text-sm text-slate-500">
          <Link href={`/deployments/${deployment.id}`} className="hover:underline">{deployment.name}</Link> / run
        </p>
        <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
          <span className="font-mono">{run.id}</span> <StatusBadge status={run.status} />
        </h1>
        <p className="mt-1 text-sm text-slate-700">
          {run.kind} · started by {run.startedBy} {utcTime(run.createdAt)} UTC · account {run.account} · {run.region}
          {run.resumedFrom && <> · resumes <Link href={`/runs/${run.resumedFrom}`} className="font-mono underline">{run.resumedFrom}</Link></>}
        </p>
      </header>
      {recreate && recreated.length > 0 && (
        <RecreatePlan
          reasons={recreate.because.map((r) => ({ stackName: nameOf(r.stackId), change: r.change, exports: r.exports, importers: r.importers.map(nameOf) }))}
          stacks={stacks}
          losses={recreateLosses(line, recreated.map((s) => s.stackId))}
        />
      )}
      {run.status === 'awaiting-approval' && (
        <>
          <ChangePreview stacks={stacks} accounts={accounts} />
          {run.kind !== 'recover' && <EstimateChange plan={deployment.plan} operation={(run.request as { operation: Operation }).operation} stacks={stacks} />}
          {canOperate && (
            <ApproveControls
              runId={run.id}
              changes={stacks.filter((s) => s.status === 'previewed').length}
              confirmName={recreated.some((s) => s.status === 'previewed') ? deployment.name : undefined}
            />
          )}
        </>
      )}
      {run.status === 'failed' && (
        <Recovery
          deploymentId={deployment.id}
          account={run.account ?? ''}
          runId={run.id}
          rootCause={run.rootCause}
          error={run.error}
          failed={
            canOperate && failedStack && run.kind !== 'teardown'
              ? {
                  stackId: failedStack.stackId,
                  stackName: failedStack.stackName,
                  stackStatus: failedStack.stackStatus,
                  failedResources: [...new Set((await storedStackEvents(run.id, failedStack.stackName)).filter((e) => e.status === 'UPDATE_FAILED').map((e) => e.logicalId))],
                }
              : undefined
          }
          secretFields={canOperate && run.kind !== 'teardown' ? secretFields(deployment.plan) : []}
          sandbox={connection?.mode === 'sandbox'}
        />
      )}
      {points.length > 0 && (
        <p className="rounded-lg border border-green-200 bg-green-50 p-3 text-sm">
          Deployed. The access points ({line.accessSummary}) are on the <Link href={`/deployments/${deployment.id}`} className="text-brand-dark underline">deployment’s page</Link>.
        </p>
      )}
      <RunLive
        runId={run.id}
        status={run.status}
        stacks={stacks}
        deps={operationGraph(deployment.plan, line.stacks, stacks.map((s) => s.stackId), run.kind).deps}
        nested={Object.fromEntries(line.stacks.flatMap((s) => (s.children?.length ? [[s.id, s.children.map(({ logicalId, title }) => ({ logicalId, title }))]] : [])))}
        accounts={accountOf}
        timeScale={timeScale}
      />
      {run.kind !== 'teardown' && <ParameterDiff run={run} previous={await previousRun(deployment.id, run.createdAt)} />}
    </div>
  );
}
