// Executes an approved run as fast as the stack graph allows: each stack starts once the stacks it
// depends on have completed, up to `maxParallel` at once (a teardown walks the graph backwards).
// Per stack: the previewed change set (or a fresh one when its inputs changed since), then
// DescribeStacks until a terminal status. After a failure nothing new starts, the running stacks
// are followed to their end and the stacks never started are marked so. Safe to call again after
// a console restart: finished stacks are skipped and every stack mid-operation is waited for.
// A run that recreates stacks around a change runs in phases (lib/deploy/recreate.ts).
import 'server-only';
import {
  ContinueUpdateRollbackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { awsCall } from '@/lib/aws/errors';
import { atMost } from '@/lib/pause';
import { planStacks } from '@/lib/params/plan';
import { isLeaseLost } from '@/lib/store/fence';
import { getRun, recordStackParameters, runStacks, updateRun } from '@/lib/store/runs';
import { claimStacks } from '@/lib/store/stack-owners';
import type { StackId } from '@/templates/stack';
import { createChangeSet, describeStack, waitForChangeSet, waitForStack, type StackState } from './cfn';
import { ChangeSetRefused, changeSetName, NotDriving, REFUSED, RunStopped, type ExecuteOptions, type RunEnv } from './run-env';
import { executeInPhases, recreateStep, type Phase } from './recreate';
import { BEFORE_DELETE, bucketsToEmpty, emptyBucket, forceDeleteSecret, forcesSecretDeletion, retainedSecrets } from './teardown';
import { describeCause, errorCause, failureCause } from './root-cause';
import { emit, note, setStackStatus } from './runtime';
import { runGraph, type ScheduleOutcome } from './schedule';
import { deletes, operationGraph, type ScopedStack } from './scope';
import { definitionOf, isReadyStatus, prepareStack, titled, upstreamOutputs, wiredInputs } from './stack-inputs';
import type { RootCause, RunStackView } from './types';
import { watchStack } from './watcher';

/** A stack that failed; its root cause says why. */
export class StackFailed extends RunStopped {
  constructor(readonly rootCause: RootCause) {
    super(describeCause(rootCause));
    this.name = 'StackFailed';
  }
}

const clientToken = (runId: string, stackId: StackId, step: string) => `${runId}-${stackId}-${step}`.slice(0, 128);

/**
 * How long a settled stack's watcher may still take to store its last events: two of its longest
 * throttling back-offs (60 s each). The wait ends as soon as the watcher has stored the terminal event.
 */
const CATCH_UP_MS = 2 * 60_000;

/** Waits for the stack, with a watcher feeding its events to the run's stream meanwhile. */
export async function follow(env: RunEnv, stack: RunStackView, since: Date, options: ExecuteOptions, stackArn?: string): Promise<StackState> {
  const watcher = watchStack({
    runId: env.run.id,
    stackId: stack.stackId,
    stackName: stack.stackName,
    stackArn,
    cloudFormation: env.accessOf(stack.stackId).context.cloudFormation,
    since: new Date(since.getTime() - 1000),
    pollMs: env.pollMs,
    signal: env.signal,
    children: definitionOf(env.line, stack.stackId).children,
  });
  let settled = false;
  try {
    const state = await waitForStack(env.accessOf(stack.stackId).context.cloudFormation, stack.stackName, {
      pollMs: env.pollMs,
      timeoutMs: options.timeoutMs,
      signal: env.signal,
      onStatus: (state) => setStackStatus(env.run.id, stack, 'in-progress', { stackStatus: state.status, statusReason: state.reason }),
    });
    settled = true;
    return state;
  } finally {
    // Once the stack has settled, the watcher stops by itself after storing the terminal event.
    // Throttling can hold it back in its back-off for a long while; stopping it early would drop
    // the stack's events from the run.
    await atMost(watcher.done, settled ? CATCH_UP_MS : env.pollMs * 3);
    watcher.stop();
  }
}

export async function fail(env: RunEnv, stack: RunStackView, state: StackState, since: Date): Promise<never> {
  const rootCause = await failureCause(env.accessOf(stack.stackId).context.cloudFormation, env.line.rootCauseHints, stack, state, new Date(since.getTime() - 1000), definitionOf(env.line, stack.stackId).children);
  await setStackStatus(env.run.id, stack, 'failed', { stackStatus: state.status, statusReason: state.reason ?? rootCause.reason, finishedAt: new Date().toISOString() });
  throw new StackFailed(rootCause);
}

export async function succeeded(env: RunEnv, stack: RunStackView, state: StackState) {
  await setStackStatus(env.run.id, stack, 'complete', { stackStatus: state.status, outputs: state.outputs, arn: state.arn, finishedAt: new Date().toISOString() });
}

/** Runs one change set to the end: creates it if needed, executes it, waits. */
export async function applyChangeSet(env: RunEnv, scoped: ScopedStack, stack: RunStackView, options: ExecuteOptions, attempt: string, overrides?: Record<string, string>) {
  const cf = env.accessOf(stack.stackId).context.cloudFormation;
  let changeSetId = attempt === 'preview' ? stack.changeSetId : undefined;
  const existing = await describeStack(cf, stack.stackName);
  const exists = existing && existing.status !== 'REVIEW_IN_PROGRESS';
  if (!changeSetId || stack.changes === undefined || stack.changesFromTemplate) {
    const upstream = await upstreamOutputs(env.accessOf, env.plan, scoped, {});
    if (!upstream.ready) throw new RunStopped(`${stack.stackName} cannot start: a stack it depends on is not deployed.`);
    const prepared = await prepareStack({
      ...env.accessOf(stack.stackId),
      runId: env.run.id,
      plan: env.plan,
      line: env.line,
      scoped: overrides ? { ...scoped, overrides } : scoped,
      existing: exists ? existing : undefined,
      outputs: upstream.outputs,
      secrets: env.secrets(stack.stackId),
    });
    await recordStackParameters(env.run.id, stack.stackId, prepared.resolved.recorded);
    const name = changeSetName(env.run.id, stack.stackId, attempt);
    await env.beforeChange?.();
    // A change set that creates the stack makes it this deployment's.
    if (!exists) await claimStacks(env.run.deploymentId, env.accessOf(stack.stackId).account, env.accessOf(stack.stackId).context.region, [stack.stackName]);
    changeSetId = await createChangeSet(cf, {
      stackName: stack.stackName,
      changeSetName: name,
      type: exists ? 'UPDATE' : 'CREATE',
      template: prepared.template,
      parameters: prepared.resolved.parameters,
      capabilities: prepared.capabilities,
      clientToken: name,
      description: `Lakerunner console run ${env.run.id} (${env.run.kind}) by ${env.run.startedBy}`,
      includeNestedStacks: prepared.nested,
    });
    const outcome = await waitForChangeSet(cf, changeSetId, stack.stackName, env.pollMs, env.signal);
    if (outcome.kind === 'unchanged') {
      await setStackStatus(env.run.id, stack, 'skipped', { statusReason: 'No changes.', changeSetId, ...(existing ? { outputs: existing.outputs, arn: existing.arn } : {}) });
      return;
    }
    if (outcome.kind === 'failed') throw new ChangeSetRefused(stack.stackName, outcome.reason);
    await setStackStatus(env.run.id, stack, 'in-progress', {
      changeSetId,
      changes: outcome.changes,
      ...(outcome.children.length ? { childChanges: titled(env.line, stack.stackId, outcome.children) } : {}),
      inputs: wiredInputs(scoped.stack, env.plan, upstream.outputs),
    });
  }
  const since = new Date();
  // A recreated stack's part began with its delete.
  const keepStart = stack.action === 'recreate' && stack.startedAt;
  await setStackStatus(env.run.id, stack, 'in-progress', { ...(keepStart ? {} : { startedAt: since.toISOString() }), changeSetId });
  await env.beforeChange?.();
  await awsCall('ExecuteChangeSet', () =>
    cf.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId, StackName: stack.stackName, ClientRequestToken: clientToken(env.run.id, stack.stackId, attempt) })),
  );
  const state = await follow(env, stack, since, options);
  if (!isReadyStatus(state.status) || state.status === 'UPDATE_ROLLBACK_COMPLETE') await fail(env, stack, state, since);
  await succeeded(env, stack, state);
}

