// Whose stacks these are: before a run (and at the access check) every stack the run would touch
// must be this deployment's, or not exist yet. A stack another deployment made or is using, or one
// that exists in the account without any deployment of this console having made or attached it,
// is refused with its owner named and the ways out; nothing is adopted silently. Deployments from
// before ownership was recorded claim the stacks of their plan that exist, once.
import 'server-only';
import type { AwsContext } from '@/lib/aws/clients';
import type { Deployment } from '@/lib/store/deployments';
import { claimStacks, claimsAny, stackLockHolders, stackOwners } from '@/lib/store/stack-owners';
import { describeStack } from './cfn';

export interface OwnershipRefusal {
  readonly stackName: string;
  /** The deployment that owns the stack; undefined when none of this console's does. */
  readonly owner?: { readonly id: string; readonly name: string };
  readonly message: string;
}

const WAYS_OUT = 'choose other stack names for this deployment (make a new plan with other names)';

/**
 * The first stack of `stackNames` this deployment may not touch, with why and what to do; undefined
 * when every one is the deployment's or does not exist yet. Claims a legacy deployment's stacks.
 */
export async function ownershipRefusal(deployment: Deployment, context: AwsContext, account: string, stackNames: readonly string[]): Promise<OwnershipRefusal | undefined> {
  const where = `account ${account}, ${deployment.region}`;
  const locks = await stackLockHolders(account, deployment.region, stackNames);
  for (const name of stackNames) {
    const lock = locks.get(name);
    if (lock && lock.deploymentId !== deployment.id)
      return {
        stackName: name,
        owner: { id: lock.deploymentId, name: lock.deploymentName },
        message: `The stack ${name} (${where}) belongs to the deployment ${lock.deploymentName}, whose run ${lock.runId} is using it now. Open ${lock.deploymentName} to change that stack, or ${WAYS_OUT}.`,
      };
  }
  const owners = await stackOwners(account, deployment.region, stackNames);
  const unclaimed: string[] = [];
  for (const name of stackNames) {
    const owner = owners.get(name);
    if (owner?.deploymentId === deployment.id) continue;
    const state = await describeStack(context.cloudFormation, name);
    // Not there (or only a change set under review, which holds nothing): whoever creates it owns it.
    if (!state || state.status === 'DELETE_COMPLETE' || state.status === 'REVIEW_IN_PROGRESS') continue;
    if (owner)
      return {
        stackName: name,
        owner: { id: owner.deploymentId, name: owner.deploymentName },
        message: `The stack ${name} (${where}) belongs to the deployment ${owner.deploymentName}. Open ${owner.deploymentName} to change it, or ${WAYS_OUT}.`,
      };
    unclaimed.push(name);
  }
  if (unclaimed.length === 0) return undefined;
  // Deployed or attached before the console recorded owners: its plan's stacks that exist are its own.
  if (deployment.status !== 'planned' && !(await claimsAny(deployment.id))) {
    await claimStacks(deployment.id, account, deployment.region, unclaimed);
    return undefined;
  }
  const name = unclaimed[0]!;
  return {
    stackName: name,
    message: `A stack named ${name} already exists in ${where}, and no deployment of this console made or attached it. To manage it here, attach the existing stacks as a deployment (Deployments → Attach existing stacks); otherwise ${WAYS_OUT}.`,
  };
}
