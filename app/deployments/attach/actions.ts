'use server';
// Attach existing stacks: discover the Lakerunner stacks of a region, then adopt one group as a
// deployment without redeploying anything. Both re-check everything on the server; the browser
// only ever names a region, a stack ARN and a deployment name.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { ActionError } from '@/lib/auth/action-error';
import { createAwsContext, type AwsContext } from '@/lib/aws/clients';
import { getConnection } from '@/lib/aws/connection';
import { AwsError, describeAwsFailure } from '@/lib/aws/errors';
import { preflight } from '@/lib/aws/preflight';
import { allStacksComplete, discoverDeployments, type DiscoveredDeployment } from '@/lib/deploy/discover';
import { includedIn, type NetworkMode } from '@/lib/params/plan';
import { REGION_CODES } from '@/lib/params/regions';
import { audit } from '@/lib/store/audit';
import { createDeployment, DuplicateNameError, listDeployments, updateDeployment, type Deployment } from '@/lib/store/deployments';
import { lineOf } from '@/templates';
import { claimStacks, stackOwners } from '@/lib/store/stack-owners';

/** What the page shows of one discovered deployment: no parameter values travel to the browser. */
export interface AttachCandidate {
  suggestedName: string;
  /** ARN of the candidate's first stack: how the attach action finds the group again. */
  anchor: string;
  network: NetworkMode;
  /** Titles of the optional stacks it has. */
  optional: string[];
  stacks: DiscoveredDeployment['stacks'];
  secretsKept: string[];
  warnings: string[];
  complete: boolean;
  attachedAs?: { id: string; name: string };
}

export interface Discovery {
  region: string;
  account: string;
  candidates: AttachCandidate[];
}

const region = z.enum(REGION_CODES, { error: 'Choose a region from the list.' });
const PLAN_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/;

/** The connection in the region, checked first, so a missing credential reads as one. */
async function connect(regionCode: string): Promise<{ context: AwsContext; account: string }> {
  const context = createAwsContext(await getConnection(), regionCode);
  const checked = await preflight(context);
  if (!checked.ok) throw new ActionError(checked.problem, checked.field === 'region' ? 'region' : undefined, 502);
  return { context, account: checked.identity.account };
}

async function discover(context: AwsContext): Promise<DiscoveredDeployment[]> {
  try {
    return await discoverDeployments(context);
  } catch (error) {
    if (error instanceof AwsError) throw new ActionError(describeAwsFailure(error), undefined, 502);
    throw error;
  }
}

/** The live deployment that already holds one of these stacks, if any. */
function attachedAs(found: DiscoveredDeployment, deployments: readonly Deployment[]): Deployment | undefined {
  return deployments.find((d) => {
    if (d.region !== found.region || d.status === 'deleted') return false;
    const included = includedIn(d.plan, lineOf(d.plan).stacks);
    return found.stacks.some((s) => included(s.id) && d.plan.stackNames[s.id] === s.stackName);
  });
}

export const discoverStacksAction = defineAction({ role: 'deployer', schema: z.object({ region }) }, async (input): Promise<Discovery> => {
  const { context, account } = await connect(input.region);
  const found = await discover(context);
  const deployments = await listDeployments();
  return {
    region: input.region,
    account,
    candidates: found.map((d) => {
      const existing = attachedAs(d, deployments);
      return {
        suggestedName: d.suggestedName,
        anchor: d.stacks[0]?.arn ?? '',
        network: d.plan.network,
        optional: lineOf(d.plan).toggles.flatMap((t) => (d.plan.include[t.id] ? [d.stacks.find((s) => s.id === t.id)?.title ?? t.label] : [])),
        stacks: d.stacks,
        secretsKept: d.secretsKept,
        warnings: d.warnings,
        complete: allStacksComplete(d),
        ...(existing ? { attachedAs: { id: existing.id, name: existing.name } } : {}),
      };
    }),
  };
});

const attachSchema = z.object({
  region,
  anchor: z.string({ error: 'Discover the stacks first.' }).regex(/^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack\/[A-Za-z][A-Za-z0-9-]*\/[\w-]+$/, 'Discover the stacks first.'),
  name: z
    .string({ error: 'Enter a name for the deployment.' })
    .trim()
    .regex(PLAN_NAME, 'Name must start with a letter or digit and use letters, digits, spaces, dots, dashes or underscores (at most 63).'),
});

export const attachStacksAction = defineAction({ role: 'deployer', schema: attachSchema }, async (input, { user, client }) => {
  const { context, account } = await connect(input.region);
  const found = (await discover(context)).find((d) => d.stacks.some((s) => s.arn === input.anchor));
  if (!found) throw new ActionError('These stacks are no longer there as they were. Discover the stacks again.', undefined, 409);
  const existing = attachedAs(found, await listDeployments());
  if (existing) throw new ActionError(`These stacks are attached already, as ${existing.name}.`, undefined, 409);
  const owned = [...(await stackOwners(account, input.region, found.stacks.map((s) => s.stackName))).values()][0];
  if (owned) throw new ActionError(`These stacks are attached already: ${owned.stackName} belongs to ${owned.deploymentName}.`, undefined, 409);

  let deployment: Deployment;
  try {
    deployment = await createDeployment({ name: input.name, plan: { ...found.plan, name: input.name }, createdBy: user.username });
  } catch (error) {
    if (error instanceof DuplicateNameError) throw new ActionError(`A deployment named ${input.name} exists already. Choose another name.`, 'name', 409);
    throw error;
  }
  await updateDeployment(deployment.id, { status: allStacksComplete(found) ? 'deployed' : 'failed', account });
  await claimStacks(deployment.id, account, input.region, found.stacks.map((s) => s.stackName));
  await audit({
    actor: user.username,
    action: 'deployment.attached',
    target: input.name,
    details: { deploymentId: deployment.id, region: input.region, account, stacks: found.stacks.map((s) => s.stackName).join(',') },
    client,
  });
  redirect(`/deployments/${deployment.id}`);
});
