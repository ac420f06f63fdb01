// The deploy engine's public face: prepare a run (preflight, locks, preview), approve it, cancel
// it, recover a failed stack, and pick runs up again after a console restart or a replica's death. Each run works in
// the background; its progress reaches viewers through the store and the run-event stream.
import 'server-only';
import { DeleteChangeSetCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { createAwsContext, sessionNameFor, type AwsContext, type RoleToAssume } from '@/lib/aws/clients';
import { getConnection } from '@/lib/aws/connection';
import { awsCall } from '@/lib/aws/errors';
import { preflight } from '@/lib/aws/preflight';
import { env } from '@/lib/env';
import { audit } from '@/lib/store/audit';
import { getDeployment, updateDeployment, type Deployment } from '@/lib/store/deployments';
import { runLeases } from '@/lib/store/leases';
import { releaseStacks } from '@/lib/store/stack-owners';
import { createRun, getRun, releaseLocks, runStacks, type Run } from '@/lib/store/runs';
import { lineOf } from '@/templates';
import { checkCapacityPerAccount, checkOtherAccounts, runAccess, type RunAccess } from './accounts';
import { checkEnvironment, environmentRefusal } from './environment';
import { describeStack } from './cfn';
import { execute } from './execute';
import { ownershipRefusal, type OwnershipRefusal } from './ownership';
import { preview } from './preview';
import { recreatePlanFor, withRecreated, type RecreatePlan } from './recreate';
import { isLeaseLost } from '@/lib/store/fence';
import { assertDriving, deadHolder, drive, exclusivelyFor, giveUpLease, holdLease, holdsLease, leaseMs, replicaId, takeLease, whileHolding } from './replica';
import { NotDriving, RunStopped, type RunEnv } from './run-env';
import { isTaskRunning, note, RunStatusChanged, setRunStatus, setStackStatus, untilTaskEnds, type RunSecrets } from './runtime';
import { followUpOf, planAfter, planDuring, scopeOf, type Operation } from './scope';
import { generateOnCreate } from './generated';
import { checkImages, describeImagesWith } from './image-check';
import { dropSecrets, keepSecrets, secretsOf } from './secrets';
import { isSettledRunStack, type RunKind, type RunStatus } from './types';

/** A run the console refuses to start, with a message for the user. */
export class RunRefusedError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'RunRefusedError';
  }
}

export function roleFor(deployment: Deployment, username: string): RoleToAssume | undefined {
  return deployment.roleArn ? { arn: deployment.roleArn, externalId: deployment.externalId, sessionName: sessionNameFor(username) } : undefined;
}

export async function contextFor(deployment: Deployment, username: string): Promise<AwsContext> {
  return createAwsContext(await getConnection(), deployment.region, roleFor(deployment, username));
}

/** The run's access: the deployment's account (through `home` when given) and every other account its plan names. */
export async function accessFor(deployment: Deployment, username: string, home?: AwsContext): Promise<RunAccess> {
  return runAccess(await getConnection(), deployment, roleFor(deployment, username), username, home);
}

interface StoredRequest {
  operation: Operation;
  /** Which NoEcho values were given (names only): after a restart the values are gone. */
  secretKeys: string[];
  recovery?: { stackId: string; skipResources: string[] };
  /** Stacks deleted and created again around the change (CloudFormation would refuse it otherwise). */
  recreate?: RecreatePlan;
}

function runEnv(run: Run, deployment: Deployment, access: RunAccess, secrets: RunSecrets, signal?: AbortSignal): RunEnv {
  const request = run.request as unknown as StoredRequest;
  const line = lineOf(deployment.plan);
  const scope = request.recovery
    ? scopeOf(deployment.plan, line, { kind: 'deploy' }).filter((s) => s.stack.meta.id === request.recovery!.stackId)
    : withRecreated(scopeOf(deployment.plan, line, request.operation), deployment.plan, line, request.recreate);
  return {
    run,
    plan: request.recovery ? deployment.plan : planDuring(deployment.plan, request.operation),
    line,
    scope,
    context: access.home.context,
    accessOf: (stackId) => {
      const placement = access.of(stackId);
      return { context: placement.context, account: placement.target?.accountId ?? run.account ?? '' };
    },
    secrets: (stackId) => secrets[stackId] ?? {},
    pollMs: env().CONSOLE_POLL_MS,
    signal,
    beforeChange: () => assertDriving(run.id, signal),
  };
}

