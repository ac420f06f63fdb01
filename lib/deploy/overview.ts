// What a deployment looks like right now in AWS: each stack's live status and outputs, links to
// the AWS console, and the access points a user needs once it is deployed.
import 'server-only';
import { AwsError } from '@/lib/aws/errors';
import { planStacks } from '@/lib/params/plan';
import type { Deployment } from '@/lib/store/deployments';
import { lineOf } from '@/templates';
import type { AccessPoint, DeployedView, ManualStep } from '@/templates/line';
import type { StackId } from '@/templates/stack';
import { describeStack } from './cfn';
import { accessFor } from './engine';

export interface LiveStack {
  id: StackId;
  title: string;
  stackName: string;
  status: string;
  arn?: string;
  consoleUrl?: string;
  outputs: Record<string, string>;
  /** The other AWS account the plan puts it in; absent in the deployment's own account. */
  account?: string;
}

export interface Overview {
  stacks: LiveStack[];
  /** What the deployment's release line shows from its stacks' outputs. */
  accessPoints: AccessPoint[];
  /** What the user must do by hand now that the stacks exist (the line's, with their values). */
  manualSteps: ManualStep[];
  /** Set when AWS could not be asked (no access, expired credentials…). */
  problem?: string;
}

export const stackConsoleUrl = (region: string, arn: string) =>
  `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/stackinfo?stackId=${encodeURIComponent(arn)}`;

/** What a line reads access points and manual steps from: the live stacks' outputs and ids, the region and the plan. */
export const deployedView = (deployment: Pick<Deployment, 'plan' | 'region'>, stacks: readonly Pick<LiveStack, 'id' | 'outputs' | 'arn'>[]): DeployedView => ({
  outputs: Object.fromEntries(stacks.map((s) => [s.id, s.outputs])),
  stackArns: Object.fromEntries(stacks.flatMap((s) => (s.arn ? [[s.id, s.arn]] : []))),
  region: deployment.region,
  plan: deployment.plan,
});

export async function deploymentOverview(deployment: Deployment, username: string): Promise<Overview> {
  const line = lineOf(deployment.plan);
  const planned = planStacks(deployment.plan, line.stacks);
  try {
    // Each stack is read in its own account (the plan may put some in another one).
    const access = await accessFor(deployment, username);
    const stacks = await Promise.all(
      planned.map(async (s): Promise<LiveStack> => {
        const { context, target } = access.of(s.meta.id);
        const state = await describeStack(context.cloudFormation, s.stackName);
        const exists = state && state.status !== 'REVIEW_IN_PROGRESS';
        return {
          id: s.meta.id,
          title: s.meta.title,
          stackName: s.stackName,
          status: exists ? state.status : 'NOT_DEPLOYED',
          arn: exists ? state.arn : undefined,
          consoleUrl: exists ? stackConsoleUrl(context.region, state.arn) : undefined,
          outputs: exists ? state.outputs : {},
          ...(target ? { account: target.accountId } : {}),
        };
      }),
    );
    const view = deployedView(deployment, stacks);
    return { stacks, accessPoints: line.accessPoints(view.outputs, view), manualSteps: line.manualSteps?.(view) ?? [] };
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return {
      stacks: planned.map((s) => ({ id: s.meta.id, title: s.meta.title, stackName: s.stackName, status: 'UNKNOWN', outputs: {} })),
      accessPoints: [],
      manualSteps: [],
      problem: error.message,
    };
  }
}
