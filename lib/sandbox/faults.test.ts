import { CloudFormationClient, CreateStackCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Faults } from './core/faults';
import { startSandbox, type Sandbox } from './index';
import { allEvents, eventLines, sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture({ controlToken: 'control-token-for-tests' });
});
afterEach(() => f.sandbox.faults.clear());
afterAll(() => f.sandbox.close());

const calls = (name: string) => f.sandbox.metrics()[name] ?? 0;

describe('throttling', () => {
  it('throttled calls answer "Throttling: Rate exceeded" (400) in the query protocol and ThrottlingException in JSON', async () => {
    f.sandbox.faults.throttle({ fraction: 1, actions: ['ListStacks', 'secretsmanager.GetSecretValue'] });
    const once = new CloudFormationClient({ ...f.config, maxAttempts: 1 });
    await expect(once.send(new ListStacksCommand({}))).rejects.toMatchObject({ name: 'Throttling', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    const secrets = new SecretsManagerClient({ ...f.config, maxAttempts: 1 });
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'x' }))).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    f.sandbox.faults.clear();
    await expect(once.send(new ListStacksCommand({}))).resolves.toBeDefined();
  });

  it('the SDK\'s retries get through a fraction of throttled calls; the sandbox counts every attempt', async () => {
    f.sandbox.faults.throttle({ fraction: 0.5, actions: ['cloudformation.ListStacks'] });
    const before = calls('cloudformation.ListStacks');
    const attempts: number[] = [];
    for (let i = 0; i < 4; i++) attempts.push((await f.cfn.send(new ListStacksCommand({}))).$metadata.attempts!);

    // Every second call is throttled: the first goes through, each later one on its retry.
    expect(attempts).toEqual([1, 2, 2, 2]);
    expect(calls('cloudformation.ListStacks') - before).toBe(7);
  });

  it('throttling applies only to the named actions', async () => {
    f.sandbox.faults.throttle({ fraction: 1, actions: ['DescribeStackEvents'] });
    await expect(new CloudFormationClient({ ...f.config, maxAttempts: 1 }).send(new ListStacksCommand({}))).resolves.toBeDefined();
  });

  it('a throttle with a duration expires by itself', () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000);
    try {
      const faults = new Faults();
      faults.throttle({ fraction: 1, durationMs: 500 });
      expect(faults.shouldThrottle('cloudformation', 'ListStacks')).toBe(true);
      now.mockReturnValue(1_500);
      expect(faults.shouldThrottle('cloudformation', 'ListStacks')).toBe(false);
    } finally {
      now.mockRestore();
    }
  });
});

