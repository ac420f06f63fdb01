import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAwsContext } from '@/lib/aws/clients';
import { defaultPlan, type Plan } from '@/lib/params/plan';
import { planFootprint } from '@/lib/plan/estimate';
import { lineMeta } from '@/templates';
import { sizeParams } from '@/lib/params/sizes';
import { createDeployment } from '@/lib/store/deployments';
import { runEventsSince } from '@/lib/store/run-events';
import { checkFargateCapacity } from './capacity';
import { cancelRun, prepareRun, RunRefusedError } from './engine';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';
import { METAS_2025, namedPlan2025 } from '@/lib/plan/testing/line-2025';

const ACCOUNT = '111111111111';
const FARGATE = { serviceCode: 'fargate', quotaCode: 'L-3032A538' };

const fixture = engineOnSandbox('capacity');
afterEach(() => fixture.sandbox.quotas.reset());

const context = () => createAwsContext({ mode: 'sandbox', endpoint: fixture.sandbox.endpoint, credentials: async () => fixture.sandbox.credentials, defaultRegion: 'us-east-1' }, 'us-east-1');

function plan(name: string, size: 'production' | 'proof-of-concept'): Plan {
  const p = namedPlan2025(name);
  if (size === 'proof-of-concept') for (const param of sizeParams(METAS_2025)) p.params[param.stackId]![param.key] = param.proofOfConcept;
  return p;
}

