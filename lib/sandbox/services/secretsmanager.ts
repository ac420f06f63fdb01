// Secrets Manager over JSON 1.1: enough to read (and minimally write) the secrets stacks
// create, including the values GenerateSecretString produced; deletion with a recovery window
// (the name stays taken) or forced, and RestoreSecret.
import { AwsError } from '../core/errors';
import { upperAlnum, uuid } from '../core/ids';
import type { RegionState, SecretState } from '../core/state';

type Body = Record<string, unknown>;
const seconds = (ms: number) => ms / 1000;
const notFound = () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
const DAY = 86_400_000;
const markedForDeletion = () => new AwsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");

/** A secret's name registered by the stack that created it (CloudFormation's uniqueness check). */
const releaseName = (r: RegionState, secret: SecretState) => {
  const key = `AWS::SecretsManager::Secret|${secret.name}`;
  if (secret.ownerStackId && r.names[key]?.startsWith(`${secret.ownerStackId}|`)) delete r.names[key];
};

function findSecret(r: RegionState, id: unknown): SecretState {
  if (typeof id !== 'string' || id === '') throw new AwsError('ValidationException', "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
  const secret = Object.values(r.secrets).find((s) => s.arn === id || s.name === id || s.arn.replace(/-[A-Za-z0-9]{6}$/, '') === id);
  if (!secret) throw notFound();
  return secret;
}

export function handleSecretsManager(action: string, body: Body, r: RegionState, region: string, account: string): Body {
  // Secrets whose recovery window ended are gone for good.
  for (const secret of Object.values(r.secrets)) {
    if (secret.deletionDate !== undefined && secret.deletionDate <= Date.now()) {
      delete r.secrets[secret.arn];
      releaseName(r, secret);
    }
  }
  switch (action) {
    case 'GetSecretValue': {
      const secret = findSecret(r, body.SecretId);
      if (secret.deletedAt !== undefined) throw markedForDeletion();
      if (secret.secretString === undefined) {
        throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: secret.versionId,
        SecretString: secret.secretString,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: seconds(secret.updatedAt),
      };
    }
    case 'DescribeSecret': {
      const secret = findSecret(r, body.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        Description: secret.description,
        CreatedDate: seconds(secret.createdAt),
        LastChangedDate: seconds(secret.updatedAt),
        VersionIdsToStages: { [secret.versionId]: ['AWSCURRENT'] },
        DeletedDate: secret.deletedAt === undefined ? undefined : seconds(secret.deletedAt),
        Tags: [],
      };
    }
    case 'CreateSecret': {
      const name = body.Name;
      if (typeof name !== 'string' || name === '') throw new AwsError('ValidationException', "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
      const taken = Object.values(r.secrets).find((s) => s.name === name);
      if (taken?.deletedAt !== undefined) throw new AwsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
      if (taken) throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
      const arn = `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${upperAlnum(6)}`;
      const now = Date.now();
      r.secrets[arn] = {
        arn,
        name,
        description: typeof body.Description === 'string' ? body.Description : undefined,
        secretString: typeof body.SecretString === 'string' ? body.SecretString : undefined,
        versionId: typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : uuid(),
        createdAt: now,
        updatedAt: now,
      };
      return { ARN: arn, Name: name, VersionId: r.secrets[arn]!.versionId };
    }
    case 'PutSecretValue': {
      const secret = findSecret(r, body.SecretId);
      if (secret.deletedAt !== undefined) throw markedForDeletion();
      secret.secretString = typeof body.SecretString === 'string' ? body.SecretString : secret.secretString;
      secret.versionId = typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : uuid();
      secret.updatedAt = Date.now();
      return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, VersionStages: ['AWSCURRENT'] };
    }
    case 'DeleteSecret': {
      const force = body.ForceDeleteWithoutRecovery === true;
      const days = body.RecoveryWindowInDays;
      if (force && days !== undefined) {
        throw new AwsError('InvalidParameterException', 'You can\'t use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.');
      }
      if (days !== undefined && !(typeof days === 'number' && Number.isInteger(days) && days >= 7 && days <= 30)) {
        throw new AwsError('InvalidParameterException', 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
      }
      const secret = findSecret(r, body.SecretId);
      const now = Date.now();
      if (force) {
        delete r.secrets[secret.arn];
        releaseName(r, secret);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds(now) };
      }
      if (secret.deletedAt !== undefined) throw markedForDeletion();
      secret.deletedAt = now;
      secret.deletionDate = now + (typeof days === 'number' ? days : 30) * DAY;
      return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds(secret.deletionDate) };
    }
    case 'RestoreSecret': {
      const secret = findSecret(r, body.SecretId);
      secret.deletedAt = undefined;
      secret.deletionDate = undefined;
      return { ARN: secret.arn, Name: secret.name };
    }
    case 'ListSecrets':
      return {
        SecretList: Object.values(r.secrets)
          .filter((s) => s.deletedAt === undefined || body.IncludePlannedDeletion === true)
          .map((s) => ({ ARN: s.arn, Name: s.name, Description: s.description, LastChangedDate: seconds(s.updatedAt), DeletedDate: s.deletedAt === undefined ? undefined : seconds(s.deletedAt) })),
      };
    default:
      throw new AwsError('UnknownOperationException', `The action ${action} is not valid for this web service.`);
  }
}