describe('HTTP control API', () => {
  const control = (path: string, init: RequestInit = {}, token = 'control-token-for-tests') =>
    fetch(`${f.sandbox.endpoint}/_sandbox/${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

  it('answers 404 for everything when no control token is configured', async () => {
    const plain: Sandbox = await startSandbox({ timeScale: 0 });
    try {
      const response = await fetch(`${plain.endpoint}/_sandbox/health`, { headers: { authorization: 'Bearer anything' } });
      expect(response.status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('requires the bearer token: 401 without or with a wrong one', async () => {
    expect((await fetch(`${f.sandbox.endpoint}/_sandbox/health`)).status).toBe(401);
    expect((await control('health', {}, 'wrong-token-wrong-token')).status).toBe(401);
    const health = await control('health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, region: 'us-east-1' });
  });

  it('injects resource failures, throttles, clears, reports metrics and changes the time scale', async () => {
    expect((await control('faults', { method: 'POST', body: JSON.stringify({ logicalId: 'Doomed', operation: 'create', reason: 'Injected over HTTP' }) })).status).toBe(204);
    await f.cfn.send(new CreateStackCommand({ StackName: 'http-fault', TemplateBody: template({ Doomed: ssmParameter('x') }) }));
    expect((await waitForStack(f.cfn, 'http-fault')).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, 'http-fault'))).toContain('Doomed CREATE_FAILED Injected over HTTP');

    expect((await control('throttle', { method: 'POST', body: JSON.stringify({ fraction: 1, actions: ['ListStacks'] }) })).status).toBe(204);
    const once = new CloudFormationClient({ ...f.config, maxAttempts: 1 });
    await expect(once.send(new ListStacksCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
    expect((await control('faults', { method: 'DELETE' })).status).toBe(204);
    await expect(once.send(new ListStacksCommand({}))).resolves.toBeDefined();

    const metrics = (await (await control('metrics')).json()) as Record<string, number>;
    expect(metrics['cloudformation.CreateStack']).toBeGreaterThanOrEqual(1);
    expect(metrics['cloudformation.ListStacks']).toBe(calls('cloudformation.ListStacks'));

    expect((await control('time-scale', { method: 'POST', body: JSON.stringify({ scale: 'fast' }) })).status).toBe(400);
    expect((await control('time-scale', { method: 'POST', body: JSON.stringify({ scale: 0.002 }) })).status).toBe(204);
    expect(await (await control('health')).json()).toMatchObject({ timeScale: 0.002 });
  });

  it('refuses malformed fault requests with 400 and a reason', async () => {
    const response = await control('faults', { method: 'POST', body: JSON.stringify({ logicalId: 'X', operation: 'explode' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'failResource needs logicalId, operation (create, update or delete) and reason' });
    const held = await control('faults', { method: 'POST', body: JSON.stringify({ logicalId: 'X', operation: 'create', reason: 'r', whileInProgress: 7 }) });
    expect(held.status).toBe(400);
    expect(await held.json()).toEqual({ error: 'whileInProgress must be a stack name' });
    expect((await control('throttle', { method: 'POST', body: JSON.stringify({ fraction: 2 }) })).status).toBe(400);
    expect((await control('faults', { method: 'POST', body: '{not json' })).status).toBe(400);
  });
});

describe('quirks of other emulators', () => {
  const control = (path: string, body: unknown) =>
    fetch(`${f.sandbox.endpoint}/_sandbox/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { authorization: 'Bearer control-token-for-tests', 'content-type': 'application/json' } });
  const exporting = template(
    { Value: ssmParameter('v') },
    { Outputs: { Name: { Value: { Ref: 'Value' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-Name' } } } } },
  );

  it('reports only stack-level events while stackEventsOnly is on', async () => {
    expect((await control('quirks', { stackEventsOnly: true })).status).toBe(204);
    await f.cfn.send(new CreateStackCommand({ StackName: 'quirk-events', TemplateBody: template({ A: ssmParameter('a'), B: ssmParameter('b') }) }));
    await waitForStack(f.cfn, 'quirk-events');
    const events = await allEvents(f.cfn, 'quirk-events');
    expect(eventLines(events)).toEqual(['quirk-events CREATE_IN_PROGRESS User Initiated', 'quirk-events CREATE_COMPLETE']);
    // the resources still exist; only their events are not reported
    f.sandbox.faults.clear();
    const resources = (await allEvents(f.cfn, 'quirk-events')).filter((e) => e.ResourceType === 'AWS::SSM::Parameter');
    expect([...new Set(resources.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`))].sort()).toEqual(['A CREATE_COMPLETE', 'A CREATE_IN_PROGRESS', 'B CREATE_COMPLETE', 'B CREATE_IN_PROGRESS']);
  });

  it('completes the named stacks without outputs, so their exports do not exist', async () => {
    f.sandbox.faults.emulate({ stacksWithoutOutputs: ['quirk-bare'] });
    await f.cfn.send(new CreateStackCommand({ StackName: 'quirk-bare', TemplateBody: exporting }));
    await f.cfn.send(new CreateStackCommand({ StackName: 'quirk-full', TemplateBody: exporting }));
    const bare = await waitForStack(f.cfn, 'quirk-bare');
    const full = await waitForStack(f.cfn, 'quirk-full');
    expect(bare.StackStatus).toBe('CREATE_COMPLETE');
    expect(bare.Outputs ?? []).toEqual([]);
    expect(full.Outputs?.map((o) => o.ExportName)).toEqual(['quirk-full-Name']);
    await f.cfn.send(new CreateStackCommand({ StackName: 'quirk-importer', TemplateBody: template({ P: ssmParameter({ 'Fn::ImportValue': 'quirk-bare-Name' }) }) }));
    const importer = await waitForStack(f.cfn, 'quirk-importer');
    expect(importer.StackStatus).toBe('ROLLBACK_COMPLETE');
  });

  it('refuses malformed quirks with 400 and a reason', async () => {
    const response = await control('quirks', { stacksWithoutOutputs: 'all' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'stacksWithoutOutputs must be a list of stack names' });
  });
});
