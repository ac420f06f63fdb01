// SDK clients for one AWS context (connection + region + optional assumed role), configured
// once: adaptive retries for throttling, connection and request timeouts so a hung endpoint ends
// in an error rather than a run that waits forever, the sandbox endpoint when there is one.
import 'server-only';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Connection } from './connection';

export interface RoleToAssume {
  arn: string;
  externalId?: string;
  /** Names the console user in CloudTrail: lakerunner-console-<user>. */
  sessionName: string;
}

export interface AwsContext {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  cloudFormation: CloudFormationClient;
  sts: STSClient;
  ec2: EC2Client;
  ecs: ECSClient;
  rds: RDSClient;
  s3: S3Client;
  secretsManager: SecretsManagerClient;
  serviceQuotas: ServiceQuotasClient;
  /**
   * ECR in `region` (the context's own by default): a private registry may sit in another region
   * than the stacks that pull from it. Same credentials, retries and timeouts; one client per region.
   */
  ecr(region?: string): ECRClient;
}

/** The per-attempt cap; the adaptive mode adds client-side rate limiting when AWS throttles. */
const MAX_ATTEMPTS = 10;

/**
 * How long one attempt may wait, given to the SDK's NodeHttpHandler. The SDK sets none by default,
 * so an endpoint that accepts a connection and never answers would hold a run forever. An attempt
 * that times out is a transient error to the SDK's retry strategy, so it is retried like any other
 * (up to MAX_ATTEMPTS, with its backoff) before the call fails as EndpointUnreachableError.
 */
export interface HttpTimeouts {
  /** Milliseconds to establish the TCP (and TLS) connection. */
  connectionTimeout: number;
  /** Milliseconds from sending a request to its response headers. AWS API calls answer in a few seconds. */
  requestTimeout: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = { connectionTimeout: 5_000, requestTimeout: 20_000 };

/** Client options for tests: shorter timeouts and fewer attempts than the console's. */
export interface ClientTuning {
  timeouts?: HttpTimeouts;
  maxAttempts?: number;
}

/** AssumeRole session names allow [\w+=,.@-]{2,64}. */
export const sessionNameFor = (user: string) => `lakerunner-console-${user}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);

export function createAwsContext(connection: Connection, region: string, role?: RoleToAssume, tuning: ClientTuning = {}): AwsContext {
  // Without throwOnRequestTimeout the handler only logs a warning when requestTimeout passes.
  const requestHandler = { ...(tuning.timeouts ?? HTTP_TIMEOUTS), throwOnRequestTimeout: true };
  const base = { region, endpoint: connection.endpoint, retryMode: 'adaptive' as const, maxAttempts: tuning.maxAttempts ?? MAX_ATTEMPTS, requestHandler };
  const credentials = role
    ? fromTemporaryCredentials({
        masterCredentials: connection.credentials,
        params: { RoleArn: role.arn, ExternalId: role.externalId || undefined, RoleSessionName: role.sessionName, DurationSeconds: 3600 },
        clientConfig: { region, endpoint: connection.endpoint, requestHandler, ...(tuning.maxAttempts && { maxAttempts: tuning.maxAttempts }) },
      })
    : connection.credentials;
  const config = { ...base, credentials };
  const registries = new Map<string, ECRClient>();
  const ecr = (at: string = region) => {
    let client = registries.get(at);
    if (!client) registries.set(at, (client = new ECRClient({ ...config, region: at })));
    return client;
  };
  return {
    region,
    credentials,
    cloudFormation: new CloudFormationClient(config),
    sts: new STSClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    rds: new RDSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: connection.mode !== 'aws' }),
    secretsManager: new SecretsManagerClient(config),
    serviceQuotas: new ServiceQuotasClient(config),
    ecr,
  };
}
