// Who a request comes from: the built-in sandbox user (fixed, documented keys) and the
// temporary credentials STS AssumeRole hands out for the configured roles.
import { alnum, upperAlnum } from '../core/ids';

export const ACCOUNT_ID = '111111111111';

/** Fixed keys for the sandbox user; they open nothing outside the sandbox. */
export const SANDBOX_CREDENTIALS = {
  accessKeyId: 'AKIASANDBOX000000001',
  secretAccessKey: 'sandbox/SECRET/key/for/the/local/sandbox',
} as const;

export const SANDBOX_USER = {
  arn: `arn:aws:iam::${ACCOUNT_ID}:user/sandbox`,
  userId: 'AIDASANDBOXUSER000001',
} as const;

export interface RoleConfig {
  readonly arn: string;
  readonly externalId: string;
}

export const DEFAULT_ROLES: readonly RoleConfig[] = [
  { arn: `arn:aws:iam::${ACCOUNT_ID}:role/LakerunnerDeployRole`, externalId: 'lakerunner-sandbox' },
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

const userIdentity: Identity = {
  accessKeyId: SANDBOX_CREDENTIALS.accessKeyId,
  arn: SANDBOX_USER.arn,
  userId: SANDBOX_USER.userId,
  account: ACCOUNT_ID,
};

/** Resolves an access key id to its secret and the identity it acts as. */
export function lookupKey(accessKeyId: string, sessions: Readonly<Record<string, Session>>): KeyLookup | undefined {
  if (accessKeyId === SANDBOX_CREDENTIALS.accessKeyId) {
    return { secretAccessKey: SANDBOX_CREDENTIALS.secretAccessKey, identity: userIdentity };
  }
  const session = sessions[accessKeyId];
  if (!session) return undefined;
  return {
    secretAccessKey: session.secretAccessKey,
    sessionToken: session.sessionToken,
    expiresAt: session.expiresAt,
    identity: { accessKeyId, arn: session.assumedRoleArn, userId: session.assumedRoleId, account: ACCOUNT_ID },
  };
}

/** New temporary credentials for `roleArn`, attributed to `assumed-role/<name>/<session>`. */
export function newSession(roleArn: string, sessionName: string, durationSeconds: number, now: number): Session {
  const roleName = roleArn.split('/').pop() ?? 'role';
  return {
    accessKeyId: `ASIA${upperAlnum(16)}`,
    secretAccessKey: alnum(40),
    sessionToken: `FwoGZXIvYXdzE${alnum(300)}`,
    expiresAt: now + durationSeconds * 1000,
    assumedRoleArn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleName}/${sessionName}`,
    assumedRoleId: `AROA${stableRoleId(roleArn)}:${sessionName}`,
  };
}

function stableRoleId(roleArn: string): string {
  let hash = 0;
  for (const c of roleArn) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `SANDBOX${hash.toString(36).toUpperCase().padStart(10, '0')}`.slice(0, 17);
}