/** After a restart: the stack was mid-operation; wait for it instead of starting again. */
export async function resumeStack(env: RunEnv, stack: RunStackView, options: ExecuteOptions): Promise<'done' | 'not-started'> {
  const deleting = deletes(env.scope, stack.stackId);
  if (stack.changeSetId && !deleting && env.run.kind !== 'recover') {
    const changeSet = await awsCall('DescribeChangeSet', () =>
      env.accessOf(stack.stackId).context.cloudFormation.send(new DescribeChangeSetCommand({ ChangeSetName: stack.changeSetId, StackName: stack.stackName })),
    ).catch(() => undefined);
    if (changeSet?.ExecutionStatus === 'AVAILABLE') return 'not-started';
  }
  await note(env.run.id, 'info', `Following ${stack.stackName} again after the console restarted.`);
  const since = stack.startedAt ? new Date(stack.startedAt) : new Date();
  const state = await follow(env, stack, since, options);
  // Stopped after a teardown's switch-off change set and before its delete: the delete is still to do.
  if (deleting && stack.changeSetId && state.status === 'UPDATE_COMPLETE') return 'not-started';
  const ok = deleting ? state.status === 'DELETE_COMPLETE' : isReadyStatus(state.status) && state.status !== 'UPDATE_ROLLBACK_COMPLETE';
  const recovered = env.run.kind === 'recover' && /ROLLBACK_COMPLETE$|DELETE_COMPLETE/.test(state.status);
  if (!ok && !recovered) await fail(env, stack, state, since);
  await succeeded(env, stack, state);
  return 'done';
}

