// Helpers for tests that drive the sandbox only through the official AWS SDK v3 clients.
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox, type SandboxOptions } from './index';

export interface Fixture {
  sandbox: Sandbox;
  config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  cfn: CloudFormationClient;
  sts: STSClient;
  secrets: SecretsManagerClient;
  ec2: EC2Client;
  s3: S3Client;
}

export async function sandboxFixture(options: SandboxOptions = {}): Promise<Fixture> {
  const sandbox = await startSandbox({ timeScale: 0.001, ...options });
  const config = { endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.credentials };
  return {
    sandbox,
    config,
    cfn: new CloudFormationClient(config),
    sts: new STSClient(config),
    secrets: new SecretsManagerClient(config),
    ec2: new EC2Client(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls DescribeStacks until the stack leaves *_IN_PROGRESS (or `done` says so). */
export async function waitForStack(cfn: CloudFormationClient, stackName: string, done: (status: string) => boolean = (s) => !s.endsWith('_IN_PROGRESS')): Promise<Stack> {
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0]!;
    if (done(stack.StackStatus!)) return stack;
    await pause(5);
  }
}

/** Every event of a stack, oldest first, following NextToken. */
export async function allEvents(cfn: CloudFormationClient, stackName: string): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
    events.push(...(page.StackEvents ?? []));
    token = page.NextToken;
  } while (token);
  return events.reverse();
}

/** `logicalId status [reason]` lines, the way one reads a stack's event log. */
export const eventLines = (events: StackEvent[]) =>
  events.map((e) => [e.LogicalResourceId, e.ResourceStatus, e.ResourceStatusReason].filter(Boolean).join(' '));

/** A JSON template with the given resources (and optional other sections). */
export const template = (resources: Record<string, unknown>, sections: Record<string, unknown> = {}) =>
  JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', ...sections, Resources: resources });

/** An SSM parameter resource (fast to create, updatable in place): the workhorse of these tests. */
export const ssmParameter = (value: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::SSM::Parameter',
  Properties: { Type: 'String', Value: value },
  ...extra,
});
