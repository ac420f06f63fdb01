// The preview of a run, before anything executes: a change set for every stack CloudFormation
// can evaluate now, the template's resources for stacks whose upstream stacks do not exist yet,
// and for a teardown the resources each delete removes (refused while another stack imports),
// after the change set that switches off what would block the delete (StackMeta.beforeDelete).
// Stacks a run recreates around a change are previewed, and the exports checked, in recreate.ts.
import 'server-only';
import { statefulReplacements } from '@/lib/cfn/stateful';
import { planStacks } from '@/lib/params/plan';
import { recordStackParameters, runStacks, updateRun } from '@/lib/store/runs';
import { claimStacks } from '@/lib/store/stack-owners';
import type { StackId } from '@/templates/stack';
import { createChangeSet, describeStack, importersOf, nestedRemovals, removals, waitForChangeSet, type StackState } from './cfn';
import { annotateTeardown, beforeDeleteChangeSet } from './teardown';
import { checkVersionFloors } from './version-floors';
import { describeCause, errorCause } from './root-cause';
import { checkExportsInUse, previewRecreate } from './recreate';
import { changeSetName, REFUSED, RunStopped, type RunEnv } from './run-env';
import { note, setRunStatus, setStackStatus } from './runtime';
import type { ScopedStack } from './scope';
import { isReadyStatus, prepareStack, renderChildrenOnly, renderOnly, titled, upstreamOutputs, wiredInputs } from './stack-inputs';