/**
 * A run's stacks end when the run does: those never started say so, and one still marked in
 * progress (the run stopped on an error outside the stack) is failed with its last known status.
 */
export async function settleStacks(runId: string, why: string): Promise<void> {
  for (const stack of await runStacks(runId)) {
    if (isSettledRunStack(stack.status)) continue;
    if (stack.status === 'waiting')
      await setStackStatus(runId, stack, 'failed', {
        statusReason: 'Deleted, but not created again: the run stopped before it got there. Resume the deployment to create it again.',
        finishedAt: new Date().toISOString(),
      });
    else if (stack.status === 'in-progress')
      await setStackStatus(runId, stack, 'failed', {
        statusReason: `The run stopped before this stack finished${stack.stackStatus ? ` (last status ${stack.stackStatus})` : ''}; it may still be running in AWS.`,
        finishedAt: new Date().toISOString(),
      });
    else await setStackStatus(runId, stack, 'not-started', { statusReason: why });
  }
}

/** Ends the run from `from` (the status its driver left it in): succeeded, or failed with the message. */
async function finish(run: Run, deployment: Deployment, from: RunStatus, outcome: { ok: true } | { ok: false; message: string }) {
  await releaseLocks(run.id);
  await dropSecrets(run.id);
  await settleStacks(run.id, outcome.ok ? 'Not needed.' : 'Not started: the run failed.');
  const now = new Date();
  if (outcome.ok) {
    await setRunStatus(run.id, [from], 'succeeded', 'Done.', { finishedAt: now });
    const request = run.request as unknown as StoredRequest;
    if (run.kind === 'teardown') {
      await updateDeployment(deployment.id, { status: 'deleted' }, { forRun: run.id });
      await releaseStacks(deployment.id, run.id);
    }
    else if (run.kind !== 'recover') await updateDeployment(deployment.id, { status: 'deployed', plan: planAfter(deployment.plan, lineOf(deployment.plan), request.operation) }, { forRun: run.id });
  } else {
    await setRunStatus(run.id, [from], 'failed', outcome.message, { finishedAt: now, error: outcome.message });
    await updateDeployment(deployment.id, { status: 'failed' }, { forRun: run.id });
  }
}

/** Whether an error says this replica no longer drives the run, or that the run was moved by someone else. */
const isLostRun = (error: unknown) => error instanceof NotDriving || error instanceof RunStatusChanged || isLeaseLost(error);
const stoppedFromOutside = (error: unknown, signal: AbortSignal) => signal.aborted || isLostRun(error);

/** The run's work from status `from`; when it fails the run ends failed, when `finishOnSuccess` it ends succeeded. */
async function guarded(run: Run, deployment: Deployment, from: RunStatus, work: () => Promise<void>, finishOnSuccess: boolean, signal: AbortSignal) {
  try {
    await work();
    if (finishOnSuccess) await finish(run, deployment, from, { ok: true });
  } catch (error) {
    // Stopped from outside (lease lost or lapsed, shutdown, the run cancelled): whoever holds the
    // run next goes on with it, or it is over already.
    if (stoppedFromOutside(error, signal)) {
      if (error instanceof RunStatusChanged) console.warn(`${error.message} This replica stops working on it.`);
      return;
    }
    // The message reaches the page once, through the run's status and its root-cause panel.
    const message = error instanceof RunStopped || error instanceof Error ? error.message : String(error);
    try {
      await finish(run, deployment, from, { ok: false, message });
    } catch (failure) {
      if (!stoppedFromOutside(failure, signal)) throw failure;
    }
  }
}

