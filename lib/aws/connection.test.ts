import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { startSandbox, type Sandbox } from '@/lib/sandbox/index';
import { createAwsContext } from './clients';
import { getConnection, resetConnectionForTests } from './connection';
import { preflight } from './preflight';

const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_CLOUDFORMATION', 'CONSOLE_SANDBOX', 'HOME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'CONSOLE_DATA_DIR'];
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
let home: string;
let standalone: Sandbox;

function environment(values: Record<string, string | undefined>) {
  for (const key of KEYS) delete process.env[key];
  // An empty home: no ~/.aws profiles; no instance metadata service on this machine.
  Object.assign(process.env, { HOME: home, AWS_EC2_METADATA_DISABLED: 'true', CONSOLE_DATA_DIR: home }, values);
  resetEnvForTests();
  resetConnectionForTests();
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lr-aws-'));
  standalone = await startSandbox({ timeScale: 0 });
});
afterEach(() => resetConnectionForTests());
afterAll(async () => {
  await standalone.close();
  rmSync(home, { recursive: true, force: true });
  for (const [key, value] of Object.entries(saved)) if (value === undefined) delete process.env[key];
  else process.env[key] = value;
  resetEnvForTests();
});

describe('the AWS connection', () => {
  it('falls back to the embedded sandbox when no credentials exist', async () => {
    environment({});
    const connection = await getConnection();
    expect(connection.mode).toBe('sandbox');
    expect(connection.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const identity = await createAwsContext(connection, 'us-east-1').sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('111111111111');
  });

  it('uses credentials from the default chain and AWS_ENDPOINT_URL, as LocalStack users set them', async () => {
    environment({ AWS_ENDPOINT_URL: standalone.endpoint, AWS_ACCESS_KEY_ID: standalone.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: standalone.credentials.secretAccessKey });
    const connection = await getConnection();
    expect(connection.mode).toBe('endpoint');
    expect(connection.endpoint).toBeUndefined(); // the SDK reads AWS_ENDPOINT_URL itself
    const result = await preflight(createAwsContext(connection, 'us-east-1'));
    expect(result).toEqual({ ok: true, region: 'us-east-1', identity: { account: '111111111111', arn: 'arn:aws:iam::111111111111:user/sandbox', userId: expect.any(String) } });
  });

  it('talks to AWS itself when the chain has credentials and no endpoint is set', async () => {
    environment({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'not-a-real-secret' });
    const connection = await getConnection();
    expect(connection.mode).toBe('aws');
    expect(connection.endpoint).toBeUndefined();
  });

  it('never uses the sandbox when told not to, and says clearly when there are no credentials', async () => {
    environment({ CONSOLE_SANDBOX: 'off' });
    const connection = await getConnection();
    expect(connection.mode).toBe('aws');
    const result = await preflight(createAwsContext(connection, 'us-east-1'));
    expect(result).toEqual({ ok: false, problem: expect.stringContaining('The console has no usable AWS credentials') });
  });
});

describe('the preflight through an assumed role', () => {
  const role = (externalId?: string) => ({ arn: 'arn:aws:iam::111111111111:role/LakerunnerDeployRole', externalId, sessionName: 'lakerunner-console-alice' });
  const connection = () => ({ mode: 'sandbox' as const, endpoint: standalone.endpoint, credentials: async () => standalone.credentials, defaultRegion: 'us-east-1' });

  it('acts as the assumed role with the right ExternalId, naming the console user', async () => {
    const result = await preflight(createAwsContext(connection(), 'us-east-1', role('lakerunner-sandbox')), role('lakerunner-sandbox'));
    expect(result.ok && result.identity.arn).toBe('arn:aws:sts::111111111111:assumed-role/LakerunnerDeployRole/lakerunner-console-alice');
  });

  it.each([['a wrong ExternalId', 'wrong'], ['no ExternalId', undefined]])('refuses %s with a message that names the role and the ExternalId', async (_case, externalId) => {
    const result = await preflight(createAwsContext(connection(), 'us-east-1', role(externalId)), role(externalId));
    expect(result).toEqual({
      ok: false,
      field: 'externalId',
      problem: 'AWS refused to let the console assume arn:aws:iam::111111111111:role/LakerunnerDeployRole: the role\'s trust policy does not allow it with this ExternalId. Check the ExternalId and the role\'s trust policy.',
    });
  });
});