/** Deletes the stack; it ends `complete`, or `waiting` when the run creates it again later. */
export async function deleteStack(
  env: RunEnv,
  stack: RunStackView,
  options: ExecuteOptions,
  retain: string[] = [],
  then: { waiting: string } | undefined = undefined,
  startedAt: Date | undefined = undefined,
) {
  const since = new Date();
  const cf = env.accessOf(stack.stackId).context.cloudFormation;
  await setStackStatus(env.run.id, stack, 'in-progress', { startedAt: (startedAt ?? since).toISOString() });
  // Its events are followed by its ARN: a delete can end before their first poll, and by then its name finds nothing.
  const arn = (await describeStack(cf, stack.stackName))?.arn || undefined;
  await env.beforeChange?.();
  await awsCall('DeleteStack', () =>
    cf.send(new DeleteStackCommand({ StackName: stack.stackName, ClientRequestToken: clientToken(env.run.id, stack.stackId, 'delete'), ...(retain.length ? { RetainResources: retain } : {}) })),
  );
  const state = await follow(env, stack, since, options, arn);
  if (state.status !== 'DELETE_COMPLETE') await fail(env, stack, state, since);
  if (then) await setStackStatus(env.run.id, stack, 'waiting', { stackStatus: 'DELETE_COMPLETE', statusReason: then.waiting });
  else await setStackStatus(env.run.id, stack, 'complete', { stackStatus: 'DELETE_COMPLETE', finishedAt: new Date().toISOString() });
}

/**
 * A teardown's stack: the approved change set that switches off what would block the delete
 * (when the preview made one; see teardown.ts), then the delete. Safe to resume at either step.
 */
async function teardownStack(env: RunEnv, scoped: ScopedStack, stack: RunStackView, options: ExecuteOptions) {
  if (!stack.changeSetId) return deleteWithExtras(env, scoped, stack, options);
  const cf = env.accessOf(stack.stackId).context.cloudFormation;
  const since = new Date();
  const changeSet = await awsCall('DescribeChangeSet', () => cf.send(new DescribeChangeSetCommand({ ChangeSetName: stack.changeSetId, StackName: stack.stackName })));
  if (changeSet.ExecutionStatus !== 'EXECUTE_COMPLETE') {
    await setStackStatus(env.run.id, stack, 'in-progress', { startedAt: since.toISOString() });
    if (changeSet.ExecutionStatus === 'AVAILABLE')
      await awsCall('ExecuteChangeSet', () =>
        cf.send(new ExecuteChangeSetCommand({ ChangeSetName: stack.changeSetId, StackName: stack.stackName, ClientRequestToken: clientToken(env.run.id, stack.stackId, BEFORE_DELETE) })),
      );
    const state = await follow(env, stack, since, options);
    if (state.status !== 'UPDATE_COMPLETE') await fail(env, stack, state, since);
  }
  return deleteWithExtras(env, scoped, stack, options, stack.startedAt ? new Date(stack.startedAt) : since);
}