export interface PrepareInput {
  deploymentId: string;
  user: string;
  operation: Operation;
  secrets?: RunSecrets;
  /** The account the user confirmed after the preflight; the run refuses any other. */
  confirmedAccount: string;
  resumedFrom?: string;
}

/**
 * The deployment and its AWS access, after a preflight that must reach the confirmed account, and
 * one of every other account its plan names (each must be the account the plan says, through a
 * role whose trust lets the console in).
 */
async function checkedAccess(deploymentId: string, user: string, confirmedAccount: string) {
  const deployment = await getDeployment(deploymentId);
  if (!deployment) throw new RunRefusedError('This deployment does not exist.');
  const role = roleFor(deployment, user);
  const context = createAwsContext(await getConnection(), deployment.region, role);
  const checked = await preflight(context, role);
  if (!checked.ok) throw new RunRefusedError(checked.problem, checked.field);
  if (checked.identity.account !== confirmedAccount)
    throw new RunRefusedError(`The credentials reach account ${checked.identity.account}, not the confirmed ${confirmedAccount}. Check access again.`);
  const access = await accessFor(deployment, user, context);
  const others = await checkOtherAccounts(access);
  if (!others.ok) throw new RunRefusedError(others.problem);
  return { deployment, context, access, identity: checked.identity, others: others.identities };
}

/** Refuses (RunRefusedError, naming the owner and the ways out) a run touching a stack that is not this deployment's, account by account. */
async function refuseForeignStacks(deployment: Deployment, access: RunAccess, account: string, stacks: readonly { stackId: string; stackName: string }[]): Promise<void> {
  const refusal = await firstForeign(deployment, access, account, stacks);
  if (refusal) throw new RunRefusedError(refusal.message);
}

/** For the access check: the first stack of the deployment's plan that belongs to someone else, and why. */
export async function foreignStack(deployment: Deployment, context: AwsContext, account: string, access?: RunAccess): Promise<OwnershipRefusal | undefined> {
  const stacks = scopeOf(deployment.plan, lineOf(deployment.plan), { kind: 'deploy' }).map((s) => ({ stackId: s.stack.meta.id, stackName: s.stack.stackName }));
  if (!access) return ownershipRefusal(deployment, context, account, stacks.map((s) => s.stackName));
  return firstForeign(deployment, access, account, stacks);
}

/** The first of `stacks` that is not this deployment's, each looked up in its own account. */
async function firstForeign(deployment: Deployment, access: RunAccess, account: string, stacks: readonly { stackId: string; stackName: string }[]): Promise<OwnershipRefusal | undefined> {
  for (const placement of access.all) {
    const names = stacks.filter((s) => access.of(s.stackId) === placement).map((s) => s.stackName);
    if (names.length === 0) continue;
    const refusal = await ownershipRefusal(placement.target ? { ...deployment, region: placement.target.region } : deployment, placement.context, placement.target?.accountId ?? account, names);
    if (refusal) return refusal;
  }
  return undefined;
}

