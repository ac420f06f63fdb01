import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixture, type Fixture } from './testing';

const TOKEN = 'quota-test-control-token';
let f: Fixture;
let quotas: ServiceQuotasClient;
beforeAll(async () => {
  f = await sandboxFixture({ controlToken: TOKEN });
  quotas = new ServiceQuotasClient(f.config);
});
afterAll(() => f.sandbox.close());

const fargate = { ServiceCode: 'fargate', QuotaCode: 'L-3032A538' };
const control = (method: string, body?: unknown) =>
  fetch(`${f.sandbox.endpoint}/_sandbox/quotas`, { method, headers: { Authorization: `Bearer ${TOKEN}` }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('Service Quotas through the SDK (JSON 1.1, SigV4)', () => {
  it('reports the Fargate On-Demand vCPU quota, applied and AWS default, with its usage metric', async () => {
    const { Quota } = await quotas.send(new GetServiceQuotaCommand(fargate));
    expect(Quota).toMatchObject({
      ServiceCode: 'fargate',
      QuotaCode: 'L-3032A538',
      QuotaName: 'Fargate On-Demand vCPU resource count',
      Value: 4000,
      QuotaArn: 'arn:aws:servicequotas:us-east-1:111111111111:fargate/L-3032A538',
      UsageMetric: { MetricNamespace: 'AWS/Usage', MetricName: 'ResourceCount' },
    });
    expect((await quotas.send(new GetAWSDefaultServiceQuotaCommand(fargate))).Quota?.Value).toBe(6);
  });

  it('answers a quota it does not model with NoSuchResourceException, and a missing code with a validation error', async () => {
    await expect(quotas.send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: 'L-1216C47A' }))).rejects.toMatchObject({ name: 'NoSuchResourceException' });
    await expect(quotas.send(new GetServiceQuotaCommand({ ServiceCode: 'fargate', QuotaCode: '' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('takes a configured value in process, per region or for all, until reset', async () => {
    f.sandbox.quotas.set({ serviceCode: 'fargate', quotaCode: 'L-3032A538', value: 16 });
    f.sandbox.quotas.set({ serviceCode: 'fargate', quotaCode: 'L-3032A538', value: 32, region: 'eu-west-1' });
    expect((await quotas.send(new GetServiceQuotaCommand(fargate))).Quota?.Value).toBe(16);
    const west = new ServiceQuotasClient({ ...f.config, region: 'eu-west-1' });
    expect((await west.send(new GetServiceQuotaCommand(fargate))).Quota?.Value).toBe(32);
    f.sandbox.quotas.reset();
    expect((await quotas.send(new GetServiceQuotaCommand(fargate))).Quota?.Value).toBe(4000);
    expect(() => f.sandbox.quotas.set({ serviceCode: 'ec2', quotaCode: 'L-1', value: 1 })).toThrow('models only');
  });

  it('takes a configured value over the control API', async () => {
    expect((await control('POST', { serviceCode: 'fargate', quotaCode: 'L-3032A538', value: 16 })).status).toBe(204);
    expect((await quotas.send(new GetServiceQuotaCommand(fargate))).Quota?.Value).toBe(16);
    expect((await control('POST', { serviceCode: 'fargate', quotaCode: 'L-3032A538', value: -1 })).status).toBe(400);
    expect((await control('DELETE')).status).toBe(204);
    expect((await quotas.send(new GetServiceQuotaCommand(fargate))).Quota?.Value).toBe(4000);
  });

  it('refuses an unsigned or wrongly signed request like every JSON service', async () => {
    const stranger = new ServiceQuotasClient({ ...f.config, credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } });
    await expect(stranger.send(new GetServiceQuotaCommand(fargate))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });
});
