import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORBIDDEN } from '@/lib/auth/messages';
import { createSession } from '@/lib/auth/sessions';
import { actAs } from '@/lib/auth/testing';
import { createUser } from '@/lib/auth/users';
import { createAwsContext } from '@/lib/aws/clients';
import { getConnection } from '@/lib/aws/connection';
import { toYaml } from '@/lib/cfn/serialize';
import { resetEnvForTests } from '@/lib/env';
import { defaultPlan2025 } from '@/lib/plan/testing/line-2025';
import { getEmbeddedSandbox } from '@/lib/sandbox/embedded';
import type { Sandbox } from '@/lib/sandbox/index';
import { waitForStack } from '@/lib/sandbox/testing';
import { listAudit } from '@/lib/store/audit';
import { stackOwners } from '@/lib/store/stack-owners';
import { closeDb } from '@/lib/store/db';
import { createDeployment, getDeployment, listDeployments } from '@/lib/store/deployments';
import { stackById } from '@/templates';
import { renderTemplate, type StackId } from '@/templates/stack';
import { attachStacksAction, discoverStacksAction, type Discovery } from './actions';

vi.mock('next/headers', async () => (await import('@/lib/auth/testing')).fakeNextHeaders);

const API_KEYS = '- organization_id: 12340000-0000-4000-8000-000000000000\n  keys:\n    - attach-test-api-key\n';
let dir: string;
let sandbox: Sandbox;
let cfn: CloudFormationClient;
const sessions: Record<'viewer' | 'deployer', string> = { viewer: '', deployer: '' };

const outputsOf = (stack: Stack) => Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));

async function deploy(id: StackId, stackName: string, values: Record<string, string>): Promise<Stack> {
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: toYaml(renderTemplate(stackById('2025', id))),
      Parameters: Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  return waitForStack(cfn, stackName);
}

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
};

async function discovered(): Promise<Discovery> {
  const result = await discoverStacksAction(form({ region: 'us-east-1' }));
  if (!result.ok) throw new Error(`discovery failed: ${JSON.stringify(result)}`);
  return result.data;
}

const candidate = async (name: string) => (await discovered()).candidates.find((c) => c.suggestedName === name)!;

/** Runs the attach action; Next's redirect() surfaces as an error whose digest names the target. */
async function attach(values: Record<string, string>) {
  try {
    return { result: await attachStacksAction(form(values)) };
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? '';
    if (!digest.startsWith('NEXT_REDIRECT')) throw error;
    return { redirectedTo: digest.split(';')[2] };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lr-attach-'));
  Object.assign(process.env, { CONSOLE_DATA_DIR: dir, CONSOLE_SANDBOX: 'on', SANDBOX_TIME_SCALE: '0.0005' });
  resetEnvForTests();
  sandbox = await getEmbeddedSandbox({ timeScale: 0.0005 });
  cfn = createAwsContext(await getConnection(), 'us-east-1').cloudFormation;

  // "lakerunner": a VPC and a common stack, both complete
  const net = outputsOf(await deploy('vpc', 'lakerunner-vpc', {}));
  await deploy('common', 'lakerunner-common', { VpcId: net.VpcId!, PrivateSubnets: net.PrivateSubnets!, PublicSubnets: net.PublicSubnets!, ApiKeysOverride: API_KEYS });
  // "acme": a common stack and a collector whose creation failed
  const acmeNet = outputsOf(await deploy('vpc', 'acme-vpc', { EnvironmentName: 'acme' }));
  await deploy('common', 'acme-common', { VpcId: acmeNet.VpcId!, PrivateSubnets: acmeNet.PrivateSubnets!, PublicSubnets: acmeNet.PublicSubnets! });
  sandbox.faults.failResource({ stackName: 'acme-otel', logicalId: 'CollectorService', operation: 'create', reason: 'Service did not stabilize' });
  await deploy('otel', 'acme-otel', { CommonInfraStackName: 'acme-common' });

  for (const role of ['viewer', 'deployer'] as const) {
    const user = await createUser({ username: `attach-${role}`, role, password: 'a long password' });
    sessions[role] = (await createSession(user.id, undefined)).token;
  }
}, 120_000);

afterEach(async () => actAs(undefined));
afterAll(async () => {
  await closeDb();
  rmSync(dir, { recursive: true, force: true });
});

