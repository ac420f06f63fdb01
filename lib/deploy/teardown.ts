// A teardown's steps around a stack's delete: the parameter values its line declares CloudFormation
// needs first (StackMeta.beforeDelete, such as a database's deletion protection off), set in the
// deployed template with every other value kept, as a change set previewed and approved with the
// delete; the buckets the line empties just before the delete (LineTeardown.emptyBuckets); and the
// retained secrets force-deleted after it when the teardown asks for that (LineTeardown.retainedSecrets).
import 'server-only';
import { GetTemplateSummaryCommand, type Capability } from '@aws-sdk/client-cloudformation';
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsContext } from '@/lib/aws/clients';
import { awsCall, NotFoundError, RequestRejectedError } from '@/lib/aws/errors';
import { andList } from '@/lib/text';
import { createChangeSet, waitForChangeSet, type StackState } from './cfn';
import { changeSetName, RunStopped, type RunEnv } from './run-env';
import { note } from './runtime';
import type { Operation, ScopedStack } from './scope';
import { isReadyStatus } from './stack-inputs';
import type { ResourceChangeSummary } from './types';

/** The attempt name of the switch-off change set (lakerunner-<run>-<stack>-before-delete). */
export const BEFORE_DELETE = 'before-delete';

/**
 * The change set that sets the stack's beforeDelete values, or undefined when the deployed stack
 * already has them (or predates them). Throws RunStopped when CloudFormation refuses it.
 */
export async function beforeDeleteChangeSet(env: RunEnv, scoped: ScopedStack, state: StackState): Promise<{ id: string; changes: ResourceChangeSummary[] } | undefined> {
  const { meta, stackName } = scoped.stack;
  const values = Object.fromEntries(Object.entries(meta.beforeDelete ?? {}).filter(([key, value]) => key in state.parameters && state.parameters[key] !== value));
  const keys = Object.keys(values);
  if (keys.length === 0) return undefined;
  const setting = keys.map((key) => `${key} ${values[key]}`).join(', ');
  if (!isReadyStatus(state.status)) {
    await note(
      env.run.id,
      'warn',
      `${stackName} is in ${state.status}, which CloudFormation cannot update, so ${setting} cannot be set before its delete. If the delete fails because of it (a database's deletion protection), switch it off in the service's console and tear down again.`,
    );
    return undefined;
  }
  const cf = env.accessOf(meta.id).context.cloudFormation;
  const summary = await awsCall('GetTemplateSummary', () => cf.send(new GetTemplateSummaryCommand({ StackName: stackName })));
  const name = changeSetName(env.run.id, meta.id, BEFORE_DELETE);
  const id = await createChangeSet(cf, {
    stackName,
    changeSetName: name,
    type: 'UPDATE',
    template: { usePrevious: true },
    parameters: Object.keys(state.parameters).map((key) => (key in values ? { ParameterKey: key, ParameterValue: values[key] } : { ParameterKey: key, UsePreviousValue: true })),
    capabilities: (summary.Capabilities ?? []) as Capability[],
    clientToken: name,
    description: `Lakerunner console run ${env.run.id} (teardown) by ${env.run.startedBy}: ${setting} before the delete`,
  });
  const outcome = await waitForChangeSet(cf, id, stackName, env.pollMs, env.signal);
  if (outcome.kind === 'failed') throw new RunStopped(`${stackName}: CloudFormation refused to set ${setting} before the delete: ${outcome.reason}`);
  if (outcome.kind === 'unchanged') return undefined;
  await note(env.run.id, 'info', `${stackName}: the teardown first sets ${setting} (CloudFormation cannot delete the stack otherwise), then deletes it.`);
  return { id, changes: outcome.changes };
}

/** Whether the run is a teardown that asked to force-delete the retained secrets. */
export const forcesSecretDeletion = (env: RunEnv) => {
  const operation = (env.run.request as { operation?: Operation } | undefined)?.operation;
  return operation?.kind === 'teardown' && operation.forceDeleteSecrets === true;
};

/** The buckets the line empties before this stack's delete, named by the deployed stack's outputs. */
export function bucketsToEmpty(env: RunEnv, scoped: ScopedStack, state: StackState | undefined): { name: string; label: string }[] {
  return (env.line.operations.teardown?.emptyBuckets ?? [])
    .filter((b) => b.stack === scoped.stack.meta.id)
    .flatMap((b) => (state?.outputs[b.output] ? [{ name: state.outputs[b.output]!, label: b.label }] : []));
}

/** The retained secrets of this stack, by name: the deployed value of the parameter that names one, else the plan's. */
export function retainedSecrets(env: RunEnv, scoped: ScopedStack, state: StackState | undefined): string[] {
  return (env.line.operations.teardown?.retainedSecrets ?? [])
    .filter((secret) => secret.stack === scoped.stack.meta.id)
    .map((secret) => (secret.name !== undefined ? secret.name : (state?.parameters[secret.key] ?? scoped.stack.values[secret.key] ?? '')))
    .filter(Boolean);
}

