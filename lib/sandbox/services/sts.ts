// STS over the query protocol: GetCallerIdentity for whoever signed the call, and AssumeRole
// (within an account or across accounts) for configured, seeded and stack-created roles, by
// their trust policy, handing out temporary credentials that act in the role's account.
import type { Directory } from '../auth/directory';
import { newSession, type Identity } from '../auth/identity';
import { trustAllows } from '../auth/trust';
import { AwsError, validationError } from '../core/errors';
import type { SandboxState } from '../core/state';
import { str, type QueryParams } from '../protocols/query';
import type { XmlValue } from '../protocols/xml';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export interface StsContext {
  world: SandboxState;
  identity: Identity;
  directory: Directory;
  now: number;
  changed(): void;
}

function getCallerIdentity(ctx: StsContext): XmlValue {
  return { UserId: ctx.identity.userId, Account: ctx.identity.account, Arn: ctx.identity.arn };
}

function assumeRole(ctx: StsContext, params: QueryParams): XmlValue {
  const roleArn = str(params, 'RoleArn');
  const sessionName = str(params, 'RoleSessionName');
  if (!roleArn) throw validationError("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  if (!sessionName || !SESSION_NAME.test(sessionName)) {
    throw validationError(
      `1 validation error detected: Value '${sessionName ?? 'null'}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const duration = Number(str(params, 'DurationSeconds') ?? 3600);
  if (!Number.isInteger(duration) || duration < 900) {
    throw validationError(`1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
  }
  if (duration > 3600) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const externalId = str(params, 'ExternalId');
  const policy = ctx.directory.trustPolicy(roleArn);
  const trusted = policy !== undefined && trustAllows(policy, { caller: ctx.identity, externalId });
  // A missing role, a wrong or missing ExternalId and an untrusted caller look alike, as in AWS.
  if (!trusted) {
    throw new AwsError('AccessDenied', `User: ${ctx.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  for (const [key, session] of Object.entries(ctx.world.sessions)) if (session.expiresAt <= ctx.now) delete ctx.world.sessions[key];
  const session = newSession(roleArn, sessionName, duration, ctx.now);
  ctx.world.sessions[session.accessKeyId] = session;
  ctx.changed();
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiresAt),
    },
    AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.assumedRoleArn },
    PackedPolicySize: 0,
  };
}

export const STS_ACTIONS: Record<string, (ctx: StsContext, params: QueryParams) => XmlValue> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};
