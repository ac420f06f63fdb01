import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { ListServiceQuotasCommand } from '@aws-sdk/client-service-quotas';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsContext, HTTP_TIMEOUTS } from './clients';
import type { Connection } from './connection';
import { awsCall, EndpointUnreachableError } from './errors';

const credentials = async () => ({ accessKeyId: 'AKIATESTTESTTEST0000', secretAccessKey: 'not-a-secret' });

// An endpoint that accepts connections and reads requests but never answers: what a wedged
// emulator, proxy or firewall looks like to the SDK.
let hung: Server;
let endpoint: string;
const received: IncomingMessage[] = [];

beforeAll(async () => {
  hung = createServer((request) => {
    received.push(request);
    request.resume();
  });
  await new Promise<void>((listening) => hung.listen(0, '127.0.0.1', listening));
  endpoint = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
});
afterAll(async () => {
  hung.closeAllConnections();
  await new Promise((closed) => hung.close(closed));
});

const connection = (): Connection => ({ mode: 'sandbox', endpoint, credentials, defaultRegion: 'us-east-1' });
const tuning = { timeouts: { connectionTimeout: 1_000, requestTimeout: 300 }, maxAttempts: 2 };

describe('AWS clients against an endpoint that never answers', () => {
  it("gives every client the console's timeouts, a timeout being an error rather than a logged warning", async () => {
    const context = createAwsContext(connection(), 'us-east-1');
    for (const client of [context.cloudFormation, context.sts, context.ec2, context.rds, context.s3, context.secretsManager, context.serviceQuotas, context.ecr(), context.ecr('eu-west-1')]) {
      // The handler resolves its options lazily (NodeHttpHandler.configProvider).
      const handler = client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> };
      expect(await handler.configProvider).toMatchObject({ ...HTTP_TIMEOUTS, throwOnRequestTimeout: true });
    }
  });

  it('ends a call of each client in EndpointUnreachableError once its attempt times out', async () => {
    const context = createAwsContext(connection(), 'us-east-1', undefined, { ...tuning, maxAttempts: 1 });
    const calls: [string, () => Promise<unknown>][] = [
      ['DescribeStacks', () => context.cloudFormation.send(new DescribeStacksCommand({}))],
      ['GetCallerIdentity', () => context.sts.send(new GetCallerIdentityCommand({}))],
      ['DescribeVpcs', () => context.ec2.send(new DescribeVpcsCommand({}))],
      ['DescribeDBInstances', () => context.rds.send(new DescribeDBInstancesCommand({}))],
      ['ListBuckets', () => context.s3.send(new ListBucketsCommand({}))],
      ['ListSecrets', () => context.secretsManager.send(new ListSecretsCommand({}))],
      ['ListServiceQuotas', () => context.serviceQuotas.send(new ListServiceQuotasCommand({ ServiceCode: 'fargate' }))],
      ['DescribeRepositories', () => context.ecr('eu-west-1').send(new DescribeRepositoriesCommand({}))],
    ];
    const failures = await Promise.all(calls.map(([operation, call]) => awsCall(operation, call).catch((error: unknown) => error)));
    for (const [i, failure] of failures.entries()) {
      expect(failure, calls[i]![0]).toBeInstanceOf(EndpointUnreachableError);
      expect((failure as EndpointUnreachableError).operation).toBe(calls[i]![0]);
    }
  });

  it('fails with EndpointUnreachableError saying it did not answer in time, after the SDK retried the attempt', async () => {
    // Given the console's clients with short timeouts, pointed at the hung endpoint
    const context = createAwsContext(connection(), 'us-east-1', undefined, tuning);
    const before = received.length;
    const started = Date.now();

    // When a call is made
    const failure = await awsCall('DescribeStacks', () => context.cloudFormation.send(new DescribeStacksCommand({}))).catch((error: unknown) => error);

    // Then it ends, as a clear error, once each attempt has timed out
    expect(failure).toBeInstanceOf(EndpointUnreachableError);
    expect((failure as Error).message).toBe('The AWS endpoint did not answer in time: it is slow, overloaded or out of reach.');
    expect((failure as EndpointUnreachableError).operation).toBe('DescribeStacks');
    expect(received.length - before).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * tuning.timeouts.requestTimeout);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('assuming a role there fails the same way instead of waiting for credentials forever', async () => {
    const context = createAwsContext(connection(), 'us-east-1', { arn: 'arn:aws:iam::111111111111:role/Deploy', sessionName: 'lakerunner-console-test' }, tuning);
    const before = received.length;
    const failure = await awsCall('GetCallerIdentity', () => context.sts.send(new GetCallerIdentityCommand({}))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EndpointUnreachableError);
    expect((failure as Error).message).toMatch(/did not answer in time/);
    // the AssumeRole attempts reached the endpoint; GetCallerIdentity itself never got credentials to be sent with
    expect(received.slice(before).length).toBeGreaterThanOrEqual(2);
  });
});

describe('ECR registries in other regions', () => {
  it('gives one ECR client per region, in that region, with the same credentials', async () => {
    const context = createAwsContext(connection(), 'us-east-1');
    const own = context.ecr();
    const elsewhere = context.ecr('eu-west-1');
    expect(await own.config.region()).toBe('us-east-1');
    expect(await elsewhere.config.region()).toBe('eu-west-1');
    expect(context.ecr('eu-west-1')).toBe(elsewhere);
    expect(context.ecr('us-east-1')).toBe(own);
    expect(await elsewhere.config.credentials()).toEqual(await credentials());
  });
});