/** Checks access, takes the stacks' locks and starts the preview. Throws RunRefusedError or StackLockedError. */
export async function prepareRun(input: PrepareInput): Promise<Run> {
  const { deployment, context, access, identity, others } = await checkedAccess(input.deploymentId, input.user, input.confirmedAccount);
  const line = lineOf(deployment.plan);
  const scope = scopeOf(deployment.plan, line, input.operation);
  if (scope.length === 0) throw new RunRefusedError('Nothing to do: the stacks this operation changes are not part of the plan.');
  const environment = input.operation.kind === 'deploy' ? await checkEnvironment(context, deployment.plan, line, (id) => access.of(id).context) : { problems: [] };
  if (environment.problems.length) throw new RunRefusedError(environmentRefusal(environment.problems), environment.problems[0]!.path);
  const capacities = await checkCapacityPerAccount(access, deployment.plan, input.operation, identity.account);
  const refused = capacities.find((c) => c.refusal);
  if (refused) throw new RunRefusedError(refused.refusal!);
  // Images are looked for in the registry of the account each stack goes to.
  const images = { notes: [] as string[] };
  if (input.operation.kind !== 'teardown')
    for (const placement of access.all) {
      const mine = scope.filter((s) => access.of(s.stack.meta.id) === placement);
      if (mine.length === 0) continue;
      const checked = await checkImages(describeImagesWith(placement.context), placement.target?.accountId ?? identity.account, mine.map((s) => ({ ...s.stack, values: { ...s.stack.values, ...s.overrides } })), deployment.plan.imageRegistry);
      if (checked.refusal) throw new RunRefusedError(checked.refusal);
      images.notes.push(...checked.notes);
    }
  const generated = await generateOnCreate(context, scope, input.operation, input.secrets ?? {});
  input = { ...input, secrets: generated.secrets };
  const secretKeys = Object.entries(input.secrets ?? {}).flatMap(([id, values]) => Object.keys(values ?? {}).filter((k) => values?.[k]).map((k) => `${id}.${k}`));
  const teardown = input.operation.kind === 'teardown';
  const recreate = teardown ? undefined : recreatePlanFor(deployment.plan, line, input.operation);
  const stacks = withRecreated(scope, deployment.plan, line, recreate).map((s) => ({
    stackId: s.stack.meta.id,
    stackName: s.stack.stackName,
    action: s.delete ? ('delete' as const) : recreate?.stacks.includes(s.stack.meta.id) ? ('recreate' as const) : ('none' as const),
  }));
  await refuseForeignStacks(deployment, access, identity.account, stacks);
  const sentAt = performance.now();
  const run = await createRun({
    deploymentId: deployment.id,
    kind: input.operation.kind as RunKind,
    startedBy: input.user,
    account: identity.account,
    region: deployment.region,
    request: { operation: input.operation, secretKeys, ...(recreate?.stacks.length ? { recreate } : {}) } satisfies StoredRequest,
    stacks,
    resumedFrom: input.resumedFrom,
    lease: { holder: replicaId(), ttlMs: leaseMs() },
  });
  // Renewed from now on, however long the steps before the preview take.
  holdLease(run.id, sentAt);
  try {
    await whileHolding(run.id, async () => {
      if (secretKeys.length > 0) await keepSecrets(run.id, input.secrets!);
      await updateDeployment(deployment.id, { account: identity.account }, { forRun: run.id });
      await audit({ actor: input.user, action: input.operation.kind === 'teardown' ? 'deployment.teardown' : 'deployment.run', target: deployment.name, details: { run: run.id, kind: run.kind, account: identity.account, region: deployment.region, ...(input.operation.kind === 'teardown' && input.operation.forceDeleteSecrets ? { forceDeleteRetained: true } : {}) } });
      await note(run.id, 'info', `Acting as ${identity.arn} in account ${identity.account}, ${deployment.region}.`);
      for (const placement of access.all.filter((p) => p.target))
        await note(run.id, 'info', `Acting as ${others.get(placement.id)?.arn ?? placement.target!.roleArn} in account ${placement.target!.accountId}, ${placement.target!.region}, for ${placement.stacks.filter((id) => scope.some((s) => s.stack.meta.id === id)).map((id) => deployment.plan.stackNames[id] ?? id).join(', ') || 'no stack of this run'}.`);
      for (const capacity of capacities) await note(run.id, capacity.warning ? 'warn' : 'info', capacity.warning ?? capacity.note);
      for (const text of images.notes) await note(run.id, 'info', text);
      if (input.operation.kind === 'upgrade-release') for (const text of input.operation.notes) await note(run.id, 'info', `Release ${input.operation.version}: ${text}`);
      if ('unchecked' in environment && environment.unchecked) await note(run.id, 'warn', environment.unchecked);
      for (const made of generated.notes) await note(run.id, 'info', made);
    });
    const driving = await drive(run.id, (signal) => guarded(run, deployment, 'preparing', () => preview(runEnv(run, deployment, access, input.secrets ?? {}, signal)), false, signal), {
      expect: ['preparing'],
    });
    if (!driving) throw new RunRefusedError('This run was cancelled or taken over before its preview started.');
  } catch (error) {
    await abandonPreview(run, error);
    throw error;
  }
  return run;
}

