// STS over the query protocol: GetCallerIdentity for whoever signed the call, and AssumeRole
// for the configured roles with their ExternalId and for roles stacks created, by their trust
// policy, handing out temporary credentials.
import { newSession, type Identity, type RoleConfig } from '../auth/identity';
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
  roles: readonly RoleConfig[];
  now: number;
  changed(): void;
}

function getCallerIdentity(ctx: StsContext): XmlValue {
  return { UserId: ctx.identity.userId, Account: ctx.identity.account, Arn: ctx.identity.arn };
}

const ROLE_EXISTS = /^(CREATE_COMPLETE|UPDATE_|IMPORT_COMPLETE|DELETE_IN_PROGRESS|DELETE_FAILED)/;

/** A role some stack created (IAM is global: any region's stacks), judged by its trust policy. */
function stackRoleTrusts(ctx: StsContext, roleArn: string, externalId: string | undefined): boolean {
  for (const region of Object.values(ctx.world.regions)) {
    for (const stack of region.stacks) {
      if (stack.deletedAt !== undefined) continue;
      for (const resource of Object.values(stack.resources)) {
        if (resource.type !== 'AWS::IAM::Role' || resource.attributes.Arn !== roleArn || !ROLE_EXISTS.test(resource.status)) continue;
        return trustAllows(resource.properties.AssumeRolePolicyDocument, { caller: ctx.identity, externalId });
      }
    }
  }
  return false;
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
  const configured = ctx.roles.find((r) => r.arn === roleArn);
  const trusted = configured ? externalId === configured.externalId : stackRoleTrusts(ctx, roleArn, externalId);
  // A wrong or missing ExternalId is indistinguishable from no permission at all, as in AWS.
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
