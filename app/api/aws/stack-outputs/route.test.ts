// The launch steps' reads of deployed stacks: GET in the console's own account, POST in another
// account through the plan's deploy role there (with its ExternalId, carried in the body only).
import { CloudFormationClient, CreateStackCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSession } from '@/lib/auth/sessions';
import { actAs } from '@/lib/auth/testing';
import type { Role } from '@/lib/auth/roles';
import { createUser } from '@/lib/auth/users';
import { engineOnSandbox } from '@/lib/deploy/testing/engine-on-sandbox';
import { SECOND_ACCOUNT_CREDENTIALS, SECOND_ACCOUNT_ID } from '@/lib/sandbox/index';
import { GET, POST } from './route';

vi.mock('next/headers', async () => (await import('@/lib/auth/testing')).fakeNextHeaders);

const A = '111111111111';
const B = SECOND_ACCOUNT_ID;
const ROLE_IN_B = `arn:aws:iam::${B}:role/LaunchStepsReader`;
const EXTERNAL_ID = 'launch-steps-91b3e0';
const fixture = engineOnSandbox('stack-outputs', { timeScale: 0 });

/** A stack named `name` with one output saying which account it is in. */
async function stackWithOutput(client: CloudFormationClient, name: string, value: string) {
  await client.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } }, Outputs: { Where: { Value: value }, QueueUrl: { Value: { Ref: 'Queue' } } } }),
    }),
  );
  await waitUntilStackCreateComplete({ client, maxWaitTime: 60, minDelay: 1 }, { StackName: name });
}

beforeAll(async () => {
  const { endpoint, region, credentials, seed } = fixture.sandbox;
  seed.role({
    arn: ROLE_IN_B,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }] },
  });
  // the same stack name in both accounts, each saying where it is
  await stackWithOutput(new CloudFormationClient({ endpoint, region, credentials }), 'ls-satellite', 'in A');
  await stackWithOutput(new CloudFormationClient({ endpoint, region, credentials: SECOND_ACCOUNT_CREDENTIALS }), 'ls-satellite', 'in B');
});
afterEach(() => actAs(undefined));

let users = 0;
async function signIn(role: Role) {
  const user = await createUser({ username: `u${(users += 1)}`, role, password: 'a long password' });
  actAs((await createSession(user.id, undefined)).token);
}

const get = (query: string) => GET(new Request(`http://console.test/api/aws/stack-outputs?${query}`), { params: Promise.resolve({}) });
const post = (body: unknown) =>
  POST(new Request('http://console.test/api/aws/stack-outputs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }), {
    params: Promise.resolve({}),
  });
const inB = (externalId = EXTERNAL_ID) => ({ accountId: B, region: 'us-east-1', roleArn: ROLE_IN_B, externalId });

describe('the outputs of deployed stacks for the launch steps', () => {
  it("reads a stack in the console's own account with GET", async () => {
    await signIn('viewer');
    const response = await get('region=us-east-1&stacks=ls-satellite,ls-missing');
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { available: boolean; stacks: Record<string, { status: string; outputs: Record<string, string> }> };
    expect(Object.keys(answer.stacks)).toEqual(['ls-satellite']);
    expect(answer.stacks['ls-satellite']).toMatchObject({ status: 'CREATE_COMPLETE', outputs: { Where: 'in A' } });
  });

  it("reads a stack in the plan's other account through its deploy role, with the ExternalId in the body", async () => {
    await signIn('deployer');
    const response = await post({ stacks: ['ls-satellite', 'ls-missing'], account: inB() });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const answer = (await response.json()) as { available: boolean; stacks: Record<string, { status: string; outputs: Record<string, string> }> };
    expect(answer.available).toBe(true);
    expect(Object.keys(answer.stacks)).toEqual(['ls-satellite']);
    expect(answer.stacks['ls-satellite']!.outputs.Where).toBe('in B');
    expect(answer.stacks['ls-satellite']!.outputs.QueueUrl).toContain(B);
  });

  it("answers unavailable, without the ExternalId, when the role's trust refuses it", async () => {
    await signIn('deployer');
    const response = await post({ stacks: ['ls-satellite'], account: inB('not-the-external-id') });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ available: false, reason: expect.stringMatching(/AssumeRole|assume/) });
    expect(text).not.toContain('not-the-external-id');
  });

  it('refuses a malformed account on its field with a 400, and a viewer with a 403', async () => {
    await signIn('deployer');
    const wrong = await post({ stacks: ['ls-satellite'], account: { ...inB(), roleArn: `arn:aws:iam::${A}:role/Elsewhere` } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { fieldErrors: Record<string, string> }).fieldErrors['account.roleArn']).toBe(`The role must be in account ${B}, the account the stacks go to.`);
    const badName = await post({ stacks: ['1bad'], account: inB() });
    expect(badName.status).toBe(400);
    expect(((await badName.json()) as { fieldErrors: Record<string, string> }).fieldErrors.stacks).toMatch(/Stack names use letters/);
    await signIn('viewer');
    expect((await post({ stacks: ['ls-satellite'], account: inB() })).status).toBe(403);
  });
});
