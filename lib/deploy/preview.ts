// The preview of a run, before anything executes: a change set for every stack CloudFormation
// can evaluate now, the template's resources for stacks whose upstream stacks do not exist yet,
// and for a teardown the resources each delete removes (refused while another stack imports).
import 'server-only';
import { ListImportsCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import type { AwsContext } from '@/lib/aws/clients';
import { awsCall, RequestRejectedError } from '@/lib/aws/errors';
import { planStacks, type Plan } from '@/lib/params/plan';
import { recordStackParameters, runStacks, updateRun, type Run } from '@/lib/store/runs';
import { STACKS, stackById } from '@/templates';
import { renderTemplate, toMeta, type StackId } from '@/templates/stack';
import { createChangeSet, describeStack, waitForChangeSet, type StackState } from './cfn';
import { describeCause, errorCause } from './root-cause';
import { note, setRunStatus, setStackStatus } from './runtime';
import type { ScopedStack } from './scope';
import { isReadyStatus, prepareStack, upstreamOutputs } from './stack-inputs';
import type { ResourceChangeSummary } from './types';

export class RunStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunStopped';
  }
}

/** CloudFormation refused a stack's change set: nothing of the stack changed. */
export class ChangeSetRefused extends RunStopped {
  constructor(
    readonly stackName: string,
    readonly reason: string,
  ) {
    super(`CloudFormation refused the change set for ${stackName}: ${reason}`);
    this.name = 'ChangeSetRefused';
  }
}

export const REFUSED = 'CloudFormation refused the change set; the root cause says why.';

export const changeSetName = (runId: string, stackId: StackId, attempt = 'preview') => `lakerunner-${runId}-${stackId}-${attempt}`;

const METAS = STACKS.map(toMeta);

