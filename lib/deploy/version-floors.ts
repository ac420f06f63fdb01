// The preview's check of parameters that may only rise: a version parameter the line declares
// (StackMeta.versionFloors) must not ask for less than what AWS runs now, which AWS may have raised
// on its own (RDS minor upgrades); otherwise the update would fail half-way in CloudFormation.
import 'server-only';
import type { Parameter } from '@aws-sdk/client-cloudformation';
import { deployedVersion } from '@/lib/aws/deployed-versions';
import { isVersionBelow } from '@/lib/params/versions';
import { physicalIdOf } from './cfn';
import { RunStopped, type RunEnv } from './run-env';
import type { ScopedStack } from './scope';

/** Throws RunStopped, naming the value and the running version, when a parameter goes below its floor. */
export async function checkVersionFloors(env: RunEnv, scoped: ScopedStack, parameters: readonly Parameter[]): Promise<void> {
  const { meta, stackName } = scoped.stack;
  for (const floor of meta.versionFloors ?? []) {
    const given = parameters.find((p) => p.ParameterKey === floor.parameter);
    if (!given || given.UsePreviousValue || given.ParameterValue === undefined) continue;
    const { context } = env.accessOf(meta.id);
    const physicalId = await physicalIdOf(context.cloudFormation, stackName, floor.logicalId);
    const running = physicalId && (await deployedVersion(context, floor.resourceType, physicalId));
    if (!running || !isVersionBelow(given.ParameterValue, running)) continue;
    const label = meta.parameters.find((p) => p.key === floor.parameter)?.label ?? floor.parameter;
    throw new RunStopped(
      `${stackName}: ${label} ${given.ParameterValue} is below ${running}, the version ${physicalId} runs now (AWS may have upgraded it since the last deployment). It may only rise: choose ${running} or later (or its major version alone), then start again.`,
    );
  }
}