/** A preview that could not start: the run fails at once (best effort), and its lease is given up. */
async function abandonPreview(run: Run, error: unknown): Promise<void> {
  if (isTaskRunning(run.id)) return;
  const reason = error instanceof Error ? error.message : String(error);
  await whileHolding(run.id, async () => {
    await releaseLocks(run.id);
    await dropSecrets(run.id);
    await settleStacks(run.id, 'Not started: the preview could not start.');
    await setRunStatus(run.id, ['preparing'], 'failed', `The preview could not start: ${reason}`, { finishedAt: new Date(), error: reason });
  }).catch((failure: unknown) => console.warn(`Run ${run.id}: could not be marked failed (${failure instanceof Error ? failure.message : String(failure)}); a replica fails it once its lease lapses.`));
  await giveUpLease(run.id);
}

/** How long an approval or a cancel waits for a preview that has shown its changes to let go of its run. */
const PREVIEW_LETS_GO_MS = 10_000;

/**
 * Starts executing a previewed run; one that deletes stacks to create them again needs the
 * deployment's name typed. The run is claimed first (its lease, then awaiting-approval → running
 * as a compare-and-set): a cancel holding the claim makes this refuse, and the other way round.
 */
export async function approveRun(runId: string, user: string, confirmName?: string): Promise<void> {
  const run = await getRun(runId);
  if (!run) throw new RunRefusedError('This run does not exist.');
  if (run.status !== 'awaiting-approval') throw new RunRefusedError(`This run is ${run.status}; only a previewed run can be approved.`);
  await untilTaskEnds(run.id, PREVIEW_LETS_GO_MS);
  const deployment = (await getDeployment(run.deploymentId))!;
  if ((await runStacks(run.id)).some((s) => s.action === 'recreate' && s.status === 'previewed') && confirmName !== deployment.name)
    throw new RunRefusedError(`This run deletes stacks and creates them again: type ${deployment.name} to confirm.`, 'confirmName');
  const request = run.request as unknown as StoredRequest;
  if (request.secretKeys.length > 0) {
    const held = await secretsOf(run.id, { awaitingApproval: true });
    if (!held.ok) throw new RunRefusedError(held.problem);
  }
  const approvedMeanwhile = new RunRefusedError('This run was approved or cancelled meanwhile.');
  await exclusivelyFor(run.id, async () => {
    // The lease first: a replica looking for runs to take over must not see it running without one.
    if (!(await takeLease(run.id))) throw approvedMeanwhile;
    try {
      await whileHolding(run.id, () => setRunStatus(run.id, ['awaiting-approval'], 'running', `Approved by ${user}.`, { startedAt: new Date() }));
    } catch (error) {
      await giveUpLease(run.id);
      throw error instanceof RunStatusChanged ? approvedMeanwhile : error;
    }
  });
  // From here the run is running: if this replica fails to go on, another takes it over.
  try {
    await whileHolding(run.id, () => updateDeployment(deployment.id, { status: run.kind === 'teardown' ? 'tearing-down' : 'deploying' }, { forRun: run.id }));
    await audit({ actor: user, action: run.kind === 'teardown' ? 'deployment.teardown' : 'deployment.run', target: deployment.name, details: { run: run.id, approved: true } });
    await launch(run, deployment, user);
  } catch (error) {
    if (!isTaskRunning(run.id)) await giveUpLease(run.id);
    throw error;
  }
}