const NEEDS_RECOVERY = ['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'UPDATE_ROLLBACK_FAILED', 'DELETE_FAILED', 'CREATE_FAILED', 'UPDATE_FAILED'];

export interface RunEnv {
  run: Run;
  plan: Plan;
  scope: ScopedStack[];
  context: AwsContext;
  secrets: (stackId: StackId) => Record<string, string>;
  pollMs: number;
  signal?: AbortSignal;
}

/** Checks the stack can be operated on now; returns its state (undefined when it does not exist). */
async function checkedState(env: RunEnv, scoped: ScopedStack): Promise<StackState | undefined> {
  const state = await describeStack(env.context.cloudFormation, scoped.stack.stackName);
  if (!state || state.status === 'REVIEW_IN_PROGRESS' || state.status === 'DELETE_COMPLETE') return undefined;
  if (state.status.endsWith('_IN_PROGRESS'))
    throw new RunStopped(`${scoped.stack.stackName} is busy (${state.status}): another operation is running on it. Wait for it to finish, then start again.`);
  if (env.run.kind !== 'teardown' && NEEDS_RECOVERY.includes(state.status))
    throw new RunStopped(`${scoped.stack.stackName} is in ${state.status} and cannot be updated: recover it first (see the recovery actions).`);
  return state;
}

async function importersOf(env: RunEnv, exportName: string): Promise<string[]> {
  try {
    const result = await awsCall('ListImports', () => env.context.cloudFormation.send(new ListImportsCommand({ ExportName: exportName })));
    return result.Imports ?? [];
  } catch (error) {
    if (error instanceof RequestRejectedError && /not imported by any stack/i.test(error.message)) return [];
    throw error;
  }
}

async function previewDelete(env: RunEnv, scoped: ScopedStack, state: StackState | undefined, deleting: Set<string>) {
  const stack = { stackId: scoped.stack.meta.id, stackName: scoped.stack.stackName };
  if (!state) return await setStackStatus(env.run.id, stack, 'unchanged', { action: 'none', statusReason: 'The stack does not exist.' });
  for (const exportName of state.exports) {
    const outside = (await importersOf(env, exportName)).filter((name) => !deleting.has(name));
    if (outside.length > 0)
      throw new RunStopped(`${stack.stackName} cannot be deleted: ${outside.join(', ')} still import${outside.length === 1 ? 's' : ''} its export ${exportName}. Delete ${outside.length === 1 ? 'that stack' : 'those stacks'} first.`);
  }
  const resources = await awsCall('ListStackResources', () => env.context.cloudFormation.send(new ListStackResourcesCommand({ StackName: stack.stackName })));
  const changes: ResourceChangeSummary[] = (resources.StackResourceSummaries ?? []).map((r) => ({
    action: 'Remove',
    logicalId: r.LogicalResourceId ?? '',
    physicalId: r.PhysicalResourceId,
    resourceType: r.ResourceType ?? '',
  }));
  await setStackStatus(env.run.id, stack, 'previewed', { action: 'delete', changes, arn: state.arn, stackStatus: state.status });
}

export async function preview(env: RunEnv): Promise<void> {
  const known: Partial<Record<StackId, StackState>> = {};
  const deleting = new Set(env.scope.map((s) => s.stack.stackName));
  const fromTemplate: string[] = [];
  for (const scoped of env.scope) {
    const { meta, stackName } = scoped.stack;
    const stack = { stackId: meta.id, stackName };
    const state = await checkedState(env, scoped);
    if (state) known[meta.id] = state;
    if (env.run.kind === 'teardown') {
      await previewDelete(env, scoped, state, deleting);
      continue;
    }
    if (scoped.overrides && !state) {
      await setStackStatus(env.run.id, stack, 'unchanged', { action: 'none', statusReason: 'The stack is not deployed, so there is nothing to update.' });
      continue;
    }
    const upstream = await upstreamOutputs(env.context, env.plan, scoped, known);
    if (!upstream.ready) {
      // CloudFormation cannot evaluate a stack whose imports do not exist yet: show what the template adds.
      const prepared = renderOnly(scoped);
      await setStackStatus(env.run.id, stack, 'previewed', { action: 'create', changes: prepared, fromTemplate: true });
      fromTemplate.push(stackName);
      continue;
    }
    const prepared = await prepareStack({
      context: env.context,
      account: env.run.account ?? '',
      runId: env.run.id,
      plan: env.plan,
      scoped,
      existing: state,
      outputs: upstream.outputs,
      secrets: env.secrets(meta.id),
    });
    await recordStackParameters(env.run.id, meta.id, prepared.resolved.recorded);
    const type = state ? 'UPDATE' : 'CREATE';
    const id = await createChangeSet(env.context.cloudFormation, {
      stackName,
      changeSetName: changeSetName(env.run.id, meta.id),
      type,
      template: prepared.template,
      parameters: prepared.resolved.parameters,
      capabilities: prepared.capabilities,
      clientToken: changeSetName(env.run.id, meta.id),
      description: `Lakerunner console run ${env.run.id} (${env.run.kind}) by ${env.run.startedBy}`,
    });
    const outcome = await waitForChangeSet(env.context.cloudFormation, id, stackName, env.pollMs, env.signal);
    const action = type === 'CREATE' ? 'create' : 'update';
    if (outcome.kind === 'failed') {
      const rootCause = await errorCause(env.context.cloudFormation, planStacks(env.plan, METAS), stack, outcome.reason);
      await updateRun(env.run.id, { rootCause });
      await setStackStatus(env.run.id, stack, 'failed', { action, changeSetId: id, statusReason: REFUSED });
      throw new RunStopped(describeCause(rootCause));
    }
    if (outcome.kind === 'unchanged') await setStackStatus(env.run.id, stack, 'unchanged', { action, changeSetId: id, statusReason: 'No changes.' });
    else await setStackStatus(env.run.id, stack, 'previewed', { action, changeSetId: id, changes: outcome.changes, ...(state ? { arn: state.arn } : {}) });
    if (state && isReadyStatus(state.status)) known[meta.id] = state;
  }
  if (fromTemplate.length > 0)
    await note(env.run.id, 'info', `${fromTemplate.join(', ')}: their change sets are made once the stacks they depend on exist; the preview lists their templates' resources.`);
  const stacks = await runStacks(env.run.id);
  const work = stacks.filter((s) => s.status === 'previewed').length;
  await setRunStatus(env.run.id, 'awaiting-approval', work === 0 ? 'Nothing to change: every stack is up to date.' : `${work} stack${work === 1 ? '' : 's'} to change. Review and approve.`);
}

function renderOnly(scoped: ScopedStack): ResourceChangeSummary[] {
  const template = renderTemplate(stackById(scoped.stack.meta.id), scoped.stack.values);
  return Object.entries(template.Resources).map(([logicalId, r]) => ({ action: 'Add', logicalId, resourceType: r.Type }));
}
