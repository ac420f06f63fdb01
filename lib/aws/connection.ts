// How the console reaches AWS: the default credential chain against AWS, an endpoint given by
// AWS_ENDPOINT_URL (LocalStack and friends), or the embedded sandbox when no credentials exist.
// Decided once per process; credentials never leave this module's callers on the server.
import 'server-only';
import { join } from 'node:path';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { env } from '@/lib/env';
import { getEmbeddedSandbox } from '@/lib/sandbox/embedded';

export type ConnectionMode = 'sandbox' | 'aws' | 'endpoint';

export interface Connection {
  mode: ConnectionMode;
  /** Set for the sandbox; for 'endpoint' the SDK reads AWS_ENDPOINT_URL* itself. */
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  defaultRegion: string;
  /** Roles the sandbox accepts, shown as examples on the deploy page. */
  sandboxRoles?: readonly { arn: string; externalId: string }[];
  sandboxAccount?: string;
}

const KEY = Symbol.for('lakerunner.console.connection');
type Holder = { [KEY]?: Promise<Connection> };

async function sandboxConnection(): Promise<Connection> {
  const config = env();
  const sandbox = await getEmbeddedSandbox({
    port: config.SANDBOX_PORT,
    timeScale: config.SANDBOX_TIME_SCALE,
    stateFile: join(config.CONSOLE_DATA_DIR, 'sandbox-state.json'),
    controlToken: config.SANDBOX_CONTROL_TOKEN,
  });
  const { accessKeyId, secretAccessKey } = sandbox.credentials;
  return {
    mode: 'sandbox',
    endpoint: sandbox.endpoint,
    credentials: async () => ({ accessKeyId, secretAccessKey }),
    defaultRegion: config.AWS_REGION ?? sandbox.region,
    sandboxRoles: sandbox.roles,
    sandboxAccount: sandbox.accountId,
  };
}

/** Whether the default chain (env, profile, SSO, container or instance role) yields credentials. */
async function chainHasCredentials(provider: AwsCredentialIdentityProvider): Promise<boolean> {
  try {
    await provider();
    return true;
  } catch {
    return false;
  }
}

async function connect(): Promise<Connection> {
  const config = env();
  if (config.CONSOLE_SANDBOX === 'on') return sandboxConnection();
  const chain = fromNodeProviderChain({ timeout: 1000, maxRetries: 0 });
  const region = config.AWS_REGION ?? 'us-east-1';
  if (config.AWS_ENDPOINT_URL || config.AWS_ENDPOINT_URL_CLOUDFORMATION) return { mode: 'endpoint', credentials: chain, defaultRegion: region };
  if (config.CONSOLE_SANDBOX === 'off' || (await chainHasCredentials(chain))) {
    // A fresh chain for real use: its cache refreshes expiring credentials on its own.
    return { mode: 'aws', credentials: fromNodeProviderChain(), defaultRegion: region };
  }
  return sandboxConnection();
}

/** Forgets the process's connection (tests that switch environments). */
export function resetConnectionForTests(): void {
  delete (globalThis as Holder)[KEY];
}

export function getConnection(): Promise<Connection> {
  const holder = globalThis as Holder;
  holder[KEY] ??= connect().catch((error: unknown) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}