/** The object count of a bucket (up to the first page's 1,000, and whether there are more); undefined when it no longer exists. */
async function objectCount(context: AwsContext, bucket: string): Promise<{ count: number; more: boolean } | undefined> {
  try {
    const page = await awsCall('ListObjectsV2', () => context.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 })));
    return { count: page.KeyCount ?? page.Contents?.length ?? 0, more: page.IsTruncated === true };
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

const objects = (n: number, more = false) => `${more ? 'more than ' : ''}${n.toLocaleString('en-US')} object${n === 1 && !more ? '' : 's'}`;
const isSecretOf = (name: string, physicalId: string | undefined) => physicalId === name || (physicalId ?? '').includes(`:secret:${name}-`);

/**
 * The preview's part of the teardown's own steps for one stack: the rows of the buckets it empties
 * and of the secrets it force-deletes say so, and a note tells the whole of it.
 */
export async function annotateTeardown(env: RunEnv, scoped: ScopedStack, state: StackState, removed: ResourceChangeSummary[]): Promise<ResourceChangeSummary[]> {
  const { stackName } = scoped.stack;
  let changes = removed;
  for (const bucket of bucketsToEmpty(env, scoped, state)) {
    const found = await objectCount(env.accessOf(scoped.stack.meta.id).context, bucket.name);
    if (!found) continue;
    const what = found.count === 0 ? 'empty now; anything written until the delete is deleted with it' : `${objects(found.count, found.more)} deleted for good`;
    changes = changes.map((c) => (c.resourceType === 'AWS::S3::Bucket' && c.physicalId === bucket.name ? { ...c, details: [...(c.details ?? []), `emptied first (${what})`] } : c));
    await note(
      env.run.id,
      found.count === 0 ? 'info' : 'warn',
      `${stackName}: the teardown empties the ${bucket.label} ${bucket.name} just before deleting the stack (CloudFormation cannot delete a bucket with objects in it): ${found.count === 0 ? 'it is empty now' : `its ${objects(found.count, found.more)} are deleted for good`}.`,
    );
  }
  const secrets = retainedSecrets(env, scoped, state);
  if (secrets.length === 0) return changes;
  if (forcesSecretDeletion(env)) {
    changes = changes.map((c) =>
      c.resourceType === 'AWS::SecretsManager::Secret' && secrets.some((name) => isSecretOf(name, c.physicalId))
        ? { ...c, details: [...(c.details ?? []), 'force-deleted after the stack’s delete, with no recovery window'] }
        : c,
    );
    await note(env.run.id, 'warn', `${stackName}: after its delete, the teardown force-deletes the retained secret${secrets.length === 1 ? '' : 's'} ${andList(secrets)} with no recovery window, as asked: they cannot be restored.`);
  } else
    await note(
      env.run.id,
      'info',
      `${stackName}: its delete keeps the secret${secrets.length === 1 ? '' : 's'} ${andList(secrets)} (Retain). Installing again in this account and region needs ${secrets.length === 1 ? 'it' : 'them'} gone: force-delete ${secrets.length === 1 ? 'it' : 'them'} by hand, or tear down with the retained secrets force-deleted.`,
    );
  return changes;
}

/** Deletes every object of the bucket (ListObjectsV2 and DeleteObjects, 1,000 at a time); the number deleted. A missing bucket has none. */
export async function emptyBucket(context: AwsContext, bucket: string, signal?: AbortSignal): Promise<number> {
  let deleted = 0;
  for (;;) {
    signal?.throwIfAborted();
    let page;
    try {
      page = await awsCall('ListObjectsV2', () => context.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 })));
    } catch (error) {
      if (error instanceof NotFoundError) return deleted;
      throw error;
    }
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key !== undefined ? [{ Key: o.Key }] : []));
    if (keys.length === 0) return deleted;
    const result = await awsCall('DeleteObjects', () => context.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } })));
    const failed = result.Errors ?? [];
    const first = failed[0];
    if (first) throw new RunStopped(`Emptying ${bucket}: S3 did not delete ${objects(failed.length)} (${first.Key}: ${[first.Code, first.Message].filter(Boolean).join(' ')}).`);
    deleted += keys.length;
  }
}

/** Force-deletes a secret with no recovery window; false when there was none of that name. */
export async function forceDeleteSecret(context: AwsContext, name: string): Promise<boolean> {
  try {
    await awsCall('DeleteSecret', () => context.secretsManager.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true })));
    return true;
  } catch (error) {
    if (error instanceof NotFoundError || (error instanceof RequestRejectedError && error.code === 'ResourceNotFoundException')) return false;
    throw error;
  }
}