describe('the Fargate quota preflight', () => {
  it('refuses the default plan on an account whose quota is 16 vCPUs, with the numbers and what to do', async () => {
    fixture.sandbox.quotas.set({ ...FARGATE, value: 16 });
    const check = await checkFargateCapacity(context(), plan('big', 'production'), { kind: 'deploy' });
    expect(check.refusal).toContain('The plan runs 29.75 vCPUs of Fargate On-Demand capacity (22 tasks), and up to 59 vCPUs while an update rolls');
    expect(check.refusal).toContain('the account\'s quota in us-east-1 is 16 vCPUs (Service Quotas → AWS Fargate → "Fargate On-Demand vCPU resource count", L-3032A538)');
    expect(check.refusal).toContain('Nothing was created. Before deploying, request an increase to at least 59 vCPUs in the Service Quotas console');
    expect(check.refusal).toContain('or choose smaller sizes (the "Proof of concept" size runs 11.75 vCPUs, up to 23 vCPUs during updates)');
  });

  it('passes the "Proof of concept" sizes on that account, warning that updates need more', async () => {
    fixture.sandbox.quotas.set({ ...FARGATE, value: 16 });
    const check = await checkFargateCapacity(context(), plan('small', 'proof-of-concept'), { kind: 'deploy' });
    expect(check.refusal).toBeUndefined();
    expect(check.warning).toContain('The plan runs 11.75 vCPUs');
    expect(check.warning).toContain('an update\'s new tasks would wait for capacity');
    expect(check.warning).toContain('request an increase to at least 23 vCPUs');
  });

  it('checks the plan as the run leaves it: a size change to fewer tasks passes where the deployed sizes would not', async () => {
    fixture.sandbox.quotas.set({ ...FARGATE, value: 16 });
    const sizes = Object.fromEntries(
      [...new Set(sizeParams(METAS_2025).map((p) => p.stackId))].map((id) => [id, Object.fromEntries(sizeParams(METAS_2025).filter((p) => p.stackId === id).map((p) => [p.key, p.proofOfConcept]))]),
    );
    expect((await checkFargateCapacity(context(), plan('resize', 'production'), { kind: 'update-sizes', sizes })).refusal).toBeUndefined();
    expect((await checkFargateCapacity(context(), plan('resize', 'production'), { kind: 'teardown' })).refusal).toBeUndefined();
  });

  it('notes the numbers when the quota holds both, and says so when it cannot be read', async () => {
    expect((await checkFargateCapacity(context(), plan('fits', 'production'), { kind: 'deploy' })).note).toContain('quota in us-east-1 is 4,000 vCPUs');
    // An emulator that does not serve Service Quotas
    const emulator = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'UnknownOperationException' });
      res.end(JSON.stringify({ __type: 'UnknownOperationException', message: 'Service servicequotas is not served here' }));
    });
    await new Promise<void>((resolve) => emulator.listen(0, '127.0.0.1', resolve));
    const { port } = emulator.address() as AddressInfo;
    const elsewhere = createAwsContext({ mode: 'endpoint', endpoint: `http://127.0.0.1:${port}`, credentials: async () => fixture.sandbox.credentials, defaultRegion: 'us-east-1' }, 'us-east-1');
    const check = await checkFargateCapacity(elsewhere, plan('unknown', 'production'), { kind: 'deploy' });
    emulator.close();
    expect(check.refusal).toBeUndefined();
    expect(check.note).toMatch(/^The plan runs 29\.75 vCPUs .*\. The Fargate quota was not checked: Service Quotas answered: Service servicequotas is not served here$/);
  });

  it('says in words when the endpoint answers Service Quotas with a web page, never with the SDK\'s parser errors', async () => {
    // Given an endpoint that answers Service Quotas (JSON) with an HTML error page
    const page = createServer((request, response) => {
      request.resume();
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const { port } = page.address() as AddressInfo;
    const elsewhere = createAwsContext({ mode: 'endpoint', endpoint: `http://127.0.0.1:${port}`, credentials: async () => fixture.sandbox.credentials, defaultRegion: 'us-east-1' }, 'us-east-1');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // When the preflight checks the quota there
      const check = await checkFargateCapacity(elsewhere, plan('html', 'production'), { kind: 'deploy' });
      // Then the run's note says what happened and what it means, and nothing of the SDK's internals
      expect(check.refusal).toBeUndefined();
      expect(check.note).toMatch(
        /^The plan runs 29\.75 vCPUs .*\. The Fargate quota was not checked: Service Quotas could not be asked, because the endpoint answered with a web page \(HTML, HTTP 404\) instead of an AWS response: whatever answers there \(an emulator without this service, or a proxy, gateway or sign-in page in the way\) does not serve this AWS API\.$/,
      );
      expect(check.note).not.toMatch(/Unexpected token|Deserialization|\$response/);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^AWS GetServiceQuota: .*Deserialization error/));
    } finally {
      warn.mockRestore();
      page.close();
    }
  });

  it('is what prepareRun checks before it creates anything, and the run notes what it found', async () => {
    fixture.sandbox.quotas.set({ ...FARGATE, value: 16 });
    const big = await createDeployment({ name: 'quota-big', plan: plan('quota-big', 'production'), createdBy: 'alice' });
    const refused = prepareRun({ deploymentId: big.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    await expect(refused).rejects.toBeInstanceOf(RunRefusedError);
    await expect(refused).rejects.toThrow(/29\.75 vCPUs .* quota in us-east-1 is 16 vCPUs/);

    const small = await createDeployment({ name: 'quota-small', plan: plan('quota-small', 'proof-of-concept'), createdBy: 'alice' });
    const run = await prepareRun({ deploymentId: small.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    await untilRun(run.id, ['awaiting-approval']);
    const notes = (await runEventsSince(run.id, 0, 1000)).flatMap((e) => (e.event.type === 'note' ? [e.event] : []));
    expect(notes.some((n) => n.level === 'warn' && n.message.includes('11.75 vCPUs'))).toBe(true);
    await cancelRun(run.id, 'alice');
  });

  it('counts the tasks of nested stacks and warns when the autoscaled services could not reach their ceilings (the current line)', async () => {
    const current = defaultPlan(lineMeta('current'));
    const footprint = planFootprint(current);
    // lakerunner at upstream's defaults (23.5 vCPUs, the fact sheet's figure) and one collector; 27 more at the process tier's ceilings
    expect(footprint.vcpu).toBe(24.5);
    expect(footprint.ceilingVcpu).toBe(51.5);
    fixture.sandbox.quotas.set({ ...FARGATE, value: 50 });
    const check = await checkFargateCapacity(context(), current, { kind: 'deploy' });
    expect(check.refusal).toBeUndefined();
    expect(check.warning).toContain('The plan runs 24.5 vCPUs of Fargate On-Demand capacity (14 tasks), 51.5 vCPUs with its autoscaled services at their ceilings, and up to 49 vCPUs while an update rolls');
    expect(check.warning).toContain('could not grow past the quota');
  });
});