describe('discoverStacksAction', () => {
  it('is for deployers', async () => {
    actAs(sessions.viewer);
    expect(await discoverStacksAction(form({ region: 'us-east-1' }))).toEqual({ ok: false, formError: FORBIDDEN });
  });

  it('answers a region outside the list with a field error', async () => {
    actAs(sessions.deployer);
    const result = await discoverStacksAction(form({ region: 'mars-north-1' }));
    expect(result).toEqual({ ok: false, fieldErrors: { region: 'Choose a region from the list.' } });
  });

  it('lists the deployments found with their stacks and the account, and no parameter values', async () => {
    actAs(sessions.deployer);
    const found = await discovered();
    expect(found.account).toBe(sandbox.accountId);
    expect(found.candidates.map((c) => [c.suggestedName, c.stacks.map((s) => s.stackName), c.complete])).toEqual([
      ['acme', ['acme-vpc', 'acme-common', 'acme-otel'], false],
      ['lakerunner', ['lakerunner-vpc', 'lakerunner-common'], true],
    ]);
    const text = JSON.stringify(found);
    expect(text).not.toContain('attach-test-api-key');
    expect(text).not.toMatch(/subnet-|"VpcId"/);
  });
});

describe('attachStacksAction', () => {
  it('adopts complete stacks as a deployed deployment, audits it and opens its page', async () => {
    // given the discovered "lakerunner" stacks
    actAs(sessions.deployer);
    const { anchor } = await candidate('lakerunner');
    // when attached under another name
    const outcome = await attach({ region: 'us-east-1', anchor, name: 'Main site' });
    // then the browser is sent to the new deployment, which holds the rebuilt plan
    expect(outcome.redirectedTo).toMatch(/^\/deployments\/dep-[0-9a-f]{12}$/);
    const deployment = (await getDeployment(outcome.redirectedTo!.split('/')[2]!))!;
    expect(deployment).toMatchObject({ name: 'Main site', region: 'us-east-1', status: 'deployed', account: sandbox.accountId, createdBy: 'attach-deployer' });
    expect(deployment.plan).toMatchObject({ name: 'Main site', network: 'new', stackNames: { vpc: 'lakerunner-vpc', common: 'lakerunner-common' } });
    expect(deployment.plan.params.common?.ApiKeysOverride).toBe('');
    const entry = (await listAudit()).entries.find((e) => e.action === 'deployment.attached');
    expect(entry).toMatchObject({ actor: 'attach-deployer', target: 'Main site', details: expect.objectContaining({ deploymentId: deployment.id, stacks: 'lakerunner-vpc,lakerunner-common' }) });
    // and a second discovery shows the stacks as attached
    expect((await candidate('lakerunner')).attachedAs).toEqual({ id: deployment.id, name: 'Main site' });
    // the stacks are the new deployment's: no other deployment may touch them
    const owners = await stackOwners(sandbox.accountId, 'us-east-1', ['lakerunner-vpc', 'lakerunner-common']);
    expect([...owners.values()].map((o) => o.deploymentName)).toEqual(['Main site', 'Main site']);
  });

  it('refuses to attach the same stacks twice', async () => {
    actAs(sessions.deployer);
    const { anchor } = await candidate('lakerunner');
    const before = (await listDeployments()).length;
    const { result } = await attach({ region: 'us-east-1', anchor, name: 'Main site again' });
    expect(result).toEqual({ ok: false, formError: 'These stacks are attached already, as Main site.' });
    expect(await listDeployments()).toHaveLength(before);
  });

  it('turns a taken name into an error on the name field', async () => {
    actAs(sessions.deployer);
    await createDeployment({ name: 'acme', plan: defaultPlan2025(), createdBy: 'someone' });
    const { anchor } = await candidate('acme');
    const { result } = await attach({ region: 'us-east-1', anchor, name: 'acme' });
    expect(result).toEqual({ ok: false, fieldErrors: { name: 'A deployment named acme exists already. Choose another name.' } });
  });

  it('marks a deployment with a stack that did not complete as failed', async () => {
    actAs(sessions.deployer);
    const { anchor } = await candidate('acme');
    const outcome = await attach({ region: 'us-east-1', anchor, name: 'acme-adopted' });
    const deployment = (await getDeployment(outcome.redirectedTo!.split('/')[2]!))!;
    expect(deployment.status).toBe('failed');
    expect(deployment.plan.include.otel).toBe(true);
  });

  it('checks its input and its caller', async () => {
    actAs(sessions.deployer);
    const { result } = await attach({ region: 'us-east-1', anchor: 'not-an-arn', name: '' });
    expect(result).toMatchObject({ ok: false, fieldErrors: { anchor: 'Discover the stacks first.', name: expect.stringMatching(/^Name must start/) } });
    const gone = await attach({ region: 'us-east-1', anchor: `arn:aws:cloudformation:us-east-1:${sandbox.accountId}:stack/gone-common/0000`, name: 'gone' });
    expect(gone.result).toEqual({ ok: false, formError: 'These stacks are no longer there as they were. Discover the stacks again.' });
    actAs(sessions.viewer);
    expect((await attach({ region: 'us-east-1', anchor: 'x', name: 'x' })).result).toEqual({ ok: false, formError: FORBIDDEN });
  });
});