/**
 * The delete with the line's teardown steps around it (teardown.ts): its buckets emptied just
 * before, its retained secrets force-deleted after when the teardown asked for that.
 */
async function deleteWithExtras(env: RunEnv, scoped: ScopedStack, stack: RunStackView, options: ExecuteOptions, startedAt?: Date) {
  const own = env.accessOf(stack.stackId).context;
  const state = await describeStack(own.cloudFormation, stack.stackName);
  const buckets = bucketsToEmpty(env, scoped, state);
  const began = startedAt ?? new Date();
  if (buckets.length) await setStackStatus(env.run.id, stack, 'in-progress', { startedAt: began.toISOString() });
  for (const bucket of buckets) {
    await env.beforeChange?.();
    const deleted = await emptyBucket(own, bucket.name, env.signal);
    await note(env.run.id, 'info', `${stack.stackName}: emptied the ${bucket.label} ${bucket.name} (${deleted.toLocaleString('en-US')} object${deleted === 1 ? '' : 's'} deleted) before its delete.`);
  }
  await deleteStack(env, stack, options, [], undefined, began);
  if (!forcesSecretDeletion(env)) return;
  const secrets = retainedSecrets(env, scoped, state);
  for (const name of secrets) {
    await env.beforeChange?.();
    const deleted = await forceDeleteSecret(own, name);
    await note(env.run.id, 'info', deleted ? `${stack.stackName}: force-deleted the retained secret ${name} (no recovery window).` : `${stack.stackName}: the retained secret ${name} was already gone.`);
  }
}

async function recoverStack(env: RunEnv, stack: RunStackView, options: ExecuteOptions) {
  const state = await describeStack(env.accessOf(stack.stackId).context.cloudFormation, stack.stackName);
  if (!state) return await setStackStatus(env.run.id, stack, 'complete', { stackStatus: 'DELETE_COMPLETE', statusReason: 'The stack no longer exists.' });
  if (state.status === 'UPDATE_ROLLBACK_FAILED') {
    const since = new Date();
    await setStackStatus(env.run.id, stack, 'in-progress', { startedAt: since.toISOString(), stackStatus: state.status });
    await env.beforeChange?.();
    await awsCall('ContinueUpdateRollback', () =>
      env.accessOf(stack.stackId).context.cloudFormation.send(
        new ContinueUpdateRollbackCommand({
          StackName: stack.stackName,
          ClientRequestToken: clientToken(env.run.id, stack.stackId, 'continue'),
          ...(options.recovery?.skipResources.length ? { ResourcesToSkip: options.recovery.skipResources } : {}),
        }),
      ),
    );
    const after = await follow(env, stack, since, options);
    if (after.status !== 'UPDATE_ROLLBACK_COMPLETE') await fail(env, stack, after, since);
    return await succeeded(env, stack, after);
  }
  // A failed create (ROLLBACK_COMPLETE) can only be deleted and created again.
  return deleteStack(env, stack, options);
}

