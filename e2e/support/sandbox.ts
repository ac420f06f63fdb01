// The console's embedded sandbox as the e2e server configures it (scripts/e2e-server.mjs): a
// known port and control token, so journeys can inject faults and create stacks directly.
import { CloudFormationClient, DescribeStackEventsCommand, type StackEvent } from '@aws-sdk/client-cloudformation';

export const SANDBOX_ENDPOINT = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? '4599'}`;
const TOKEN = 'e2e-sandbox-control-token';
/** The sandbox's built-in user (documented in lib/sandbox/README.md); not a real AWS key. */
export const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIASANDBOX000000001', secretAccessKey: 'sandbox/SECRET/key/for/the/local/sandbox' };

/** Calls a sandbox's control API (lib/sandbox/server.ts) with its token; throws on any refusal. */
export function sandboxControl(endpoint: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${endpoint}/_sandbox/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`sandbox control ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.headers.get('content-type')?.includes('json') ? response.json() : response.text();
  };
}

const control = sandboxControl(SANDBOX_ENDPOINT, TOKEN);

export const sandbox = {
  /** `stackName` names a stack, or a nested stack by its path from the root (`<root>/<logical id>[/…]`) or its own name. */
  failResource: (fault: { stackName?: string; logicalId: string; operation: 'create' | 'update' | 'delete'; reason: string; times?: number; whileInProgress?: string }) =>
    control('POST', 'faults', fault),
  throttle: (rule: { fraction: number; durationMs?: number; actions?: string[] }) => control('POST', 'throttle', rule),
  clearFaults: () => control('DELETE', 'faults'),
  metrics: () => control('GET', 'metrics') as Promise<Record<string, number>>,
  setTimeScale: (scale: number) => control('POST', 'time-scale', { scale }),
  /** The account's Fargate On-Demand vCPU quota (Service Quotas L-3032A538); reset to the default with resetQuotas. */
  setFargateQuota: (value: number) => control('POST', 'quotas', { serviceCode: 'fargate', quotaCode: 'L-3032A538', value }),
  resetQuotas: () => control('DELETE', 'quotas'),
  /** Behave like other emulators: only stack-level events, stacks completing without outputs. */
  emulate: (quirks: { stackEventsOnly?: boolean; stacksWithoutOutputs?: string[] }) => control('POST', 'quirks', quirks),
  /** Adds a customer's VPC with subnets (public ones routed to an internet gateway, private ones through a NAT gateway); ids come back. */
  seedNetwork: (seed: { cidrBlock: string; subnets: { cidrBlock: string; availabilityZone: string; public?: boolean }[] }) =>
    control('POST', 'network', seed) as Promise<{ vpcId: string; subnetIds: string[] }>,
  /** Adds or replaces a customer-owned ECS cluster (no capacity providers unless given, as CreateCluster makes it). */
  seedCluster: (seed: { clusterName: string; capacityProviders?: string[]; status?: 'ACTIVE' | 'INACTIVE' }) => control('POST', 'ecs/clusters', seed) as Promise<{ clusterArn: string }>,
  removeCluster: (clusterName: string) => control('DELETE', 'ecs/clusters', { clusterName }),
  cloudFormation: (region = 'us-east-1') => new CloudFormationClient({ region, endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS }),
};

/** Every event of a stack (by name, or by ARN once deleted), oldest first. */
export async function stackEvents(stack: string, region = 'us-east-1'): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await sandbox.cloudFormation(region).send(new DescribeStackEventsCommand({ StackName: stack, NextToken: token }));
    events.push(...(page.StackEvents ?? []));
    token = page.NextToken;
  } while (token);
  return events.reverse();
}

/** When CloudFormation began and ended a stack's last create or delete, from its own stack-level events. */
export async function stackSpan(stackName: string, kind: 'CREATE' | 'UPDATE' | 'DELETE', stackId = stackName): Promise<{ start: number; end: number }> {
  const own = (await stackEvents(stackId)).filter((e) => e.LogicalResourceId === stackName && e.ResourceType === 'AWS::CloudFormation::Stack');
  const start = own.filter((e) => e.ResourceStatus === `${kind}_IN_PROGRESS`).at(-1)?.Timestamp;
  const end = own.filter((e) => e.ResourceStatus === `${kind}_COMPLETE` || e.ResourceStatus === `${kind === 'UPDATE' ? 'UPDATE_' : ''}ROLLBACK_COMPLETE`).at(-1)?.Timestamp;
  if (!start || !end) throw new Error(`${stackName} has no ${kind} span: ${own.map((e) => e.ResourceStatus).join(', ')}`);
  return { start: start.getTime(), end: end.getTime() };
}
