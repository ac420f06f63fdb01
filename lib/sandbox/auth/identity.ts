// Who a request comes from: each account's sandbox user (fixed, documented keys for the two
// built-in accounts; more from options or the control API) and the temporary credentials STS
// AssumeRole hands out, which act in their role's account.
import { alnum, upperAlnum } from '../core/ids';

/** The default account: the one the sandbox's `credentials` sign in to, and old state files hold. */
export const DEFAULT_ACCOUNT_ID = '111111111111';
/** A second built-in account, for deployments that span accounts. */
export const SECOND_ACCOUNT_ID = '222222222222';

/** Fixed keys for the default account's user; they open nothing outside the sandbox. */
export const SANDBOX_CREDENTIALS = {
  accessKeyId: 'AKIASANDBOX000000001',
  secretAccessKey: 'sandbox/SECRET/key/for/the/local/sandbox',
} as const;

/** Fixed keys for the second account's user. */
export const SECOND_ACCOUNT_CREDENTIALS = {
  accessKeyId: 'AKIASANDBOX000000002',
  secretAccessKey: 'sandbox/SECRET/key/for/the/second/account',
} as const;

export const SANDBOX_USER = {
  arn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:user/sandbox`,
  userId: 'AIDASANDBOXUSER000001',
} as const;

/** An account's IAM user and its long-term keys. */
export interface UserConfig {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Default `sandbox`. */
  readonly userName?: string;
}

export const BUILT_IN_USERS: readonly UserConfig[] = [
  { accountId: DEFAULT_ACCOUNT_ID, ...SANDBOX_CREDENTIALS },
  { accountId: SECOND_ACCOUNT_ID, ...SECOND_ACCOUNT_CREDENTIALS },
];

/**
 * A role AssumeRole accepts. With `trustPolicy`, that policy decides (as for any role); without it,
 * principals of the role's own account may assume it when they pass `externalId`.
 */
export type RoleConfig =
  | { readonly arn: string; readonly externalId: string; readonly trustPolicy?: undefined }
  | { readonly arn: string; readonly trustPolicy: unknown; readonly externalId?: string };

export const DEFAULT_ROLES: readonly RoleConfig[] = [
  { arn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/LakerunnerDeployRole`, externalId: 'lakerunner-sandbox' },
];

export interface Identity {
  readonly accessKeyId: string;
  /** The caller ARN GetCallerIdentity reports. */
  readonly arn: string;
  readonly userId: string;
  readonly account: string;
}

export interface Session {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly assumedRoleArn: string;
  readonly assumedRoleId: string;
}

export interface KeyLookup {
  secretAccessKey: string;
  sessionToken?: string;
  expiresAt?: number;
  identity: Identity;
}

const ACCOUNT = /^\d{12}$/;
const ACCESS_KEY = /^AKIA[A-Z0-9]{16}$/;
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;

/** The account and name of a role ARN, or undefined when it is not one. */
export function parseRoleArn(arn: string): { account: string; name: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { account: match[1]!, name: match[2]! } : undefined;
}

/** Why a user configuration is unusable, or undefined when it is fine. */
export function userProblem(user: Partial<UserConfig>): string | undefined {
  if (typeof user.accountId !== 'string' || !ACCOUNT.test(user.accountId)) return 'accountId must be 12 digits';
  if (typeof user.accessKeyId !== 'string' || !ACCESS_KEY.test(user.accessKeyId)) return 'accessKeyId must be AKIA followed by 16 upper-case letters or digits';
  if (typeof user.secretAccessKey !== 'string' || user.secretAccessKey.length < 16) return 'secretAccessKey must have at least 16 characters';
  if (user.userName !== undefined && (typeof user.userName !== 'string' || !USER_NAME.test(user.userName))) return 'userName must be 1 to 64 of letters, digits and +=,.@_-';
  return undefined;
}

/** A stable IAM-looking unique id (`AIDA…`, `AROA…`) derived from an ARN. */
function stableId(prefix: string, arn: string): string {
  let hash = 0;
  for (const c of arn) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `${prefix}SANDBOX${hash.toString(36).toUpperCase().padStart(10, '0')}`.slice(0, prefix.length + 17);
}

export function userIdentity(user: UserConfig): Identity {
  const arn = `arn:aws:iam::${user.accountId}:user/${user.userName ?? 'sandbox'}`;
  // The default account's user keeps the id it always had.
  const userId = arn === SANDBOX_USER.arn ? SANDBOX_USER.userId : stableId('AIDA', arn);
  return { accessKeyId: user.accessKeyId, arn, userId, account: user.accountId };
}

/** Resolves an access key id to its secret and the identity it acts as: a user's, or a session's. */
export function lookupKey(accessKeyId: string, users: ReadonlyMap<string, UserConfig>, sessions: Readonly<Record<string, Session>>): KeyLookup | undefined {
  const user = users.get(accessKeyId);
  if (user) return { secretAccessKey: user.secretAccessKey, identity: userIdentity(user) };
  const session = sessions[accessKeyId];
  if (!session) return undefined;
  const account = session.assumedRoleArn.split(':')[4] ?? DEFAULT_ACCOUNT_ID;
  return {
    secretAccessKey: session.secretAccessKey,
    sessionToken: session.sessionToken,
    expiresAt: session.expiresAt,
    identity: { accessKeyId, arn: session.assumedRoleArn, userId: session.assumedRoleId, account },
  };
}

/** New temporary credentials for `roleArn`, attributed to `assumed-role/<name>/<session>` in the role's account. */
export function newSession(roleArn: string, sessionName: string, durationSeconds: number, now: number): Session {
  const role = parseRoleArn(roleArn);
  const roleName = role?.name ?? roleArn.split('/').pop() ?? 'role';
  return {
    accessKeyId: `ASIA${upperAlnum(16)}`,
    secretAccessKey: alnum(40),
    sessionToken: `FwoGZXIvYXdzE${alnum(300)}`,
    expiresAt: now + durationSeconds * 1000,
    assumedRoleArn: `arn:aws:sts::${role?.account ?? DEFAULT_ACCOUNT_ID}:assumed-role/${roleName}/${sessionName}`,
    assumedRoleId: `${stableId('AROA', roleArn)}:${sessionName}`,
  };
}