/** One stack's part of the run, by the run's kind (and phase); throws when the stack fails. */
async function runStack(env: RunEnv, id: StackId, options: ExecuteOptions, phase?: Phase): Promise<void> {
  const stack = (await runStacks(env.run.id)).find((s) => s.stackId === id);
  if (!stack || stack.status === 'complete' || stack.status === 'skipped') return;
  if (stack.status === 'unchanged') return await setStackStatus(env.run.id, stack, 'skipped', { statusReason: stack.statusReason ?? 'No changes.' });
  const scoped = env.scope.find((s) => s.stack.meta.id === id);
  if (!scoped) throw new RunStopped(`${stack.stackName} is no longer part of the plan.`);
  if (stack.action === 'recreate') return recreateStep(env, scoped, stack, options, phase ?? 'create', { follow, fail, succeeded, applyChangeSet, resumeStack, deleteStack });
  if (stack.status === 'in-progress' && (await resumeStack(env, stack, options)) === 'done') return;
  if (env.run.kind === 'recover') return recoverStack(env, stack, options);
  if (scoped.delete) return teardownStack(env, scoped, stack, options);
  await applyChangeSet(env, scoped, stack, options, 'preview');
  if (options.followUp && (await getRun(env.run.id))?.status === 'running') {
    await emit(env.run.id, { type: 'note', level: 'info', message: `${stack.stackName}: applied; now setting ${Object.keys(options.followUp).join(', ')} back.` });
    const fresh = (await runStacks(env.run.id)).find((s) => s.stackId === id)!;
    await applyChangeSet(env, scoped, fresh, options, 'follow-up', options.followUp);
  }
}

/**
 * Runs the stack and, when it fails in any way (a refused change set, an AWS error, a timeout),
 * leaves it `failed` with the root cause: a stack never stays in progress once its part is over.
 */
async function stackJob(env: RunEnv, id: StackId, options: ExecuteOptions, phase?: Phase): Promise<void> {
  try {
    await runStack(env, id, options, phase);
  } catch (error) {
    // Stopped from outside (shutdown, lease lost): the stack is as CloudFormation has it; whoever
    // drives the run next follows it.
    if (error instanceof StackFailed || error instanceof NotDriving || isLeaseLost(error) || env.signal?.aborted) throw error;
    const stack = (await runStacks(env.run.id)).find((s) => s.stackId === id)!;
    const refused = error instanceof ChangeSetRefused;
    const reason = refused ? error.reason : error instanceof Error ? error.message : String(error);
    const rootCause = await errorCause(env.accessOf(stack.stackId).context.cloudFormation, env.line, planStacks(env.plan, env.line.stacks), stack, reason, refused ? 'CHANGE_SET_FAILED' : (stack.stackStatus ?? 'ERROR'));
    if (stack.status !== 'failed') await setStackStatus(env.run.id, stack, 'failed', { statusReason: refused ? REFUSED : reason, finishedAt: new Date().toISOString() });
    throw new StackFailed(rootCause);
  }
}

export async function execute(env: RunEnv, options: ExecuteOptions): Promise<void> {
  const rows = await runStacks(env.run.id);
  if (rows.some((s) => s.action === 'recreate'))
    return settle(env, await executeInPhases(env, rows, { maxParallel: options.maxParallel, job: (id, phase) => stackJob(env, id, options, phase) }));
  const before = new Map(rows.map((s) => [s.stackId, s.status]));
  const graph = operationGraph(env.plan, env.line.stacks, [...before.keys()], env.run.kind);
  const outcome = await runGraph(graph, {
    maxParallel: options.maxParallel,
    isDone: (id) => before.get(id) === 'complete' || before.get(id) === 'skipped',
    halted: () => env.signal?.aborted ?? false,
    run: (id) => stackJob(env, id, options),
  });
  return settle(env, outcome);
}

/** After the graph ran: nothing to do when every stack succeeded, else the root cause and the stacks never started. */
async function settle(env: RunEnv, outcome: ScheduleOutcome): Promise<void> {
  if (env.signal?.aborted) throw new RunStopped('The run was stopped.');
  const first = outcome.failures[0];
  if (!first) return;
  const rootCause = (first.error as StackFailed).rootCause;
  await updateRun(env.run.id, { rootCause });
  const stacks = await runStacks(env.run.id);
  const others = outcome.failures.slice(1).map((f) => stacks.find((s) => s.stackId === f.id)?.stackName);
  if (others.length > 0) await note(env.run.id, 'warn', `Also failed while running alongside it: ${others.join(', ')}.`);
  for (const stack of stacks.filter((s) => outcome.notStarted.includes(s.stackId)))
    await setStackStatus(env.run.id, stack, 'not-started', { statusReason: `Not started: ${rootCause.stackName} failed.` });
  throw new RunStopped(describeCause(rootCause));
}
