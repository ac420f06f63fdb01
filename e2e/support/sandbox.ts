// The console's embedded sandbox as the e2e server configures it (scripts/e2e-server.mjs): a
// known port and control token, so journeys can inject faults and create stacks directly.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';

export const SANDBOX_ENDPOINT = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? '4599'}`;
const TOKEN = 'e2e-sandbox-control-token';
/** The sandbox's built-in user (documented in lib/sandbox/README.md); not a real AWS key. */
export const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIASANDBOX000000001', secretAccessKey: 'sandbox/SECRET/key/for/the/local/sandbox' };

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${SANDBOX_ENDPOINT}/_sandbox/${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox control ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.headers.get('content-type')?.includes('json') ? response.json() : response.text();
}

export const sandbox = {
  failResource: (fault: { stackName?: string; logicalId: string; operation: 'create' | 'update' | 'delete'; reason: string; times?: number }) =>
    control('POST', 'faults', fault),
  throttle: (rule: { fraction: number; durationMs?: number; actions?: string[] }) => control('POST', 'throttle', rule),
  clearFaults: () => control('DELETE', 'faults'),
  metrics: () => control('GET', 'metrics') as Promise<Record<string, number>>,
  setTimeScale: (scale: number) => control('POST', 'time-scale', { scale }),
  cloudFormation: (region = 'us-east-1') => new CloudFormationClient({ region, endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS }),
};
