// Helpers for tests that drive the sandbox only through the official AWS SDK v3 clients.
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { SECOND_ACCOUNT_CREDENTIALS, startSandbox, type Sandbox, type SandboxOptions } from './index';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The official clients for one identity against a sandbox. */
export interface Clients {
  config: { endpoint: string; region: string; credentials: Credentials };
  cfn: CloudFormationClient;
  sts: STSClient;
  secrets: SecretsManagerClient;
  ec2: EC2Client;
  ecs: ECSClient;
  ecr: ECRClient;
  s3: S3Client;
}

export interface Fixture extends Clients {
  sandbox: Sandbox;
  /** The same clients signed with other credentials (another account's user, an assumed role). */
  as(credentials: Credentials, region?: string): Clients;
}

export function clientsFor(endpoint: string, region: string, credentials: Credentials): Clients {
  const config = { endpoint, region, credentials };
  return {
    config,
    cfn: new CloudFormationClient(config),
    sts: new STSClient(config),
    secrets: new SecretsManagerClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    ecr: new ECRClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
}

export async function sandboxFixture(options: SandboxOptions = {}): Promise<Fixture> {
  const sandbox = await startSandbox({ timeScale: 0.001, ...options });
  return {
    sandbox,
    ...clientsFor(sandbox.endpoint, sandbox.region, sandbox.credentials),
    as: (credentials, region = sandbox.region) => clientsFor(sandbox.endpoint, region, credentials),
  };
}

/** A sandbox whose control API answers `token`, with account B's clients beside account A's (the fixture's own). */
export async function twoAccountSandbox(token: string, options: SandboxOptions = {}): Promise<{ f: Fixture; b: Clients; control: ControlApi }> {
  const f = await sandboxFixture({ ...options, controlToken: token });
  return { f, b: f.as(SECOND_ACCOUNT_CREDENTIALS), control: controlApi(f.sandbox, token) };
}

/** STS credentials as the SDK's clients take them. */
export const temporary = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Credentials => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});

export type ControlApi = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

/** Calls a sandbox's /_sandbox/ control API with its bearer token. */
export function controlApi(sandbox: Sandbox, token: string): ControlApi {
  return async (method, path, body) => {
    const response = await fetch(`${sandbox.endpoint}/_sandbox/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
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
