// The sandbox's IAM directory: every account's users (built in, from options, or added at run time
// and kept in the state) and the roles AssumeRole may hand out — configured ones, seeded ones and
// those stacks created — each with the trust policy that decides who may assume it.
import { accountState, regionState, SEEDED_OWNER as SEEDED, type SandboxState } from '../core/state';
import { BUILT_IN_USERS, lookupKey, parseRoleArn, userIdentity, userProblem, type KeyLookup, type RoleConfig, type UserConfig } from './identity';

const ROLE_EXISTS = /^(CREATE_COMPLETE|UPDATE_|IMPORT_COMPLETE|DELETE_IN_PROGRESS|DELETE_FAILED)/;
/** The registry key a role's name takes in its account, as a stack-created role's does. */
const roleNameKey = (name: string) => `AWS::IAM::Role|${name}`;

/** A configured role without its own policy: its account's principals, with its ExternalId. */
const shorthandPolicy = (account: string, externalId: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }],
});

function parseDocument(document: unknown): Record<string, unknown> | undefined {
  let parsed = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

export interface RoleSeed {
  /** The role's ARN (`arn:aws:iam::<account>:role/[path/]<name>`). */
  arn: string;
  /** The AssumeRolePolicyDocument, as an object or JSON text. */
  trustPolicy: unknown;
}

export class Directory {
  private readonly fixed = new Map<string, UserConfig>();

  constructor(
    private readonly world: SandboxState,
    extraUsers: readonly UserConfig[],
    private readonly configured: readonly RoleConfig[],
  ) {
    for (const user of [...BUILT_IN_USERS, ...extraUsers]) {
      const problem = userProblem(user);
      if (problem) throw new Error(`account ${String(user.accountId)}: ${problem}`);
      if (this.fixed.has(user.accessKeyId)) throw new Error(`access key ${user.accessKeyId} is given twice`);
      this.fixed.set(user.accessKeyId, { ...user });
    }
    for (const role of configured) {
      if (!parseRoleArn(role.arn)) throw new Error(`${role.arn} is not a role ARN`);
      if (role.trustPolicy === undefined && typeof role.externalId !== 'string') throw new Error(`role ${role.arn} needs an externalId or a trustPolicy`);
    }
  }

  /** Every user, by access key id. */
  users(): Map<string, UserConfig> {
    return new Map([...this.fixed, ...Object.entries(this.world.users)]);
  }

  lookup(accessKeyId: string): KeyLookup | undefined {
    return lookupKey(accessKeyId, this.users(), this.world.sessions);
  }

  /** Every account with a user, the default first. */
  accounts(): { accountId: string; userArn: string; accessKeyId: string }[] {
    return [...this.users().values()].map((user) => ({ accountId: user.accountId, userArn: userIdentity(user).arn, accessKeyId: user.accessKeyId }));
  }

  /** Adds an account's user (kept in the state); the same user again is a no-op. */
  addUser(user: UserConfig) {
    const problem = userProblem(user);
    if (problem) throw new Error(problem);
    const existing = this.users().get(user.accessKeyId);
    if (existing) {
      const same = existing.accountId === user.accountId && existing.secretAccessKey === user.secretAccessKey && (existing.userName ?? 'sandbox') === (user.userName ?? 'sandbox');
      if (!same) throw new Error(`access key ${user.accessKeyId} already belongs to another user`);
      return;
    }
    const arn = userIdentity(user).arn;
    if ([...this.users().values()].some((u) => userIdentity(u).arn === arn)) throw new Error(`${arn} already exists with other keys`);
    this.world.users[user.accessKeyId] = { accountId: user.accountId, accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey, userName: user.userName };
    accountState(this.world, user.accountId);
  }

  /** Configured roles that name an ExternalId (the examples a console shows). */
  configuredRoles(): { arn: string; externalId: string }[] {
    return this.configured.flatMap((r) => (r.externalId === undefined ? [] : [{ arn: r.arn, externalId: r.externalId }]));
  }

  /** Seeds (or replaces) a role in its account; a name a stack's role holds is refused. */
  putRole(seed: RoleSeed) {
    const role = typeof seed.arn === 'string' ? parseRoleArn(seed.arn) : undefined;
    if (!role) throw new Error('arn must be a role ARN: arn:aws:iam::<12 digits>:role/[path/]<name>');
    const policy = parseDocument(seed.trustPolicy);
    if (!policy || typeof policy.Statement !== 'object' || policy.Statement === null) {
      throw new Error('trustPolicy must be a policy document with a Statement');
    }
    if (this.configured.some((r) => r.arn === seed.arn)) throw new Error(`${seed.arn} is configured by the sandbox's options`);
    const account = accountState(this.world, role.account);
    const holder = account.globalNames[roleNameKey(role.name)];
    if (holder && holder !== SEEDED) throw new Error(`A role named ${role.name} already exists in account ${role.account} (created by a stack)`);
    account.globalNames[roleNameKey(role.name)] = SEEDED;
    account.roles[role.name] = { arn: seed.arn, trustPolicy: policy, createdAt: Date.now() };
  }

  /** Removes a seeded role; false when there was none. */
  deleteRole(arn: string): boolean {
    const role = parseRoleArn(arn);
    const account = role && this.world.accounts[role.account];
    if (!role || !account || account.roles[role.name]?.arn !== arn) return false;
    delete account.roles[role.name];
    delete account.globalNames[roleNameKey(role.name)];
    return true;
  }

  /** The trust policy of the role `arn`, or undefined when no such role exists. */
  trustPolicy(arn: string): unknown {
    const configured = this.configured.find((r) => r.arn === arn);
    if (configured) return configured.trustPolicy ?? shorthandPolicy(parseRoleArn(arn)!.account, configured.externalId!);
    const role = parseRoleArn(arn);
    if (!role) return undefined;
    const account = this.world.accounts[role.account];
    if (!account) return undefined;
    const seeded = account.roles[role.name];
    if (seeded) return seeded.arn === arn ? seeded.trustPolicy : undefined;
    // A role some stack of that account created (IAM is global: any region's stacks).
    for (const region of Object.keys(account.regions)) {
      for (const stack of regionState(this.world, role.account, region).stacks) {
        if (stack.deletedAt !== undefined) continue;
        for (const resource of Object.values(stack.resources)) {
          if (resource.type === 'AWS::IAM::Role' && resource.attributes.Arn === arn && ROLE_EXISTS.test(resource.status)) return resource.properties.AssumeRolePolicyDocument;
        }
      }
    }
    return undefined;
  }
}
