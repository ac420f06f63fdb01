// Secrets Manager over JSON 1.1: enough to read (and minimally write) the secrets stacks
// create, including the values GenerateSecretString produced.
import { ACCOUNT_ID } from '../auth/identity';
import { AwsError } from '../core/errors';
import { upperAlnum, uuid } from '../core/ids';
import type { RegionState, SecretState } from '../core/state';

type Body = Record<string, unknown>;
const seconds = (ms: number) => ms / 1000;
const notFound = () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

function findSecret(r: RegionState, id: unknown): SecretState {
  if (typeof id !== 'string' || id === '') throw new AwsError('ValidationException', "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
  const secret = Object.values(r.secrets).find((s) => s.arn === id || s.name === id || s.arn.replace(/-[A-Za-z0-9]{6}$/, '') === id);
  if (!secret) throw notFound();
  return secret;
}

export function handleSecretsManager(action: string, body: Body, r: RegionState, region: string): Body {
  switch (action) {
    case 'GetSecretValue': {
      const secret = findSecret(r, body.SecretId);
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
        Tags: [],
      };
    }
    case 'CreateSecret': {
      const name = body.Name;
      if (typeof name !== 'string' || name === '') throw new AwsError('ValidationException', "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
      if (Object.values(r.secrets).some((s) => s.name === name)) {
        throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
      }
      const arn = `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:${name}-${upperAlnum(6)}`;
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
      secret.secretString = typeof body.SecretString === 'string' ? body.SecretString : secret.secretString;
      secret.versionId = typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : uuid();
      secret.updatedAt = Date.now();
      return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, VersionStages: ['AWSCURRENT'] };
    }
    case 'DeleteSecret': {
      const secret = findSecret(r, body.SecretId);
      delete r.secrets[secret.arn];
      return { ARN: secret.arn, Name: secret.name, DeletionDate: seconds(Date.now()) };
    }
    case 'ListSecrets':
      return {
        SecretList: Object.values(r.secrets).map((s) => ({ ARN: s.arn, Name: s.name, Description: s.description, LastChangedDate: seconds(s.updatedAt) })),
      };
    default:
      throw new AwsError('UnknownOperationException', `The action ${action} is not valid for this web service.`);
  }
}
