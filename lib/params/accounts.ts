// Where each stack of a plan runs: in the deployment's own account and region, or in another AWS
// account the plan gives for a group of stacks its line lets move together (the current line's
// satellite). Isomorphic plain data and pure functions; lib/aws makes the credentials from it.
import type { StackId, StackMeta } from '@/templates/stack';
import type { RegionCode } from './regions';

/** Another AWS account a group of the plan's stacks goes to, and the role the console assumes there. */
export interface AccountTarget {
  /** 12 digits; preflight checks the role's credentials reach exactly this account. */
  accountId: string;
  region: RegionCode;
  /** The deploy role in that account (its trust must allow the console's identity). */
  roleArn: string;
  /** The ExternalId its trust asks for; empty for none. Kept out of logs, links and streams. */
  externalId: string;
}

/** A group of a line's stacks a plan may place in another account (StackMeta.accountGroup names it). */
export interface AccountGroup {
  readonly id: string;
  /** The checkbox's label. */
  readonly label: string;
  /** One sentence under it. */
  readonly help: string;
  /** Set when the group must stay in the plan's region: the field error, saying why. */
  readonly sameRegion?: string;
}

/** The plan's other accounts, by AccountGroup.id; a group absent here is in the deployment's account. */
export type PlanAccounts = Partial<Record<string, AccountTarget>>;

/** The placement of stacks in the deployment's own account. */
export const HOME = 'home';

type Placed = { accounts?: PlanAccounts };

/** The group a stack is placed with (its AccountGroup id), or HOME when it is in the deployment's account. */
export function placementOf(plan: Placed, meta: Pick<StackMeta, 'accountGroup'> | undefined): string {
  const group = meta?.accountGroup;
  return group && plan.accounts?.[group] ? group : HOME;
}

/** The other account a stack goes to, or undefined when it is in the deployment's account. */
export function targetOf(plan: Placed, meta: Pick<StackMeta, 'accountGroup'> | undefined): AccountTarget | undefined {
  const placement = placementOf(plan, meta);
  return placement === HOME ? undefined : plan.accounts?.[placement];
}

/** Whether `producer`'s outputs come from another account than `consumer`'s. */
export function crossesAccounts(plan: Placed, metas: readonly Pick<StackMeta, 'id' | 'accountGroup'>[], consumer: StackId, producer: StackId): boolean {
  const of = (id: StackId) => placementOf(plan, metas.find((m) => m.id === id));
  return of(consumer) !== of(producer);
}

/** The placements a plan uses, the deployment's account first, each with its stacks in plan order. */
export function placements(plan: Placed, metas: readonly Pick<StackMeta, 'id' | 'accountGroup'>[]): { placement: string; stacks: StackId[] }[] {
  const byPlacement = new Map<string, StackId[]>([[HOME, []]]);
  for (const meta of metas) {
    const placement = placementOf(plan, meta);
    byPlacement.set(placement, [...(byPlacement.get(placement) ?? []), meta.id]);
  }
  return [...byPlacement].filter(([, stacks]) => stacks.length > 0).map(([placement, stacks]) => ({ placement, stacks }));
}

/** How the pages name an account: "account 222222222222, us-east-1" or the deployment's account (with its id when known). */
export function accountLabel(plan: Placed & { region: string }, meta: Pick<StackMeta, 'accountGroup'> | undefined, homeAccount?: string): string {
  const target = targetOf(plan, meta);
  if (target) return `account ${target.accountId}, ${target.region}`;
  return homeAccount ? `account ${homeAccount}, ${plan.region}` : `the deployment’s account, ${plan.region}`;
}

export const ACCOUNT_ID = /^\d{12}$/;
export const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
/** What STS accepts as an ExternalId: 2 to 1,224 of these characters. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export const ACCOUNT_MESSAGES = {
  accountId: 'Account ID must be 12 digits, such as 222222222222.',
  roleArn: 'Role ARN must be an IAM role ARN, such as arn:aws:iam::222222222222:role/LakerunnerDeployRole.',
  roleAccount: (account: string) => `The role must be in account ${account}, the account the stacks go to.`,
  externalId: 'External ID must be 2 to 1,224 characters: letters, digits and + = , . @ : / - _ (or empty for none).',
  region: 'Choose a region from the list.',
} as const;

/** The problems of one target, by field (isomorphic, used by the plan schema). */
export function targetProblems(target: AccountTarget): Partial<Record<keyof AccountTarget, string>> {
  const problems: Partial<Record<keyof AccountTarget, string>> = {};
  if (!ACCOUNT_ID.test(target.accountId)) problems.accountId = ACCOUNT_MESSAGES.accountId;
  const role = ROLE_ARN.exec(target.roleArn);
  if (!role) problems.roleArn = ACCOUNT_MESSAGES.roleArn;
  else if (!problems.accountId && role[1] !== target.accountId) problems.roleArn = ACCOUNT_MESSAGES.roleAccount(target.accountId);
  if (target.externalId !== '' && !EXTERNAL_ID.test(target.externalId)) problems.externalId = ACCOUNT_MESSAGES.externalId;
  return problems;
}

/** The plan with its accounts' ExternalIds taken out (for the browser's localStorage); `secrets` holds them. */
export function splitAccountSecrets(accounts: PlanAccounts | undefined): { open?: PlanAccounts; secrets: Record<string, string> } {
  if (!accounts) return { secrets: {} };
  const open: PlanAccounts = {};
  const secrets: Record<string, string> = {};
  for (const [group, target] of Object.entries(accounts)) {
    if (!target) continue;
    if (target.externalId) secrets[group] = target.externalId;
    open[group] = { ...target, externalId: '' };
  }
  return { open, secrets };
}

/**
 * For pages: each placement the plan uses with its label ("account 222222222222, us-east-1") and
 * its stacks, the deployment's account first; undefined when every stack is in the deployment's account.
 */
export function accountSections(plan: Placed & { region: string }, metas: readonly Pick<StackMeta, 'id' | 'accountGroup'>[], homeAccount?: string): { label: string; stacks: StackId[] }[] | undefined {
  const used = placements(plan, metas);
  if (used.length < 2) return undefined;
  return used.map(({ stacks }) => ({ label: accountLabel(plan, metas.find((m) => m.id === stacks[0]), homeAccount), stacks }));
}

/**
 * Where to read the named stacks: those in the deployment's account (`home`), and each other
 * account's with its target (the launch steps read each stack's outputs in its own account).
 */
export function stacksByAccount<S extends { stackName: string; meta: Pick<StackMeta, 'accountGroup'> }>(plan: Placed, stacks: readonly S[]): { home: string[]; others: { account: AccountTarget; names: string[] }[] } {
  const home: string[] = [];
  const others = new Map<AccountTarget, string[]>();
  for (const stack of stacks) {
    const target = targetOf(plan, stack.meta);
    if (target) others.set(target, [...(others.get(target) ?? []), stack.stackName]);
    else home.push(stack.stackName);
  }
  return { home, others: [...others].map(([account, names]) => ({ account, names })) };
}