/** Executes the run in this process, which must hold its lease or find it free. */
async function launch(run: Run, deployment: Deployment, user: string): Promise<void> {
  const access = await accessFor(deployment, user);
  const request = run.request as unknown as StoredRequest;
  // After a restart or a take-over without a sealed copy the values are gone: stacks that exist
  // keep their previous values, stacks not created yet get the template's defaults.
  const held = request.secretKeys.length > 0 ? await secretsOf(run.id) : undefined;
  if (held && !held.ok) await note(run.id, 'warn', `This console does not have the run's secret values (${request.secretKeys.join(', ')}): existing stacks keep their previous values, stacks created from here on get the template's defaults.`);
  const secrets = held?.ok ? held.secrets : {};
  const followUp = followUpOf(lineOf(deployment.plan), request.operation);
  const driving = await drive(
    run.id,
    (signal) =>
      guarded(
        run,
        deployment,
        'running',
        () =>
          execute(runEnv(run, deployment, access, secrets, signal), {
            timeoutMs: env().CONSOLE_STACK_TIMEOUT_MINUTES * 60_000,
            maxParallel: env().CONSOLE_MAX_PARALLEL_STACKS,
            followUp,
            recovery: request.recovery,
          }),
        true,
        signal,
      ),
    { expect: ['running'] },
  );
  if (!driving) throw new RunRefusedError('Another console replica is driving this run.');
}

/**
 * Cancels a run that has not started executing: claims it first (its lease; in this process one
 * claim at a time), so an approval meanwhile is refused, then drops its change sets and review
 * stacks and ends it cancelled (compare-and-set from the status it was claimed in).
 */
export async function cancelRun(runId: string, user: string): Promise<void> {
  const run = await getRun(runId);
  if (!run) throw new RunRefusedError('This run does not exist.');
  const notCancellable = (status: RunStatus) => new RunRefusedError(`This run is ${status} and can no longer be cancelled.`);
  if (run.status !== 'awaiting-approval' && run.status !== 'preparing') throw notCancellable(run.status);
  const stillPreparing = new RunRefusedError('The preview is still being prepared; cancel it when it is ready.');
  if (run.status === 'awaiting-approval') await untilTaskEnds(run.id, PREVIEW_LETS_GO_MS);
  const deployment = (await getDeployment(run.deploymentId))!;
  await exclusivelyFor(run.id, async () => {
    // A preview this process is making, or one another replica holds the lease of, is not ours to cancel.
    if (isTaskRunning(run.id) || holdsLease(run.id))
      throw run.status === 'preparing' ? stillPreparing : new RunRefusedError('This run is being approved, or its preview is still finishing: reload the page to see where it stands.');
    if (!(await takeLease(run.id))) throw run.status === 'preparing' ? stillPreparing : new RunRefusedError('This run is being approved or cancelled on another console replica.');
    try {
      const claimed = await getRun(run.id);
      if (!claimed || (claimed.status !== 'awaiting-approval' && claimed.status !== 'preparing')) throw notCancellable(claimed?.status ?? run.status);
      const access = await accessFor(deployment, user);
      await whileHolding(run.id, async () => {
        for (const stack of await runStacks(run.id)) {
          if (!stack.changeSetId) continue;
          await assertDriving(run.id);
          const { context } = access.of(stack.stackId);
          await awsCall('DeleteChangeSet', () => context.cloudFormation.send(new DeleteChangeSetCommand({ ChangeSetName: stack.changeSetId, StackName: stack.stackName }))).catch(() => undefined);
          const state = await describeStack(context.cloudFormation, stack.stackName);
          if (state?.status === 'REVIEW_IN_PROGRESS') await awsCall('DeleteStack', () => context.cloudFormation.send(new DeleteStackCommand({ StackName: stack.stackName })));
        }
        await releaseLocks(run.id);
        await dropSecrets(run.id);
        await settleStacks(run.id, `Cancelled by ${user}.`);
        await setRunStatus(run.id, [claimed.status], 'cancelled', `Cancelled by ${user}; nothing was changed.`, { finishedAt: new Date() });
      });
    } finally {
      await giveUpLease(run.id);
    }
  });
  await audit({ actor: user, action: 'deployment.cancelled', target: deployment.name, details: { run: run.id } });
}

