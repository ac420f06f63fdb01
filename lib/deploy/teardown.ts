// A teardown's step before a stack's delete: the parameter values its line declares CloudFormation
// needs first (StackMeta.beforeDelete, such as a database's deletion protection off), set in the
// deployed template with every other value kept, as a change set previewed and approved with the delete.
import 'server-only';
import { GetTemplateSummaryCommand, type Capability } from '@aws-sdk/client-cloudformation';
import { awsCall } from '@/lib/aws/errors';
import { createChangeSet, waitForChangeSet, type StackState } from './cfn';
import { changeSetName, RunStopped, type RunEnv } from './run-env';
import { note } from './runtime';
import type { ScopedStack } from './scope';
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