const NEEDS_RECOVERY = ['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'UPDATE_ROLLBACK_FAILED', 'DELETE_FAILED', 'CREATE_FAILED', 'UPDATE_FAILED'];

/** Checks the stack can be operated on now; returns its state (undefined when it does not exist). */
async function checkedState(env: RunEnv, scoped: ScopedStack): Promise<StackState | undefined> {
  const state = await describeStack(env.accessOf(scoped.stack.meta.id).context.cloudFormation, scoped.stack.stackName);
  if (!state || state.status === 'REVIEW_IN_PROGRESS' || state.status === 'DELETE_COMPLETE') return undefined;
  if (state.status.endsWith('_IN_PROGRESS'))
    throw new RunStopped(`${scoped.stack.stackName} is busy (${state.status}): another operation is running on it. Wait for it to finish, then start again.`);
  if (!scoped.delete && NEEDS_RECOVERY.includes(state.status))
    throw new RunStopped(`${scoped.stack.stackName} is in ${state.status} and cannot be updated: recover it first (see the recovery actions).`);
  return state;
}

async function previewDelete(env: RunEnv, scoped: ScopedStack, state: StackState | undefined, deleting: Set<string>) {
  const stack = { stackId: scoped.stack.meta.id, stackName: scoped.stack.stackName };
  if (!state) return await setStackStatus(env.run.id, stack, 'unchanged', { action: 'none', statusReason: 'The stack does not exist.' });
  const cf = env.accessOf(stack.stackId).context.cloudFormation;
  for (const exportName of state.exports) {
    const outside = (await importersOf(cf, exportName)).filter((name) => !deleting.has(name));
    if (outside.length > 0)
      throw new RunStopped(`${stack.stackName} cannot be deleted: ${outside.join(', ')} still import${outside.length === 1 ? 's' : ''} its export ${exportName}. Delete ${outside.length === 1 ? 'that stack' : 'those stacks'} first.`);
  }
  const switchOff = await beforeDeleteChangeSet(env, scoped, state);
  const removed = await annotateTeardown(env, scoped, state, await removals(cf, stack.stackName));
  const childChanges = titled(env.line, stack.stackId, await nestedRemovals(cf, removed));
  const changes = [...(switchOff?.changes ?? []), ...removed];
  await setStackStatus(env.run.id, stack, 'previewed', {
    action: 'delete',
    changes,
    ...(childChanges.length ? { childChanges } : {}),
    arn: state.arn,
    stackStatus: state.status,
    ...(switchOff ? { changeSetId: switchOff.id } : {}),
  });
}

export async function preview(env: RunEnv): Promise<void> {
  const known: Partial<Record<StackId, StackState>> = {};
  const deleting = new Set(env.scope.filter((s) => s.delete).map((s) => s.stack.stackName));
  const recreated = new Set((await runStacks(env.run.id)).filter((s) => s.action === 'recreate').map((s) => s.stackId));
  const fromTemplate: string[] = [];
  for (const scoped of env.scope) {
    const { meta, stackName } = scoped.stack;
    const stack = { stackId: meta.id, stackName };
    const access = env.accessOf(meta.id);
    const state = await checkedState(env, scoped);
    if (state) known[meta.id] = state;
    if (scoped.delete) {
      await previewDelete(env, scoped, state, deleting);
      continue;
    }
    if (recreated.has(meta.id)) {
      await previewRecreate(env, scoped, state);
      continue;
    }
    if (scoped.overrides && !state) {
      await setStackStatus(env.run.id, stack, 'unchanged', { action: 'none', statusReason: 'The stack is not deployed, so there is nothing to update.' });
      continue;
    }
    const upstream = await upstreamOutputs(env.accessOf, env.plan, scoped, known);
    if (!upstream.ready) {
      // CloudFormation cannot evaluate a stack whose imports do not exist yet: show what the template adds.
      const children = renderChildrenOnly(env.line, scoped, env.plan.region, env.secrets(meta.id));
      await setStackStatus(env.run.id, stack, 'previewed', {
        action: 'create',
        changes: renderOnly(env.line, scoped, env.plan.region, env.secrets(meta.id)),
        fromTemplate: true,
        ...(children.length ? { childChanges: children } : {}),
        inputs: wiredInputs(scoped.stack, env.plan, upstream.outputs),
      });
      fromTemplate.push(stackName);
      continue;
    }
    const prepared = await prepareStack({
      ...access,
      runId: env.run.id,
      plan: env.plan,
      line: env.line,
      scoped,
      existing: state,
      outputs: upstream.outputs,
      secrets: env.secrets(meta.id),
    });
    await recordStackParameters(env.run.id, meta.id, prepared.resolved.recorded);
    if (state) await checkVersionFloors(env, scoped, prepared.resolved.parameters);
    const type = state ? 'UPDATE' : 'CREATE';
    await env.beforeChange?.();
    // The change set creates the stack (under review): from now on it is this deployment's.
    if (!state) await claimStacks(env.run.deploymentId, access.account, access.context.region, [stackName]);
    const id = await createChangeSet(access.context.cloudFormation, {
      stackName,
      changeSetName: changeSetName(env.run.id, meta.id),
      type,
      template: prepared.template,
      parameters: prepared.resolved.parameters,
      capabilities: prepared.capabilities,
      clientToken: changeSetName(env.run.id, meta.id),
      description: `Lakerunner console run ${env.run.id} (${env.run.kind}) by ${env.run.startedBy}`,
      includeNestedStacks: prepared.nested,
    });
    const outcome = await waitForChangeSet(access.context.cloudFormation, id, stackName, env.pollMs, env.signal);
    const action = type === 'CREATE' ? 'create' : 'update';
    if (outcome.kind === 'failed') {
      const rootCause = await errorCause(access.context.cloudFormation, env.line, planStacks(env.plan, env.line.stacks), stack, outcome.reason);
      await updateRun(env.run.id, { rootCause });
      await setStackStatus(env.run.id, stack, 'failed', { action, changeSetId: id, statusReason: REFUSED });
      throw new RunStopped(describeCause(rootCause));
    }
    if (outcome.kind === 'unchanged') await setStackStatus(env.run.id, stack, 'unchanged', { action, changeSetId: id, statusReason: 'No changes.' });
    else {
      const risky = [...statefulReplacements(stackName, outcome.changes), ...outcome.children.flatMap((child) => statefulReplacements(`${stackName} › ${child.path}`, child.changes))];
      if (risky.length > 0)
        await note(env.run.id, 'warn', `${risky.map((r) => `${r.where}: the update replaces ${r.logicalId} (${r.resourceType}): ${r.loss}.`).join(' ')} Approve only if losing that is intended.`);
      await setStackStatus(env.run.id, stack, 'previewed', {
        action,
        changeSetId: id,
        changes: outcome.changes,
        ...(outcome.children.length ? { childChanges: titled(env.line, meta.id, outcome.children) } : {}),
        inputs: wiredInputs(scoped.stack, env.plan, upstream.outputs),
        ...(state ? { arn: state.arn } : {}),
      });
    }
    if (state && isReadyStatus(state.status)) known[meta.id] = state;
  }
  if (fromTemplate.length > 0)
    await note(env.run.id, 'info', `${fromTemplate.join(', ')}: their change sets are made once the stacks they depend on exist; the preview lists their templates' resources.`);
  if (env.scope.some((s) => !s.delete)) await checkExportsInUse(env, known);
  const stacks = await runStacks(env.run.id);
  const work = stacks.filter((s) => s.status === 'previewed').length;
  await setRunStatus(env.run.id, ['preparing'], 'awaiting-approval', work === 0 ? 'Nothing to change: every stack is up to date.' : `${work} stack${work === 1 ? '' : 's'} to change. Review and approve.`);
}
