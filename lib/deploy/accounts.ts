// The AWS access of a run whose plan spans accounts: one context per placement (the deployment's
// own account through its deploy role, each other account through the role the plan gives there),
// each stack acting through its account's context, and the preflight of every account: identity,
// the role's trust, and the Fargate quota of the stacks it holds. Credentials stay in lib/aws.
import 'server-only';
import { createAwsContext, sessionNameFor, type AwsContext, type RoleToAssume } from '@/lib/aws/clients';
import type { Connection } from '@/lib/aws/connection';
import { preflight, type Identity } from '@/lib/aws/preflight';
import { HOME, placementOf, placements, type AccountTarget } from '@/lib/params/accounts';
import type { Plan } from '@/lib/params/plan';
import type { Deployment } from '@/lib/store/deployments';
import { lineOf } from '@/templates';
import type { StackId } from '@/templates/stack';
import { checkFargateCapacity, type CapacityCheck } from './capacity';
import type { Operation } from './scope';

/** One account a run acts in: its context and, for another account, the target the plan names. */
export interface Placement {
  /** HOME, or the line's AccountGroup id. */
  id: string;
  context: AwsContext;
  role?: RoleToAssume;
  target?: AccountTarget;
  /** The plan's stacks placed here (every stack of the line, included or not). */
  stacks: StackId[];
}

export interface RunAccess {
  home: Placement;
  /** Every placement the plan uses, the deployment's account first. */
  all: Placement[];
  of(stackId: StackId): Placement;
}

export const roleOfTarget = (target: AccountTarget, username: string): RoleToAssume => ({
  arn: target.roleArn,
  ...(target.externalId ? { externalId: target.externalId } : {}),
  sessionName: sessionNameFor(username),
});

/** The contexts of a deployment's run: `home` for its own account, one per other account of its plan. */
export function runAccess(connection: Connection, deployment: Pick<Deployment, 'plan' | 'region'>, homeRole: RoleToAssume | undefined, username: string, home?: AwsContext): RunAccess {
  const metas = lineOf(deployment.plan).stacks;
  const homePlacement: Placement = { id: HOME, context: home ?? createAwsContext(connection, deployment.region, homeRole), ...(homeRole ? { role: homeRole } : {}), stacks: [] };
  const all = placements(deployment.plan, metas).map(({ placement, stacks }): Placement => {
    if (placement === HOME) return Object.assign(homePlacement, { stacks });
    const target = deployment.plan.accounts![placement]!;
    const role = roleOfTarget(target, username);
    return { id: placement, context: createAwsContext(connection, target.region, role), role, target, stacks };
  });
  if (!all.includes(homePlacement)) all.unshift(homePlacement);
  const byId = new Map(all.map((p) => [p.id, p]));
  return {
    home: homePlacement,
    all,
    of: (stackId) => byId.get(placementOf(deployment.plan, metas.find((m) => m.id === stackId))) ?? homePlacement,
  };
}

/** The placements of `access` other than the deployment's own account. */
export const otherAccounts = (access: RunAccess) => access.all.filter((p): p is Placement & { target: AccountTarget } => p.target !== undefined);

export type AccountsCheck = { ok: true; identities: Map<string, Identity> } | { ok: false; problem: string };

/**
 * Preflight of every other account: the role can be assumed (its trust allows the console's
 * identity, with the ExternalId), the credentials reach the account the plan names, and
 * CloudFormation answers in its region. Refusals name the account and what to do there.
 */
export async function checkOtherAccounts(access: RunAccess): Promise<AccountsCheck> {
  const identities = new Map<string, Identity>();
  for (const placement of otherAccounts(access)) {
    const { target } = placement;
    const checked = await preflight(placement.context, placement.role);
    if (!checked.ok) {
      const trust =
        checked.field === 'externalId'
          ? ` In account ${target.accountId}, let the console's identity assume ${target.roleArn}: its trust policy must name this console's account (or role) and require the External ID the plan gives.`
          : '';
      return { ok: false, problem: `Account ${target.accountId} (${target.region}): ${checked.problem}${trust}` };
    }
    if (checked.identity.account !== target.accountId)
      return {
        ok: false,
        problem: `The role ${target.roleArn} reaches account ${checked.identity.account}, not ${target.accountId}, the account the plan puts these stacks in. Give a role in account ${target.accountId}, or correct the account ID.`,
      };
    identities.set(placement.id, checked.identity);
  }
  return { ok: true, identities };
}

/** The Fargate quota of each account against the stacks it holds; the first refusal wins, warnings and notes are kept in order. */
export async function checkCapacityPerAccount(access: RunAccess, plan: Plan, operation: Operation, homeAccount: string): Promise<CapacityCheck[]> {
  if (access.all.length === 1) return [await checkFargateCapacity(access.home.context, plan, operation)];
  const checks: CapacityCheck[] = [];
  for (const placement of access.all) {
    const stacks = new Set(placement.stacks);
    checks.push(await checkFargateCapacity(placement.context, plan, operation, { stacks: (id) => stacks.has(id), account: placement.target?.accountId ?? homeAccount }));
  }
  return checks;
}
