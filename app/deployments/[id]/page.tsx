import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeployedEstimate } from '@/components/cost/deployed-estimate';
import { AccessPoints } from '@/components/deployments/access-points';
import { DeploymentActions } from '@/components/deployments/deployment-actions';
import { ManualSteps } from '@/components/deployments/manual-steps';
import { RunsList } from '@/components/deployments/runs-list';
import { StacksTable } from '@/components/deployments/stacks-table';
import { StatusBadge } from '@/components/deployments/status-badge';
import { requireUser } from '@/lib/auth/current';
import { roleAtLeast } from '@/lib/auth/roles';
import { getConnection } from '@/lib/aws/connection';
import { deploymentOverview } from '@/lib/deploy/overview';
import { includedIn, isIncluded } from '@/lib/params/plan';
import { sizeParams } from '@/lib/params/sizes';
import { suggestedStackName } from '@/lib/params/stack-names';
import { secretFields } from '@/lib/plan/secret-fields';
import { settingFields } from '@/lib/plan/settings';
import { newerReleases, runningVersion } from '@/lib/releases/known';
import { upgradeChanges, upgradeOperation } from '@/lib/releases/upgrade';
import { stepsDone } from '@/lib/store/deployment-steps';
import { getDeployment } from '@/lib/store/deployments';
import { listRuns } from '@/lib/store/runs';
import { lineOf } from '@/templates';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await getDeployment((await params).id))?.name ?? 'Deployment' };
}

export default async function DeploymentPage({ params }: Props) {
  const user = await requireUser('viewer');
  const deployment = await getDeployment((await params).id);
  if (!deployment) notFound();
  const overview = await deploymentOverview(deployment, user.username);
  const runs = await listRuns({ deploymentId: deployment.id, limit: 50 });
  const { plan } = deployment;
  const line = lineOf(plan);
  const included = includedIn(plan, line.stacks);
  const { images, otlpEndpoint, grafanaReset, teardownNote } = line.operations;

  const running = runningVersion(plan);
  const release = line.releases && {
    running,
    newer: newerReleases(plan).map((m) => ({ version: m.version, date: m.date, notes: m.notes, changes: upgradeChanges(plan, line, upgradeOperation(line, m)) })),
  };

  return (
    <div className="grid gap-6">
      <header>
        <p className="text-sm text-slate-500">
          <Link href="/deployments" className="hover:underline">Deployments</Link>
        </p>
        <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
          {deployment.name} <StatusBadge status={deployment.status} />
        </h1>
        <p className="mt-1 text-sm text-slate-700">
          {deployment.region}{running ? <> · release {running}</> : null} · account {deployment.account ?? 'not checked yet'} · {deployment.roleArn ? <>assumes <code>{deployment.roleArn}</code></> : 'the console’s own credentials'} · created by {deployment.createdBy}
        </p>
        {(line.accountGroups ?? []).map((group) => {
          const target = plan.accounts?.[group.id];
          if (!target) return null;
          const stems = line.stacks.filter((s) => s.accountGroup === group.id && isIncluded(plan, s)).map((s) => plan.stackNames[s.id] ?? s.stem);
          return (
            <p key={group.id} className="mt-1 text-sm text-slate-700" data-testid={`other-account-${group.id}`}>
              {stems.join(', ')} in account {target.accountId} · {target.region} · assumes <code className="break-all">{target.roleArn}</code>
            </p>
          );
        })}
        {(plan.imageRegistry?.trim() || plan.childTemplatesUrl?.trim()) && (
          <p className="mt-1 break-all text-sm text-slate-700" data-testid="air-gapped">
            {plan.imageRegistry?.trim() && <>Images pulled under <code>{plan.imageRegistry.trim()}</code>. </>}
            {plan.childTemplatesUrl?.trim() && <>Nested templates read from <code>{plan.childTemplatesUrl.trim()}</code>.</>}
          </p>
        )}
      </header>
      <AccessPoints points={overview.accessPoints} deploymentId={deployment.id} canReveal={roleAtLeast(user.role, 'deployer')} />
      <ManualSteps deploymentId={deployment.id} steps={overview.manualSteps} done={await stepsDone(deployment.id)} canCheck={roleAtLeast(user.role, 'deployer')} />
      <StacksTable overview={overview} />
      <DeployedEstimate deployment={deployment} overview={overview} />
      {roleAtLeast(user.role, 'deployer') && (
        <DeploymentActions
          roleArn={deployment.roleArn}
          hasExternalId={Boolean(deployment.externalId)}
          isAdmin={user.role === 'admin'}
          sandbox={await getConnection().then((c) => c.mode === 'sandbox').catch(() => false)}
          context={{
            deploymentId: deployment.id,
            name: deployment.name,
            grafanaReset: grafanaReset !== undefined && included(grafanaReset.stack),
            images: Object.fromEntries(images.filter((i) => included(i.stack)).flatMap(({ stack, keys }) => keys.map((key) => [key, plan.params[stack]?.[key] ?? '']))),
            otelEndpoint: otlpEndpoint && included(otlpEndpoint.stack) ? (plan.params[otlpEndpoint.stack]?.[otlpEndpoint.parameter] ?? '') : undefined,
            teardownNote,
            secretFields: secretFields(plan),
            ...(line.operations.teardown?.secretsNote && line.operations.teardown.retainedSecrets?.length ? { teardownSecretsNote: line.operations.teardown.secretsNote } : {}),
            settings: settingFields(plan),
            exposure: line.exposure,
            sizes: sizeParams(line.stacks).filter((p) => included(p.stackId)).map((p) => ({ ...p, current: plan.params[p.stackId]?.[p.key] || p.production })),
            sizeHelp: line.sizes.help,
            release,
            addons: (line.operations.addons ?? []).map((addon) => {
              const meta = line.stacks.find((s) => s.id === addon.stack);
              return {
                stack: addon.stack,
                title: addon.title,
                summary: addon.summary,
                present: plan.include[addon.stack] === true,
                // the name its stack has, or (not yet added) the one it would take: the plan's own when it was named, else in the deployment's pattern
                stackName:
                  plan.include[addon.stack] === true || (meta && plan.stackNames[addon.stack] && plan.stackNames[addon.stack] !== meta.stem)
                    ? (plan.stackNames[addon.stack] ?? meta?.stem ?? addon.stack)
                    : suggestedStackName(plan, line.stacks, addon.stack, line.stacks.filter((m) => m.id !== addon.stack && included(m.id)).map((m) => m.id)),
                settings: addon.settings.flatMap(({ key }) => {
                  const spec = meta?.parameters.find((p) => p.key === key);
                  return spec ? [{ key, label: spec.label, description: spec.description, value: plan.params[addon.stack]?.[key] ?? spec.default ?? '' }] : [];
                }),
              };
            }),
          }}
        />
      )}
      <section aria-labelledby="runs-heading" className="grid gap-2">
        <h2 id="runs-heading" className="text-xl font-semibold">Runs</h2>
        <RunsList runs={runs} />
      </section>
    </div>
  );
}