/** Recovers a failed stack: deletes a failed create, or continues a failed update rollback. Runs at once. */
export async function recoverRun(input: { deploymentId: string; stackId: string; user: string; skipResources: string[]; confirmedAccount: string }): Promise<Run> {
  const { deployment, access, identity } = await checkedAccess(input.deploymentId, input.user, input.confirmedAccount);
  const scope = scopeOf(deployment.plan, lineOf(deployment.plan), { kind: 'deploy' }).filter((s) => s.stack.meta.id === input.stackId);
  if (scope.length === 0) throw new RunRefusedError('That stack is not part of the plan.');
  await refuseForeignStacks(deployment, access, identity.account, [{ stackId: input.stackId, stackName: scope[0]!.stack.stackName }]);
  const sentAt = performance.now();
  const run = await createRun({
    deploymentId: deployment.id,
    kind: 'recover',
    startedBy: input.user,
    account: identity.account,
    region: deployment.region,
    request: { operation: { kind: 'deploy' }, secretKeys: [], recovery: { stackId: input.stackId, skipResources: input.skipResources } } satisfies StoredRequest,
    stacks: scope.map((s) => ({ stackId: s.stack.meta.id, stackName: s.stack.stackName, action: 'none' })),
    lease: { holder: replicaId(), ttlMs: leaseMs() },
  });
  holdLease(run.id, sentAt);
  try {
    await audit({ actor: input.user, action: 'deployment.run', target: deployment.name, details: { run: run.id, kind: 'recover', stack: scope[0]!.stack.stackName } });
    await whileHolding(run.id, () => setRunStatus(run.id, ['preparing'], 'running', `Recovering ${scope[0]!.stack.stackName}.`, { startedAt: new Date() }));
    await launch(run, deployment, input.user);
  } catch (error) {
    if (!isTaskRunning(run.id)) await giveUpLease(run.id);
    throw error;
  }
  return run;
}

/**
 * Runs nobody drives any more (a console restart, or a replica that died: its lease lapsed):
 * continue those that were executing, and fail those caught mid-preview. Called at start and
 * periodically by every replica; the lease makes sure only one of them picks each run up.
 */
/** One run this replica just took the lease of: fail it if it was mid-preview, else go on driving it. */
async function resumeRun(run: Run, deployment: Deployment, holder: string | null, replacing: string | undefined): Promise<boolean> {
  if (run.status === 'preparing') {
    await whileHolding(run.id, async () => {
      await releaseLocks(run.id);
      await settleStacks(run.id, 'Not started: the console restarted during the preview.');
      await dropSecrets(run.id);
      await setRunStatus(run.id, ['preparing'], 'failed', 'The console restarted while this run was being previewed. Start it again.', { finishedAt: new Date(), error: 'Interrupted by a restart.' });
    });
    await giveUpLease(run.id);
    return false;
  }
  await whileHolding(run.id, () =>
    note(
      run.id,
      'warn',
      !holder || replacing !== undefined
        ? 'The console restarted; picking this run up where it was.'
        : `The console replica driving this run (${holder}) stopped; ${replicaId()} picks it up where it was.`,
    ),
  );
  await launch(run, deployment, run.startedBy);
  return true;
}

export async function resumeRuns(): Promise<number> {
  let resumed = 0;
  for (const leased of await runLeases(['preparing', 'running'])) {
    if (isTaskRunning(leased.id)) continue;
    const replacing = leased.free ? undefined : deadHolder(leased.holder);
    if (!leased.free && !replacing) continue;
    const run = await getRun(leased.id);
    if (!run || (run.status !== 'preparing' && run.status !== 'running')) continue;
    const deployment = await getDeployment(run.deploymentId);
    if (!deployment) continue;
    const claimed = await exclusivelyFor(run.id, async () => !isTaskRunning(run.id) && (await takeLease(run.id, replacing)));
    if (!claimed) continue;
    try {
      if (await resumeRun(run, deployment, leased.holder, replacing)) resumed += 1;
    } catch (error) {
      if (!isTaskRunning(run.id)) await giveUpLease(run.id);
      if (!isLostRun(error)) throw error;
    }
  }
  return resumed;
}
