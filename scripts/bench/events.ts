// Bench: live stack events. A sandbox deployment (120 resources) watched with a 1 s poll and
// streamed over a local node:http SSE server built on lib/deploy/sse; latency from the event's
// CloudFormation timestamp to an SSE client, DescribeStackEvents calls per minute with 1 and 100
// clients of the run, and the process's peak RSS (sandbox, server and clients share the process).
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { subscriberCount } from '../../lib/deploy/bus';
import { resumeAfter, runEventStream, SSE_HEADERS, storeRunEventSource } from '../../lib/deploy/sse';
import { readSse } from '../../lib/deploy/testing/sse-reader';
import type { RunEvent } from '../../lib/deploy/types';
import { watchStack } from '../../lib/deploy/watcher';
import { resetEnvForTests } from '../../lib/env';
import { startSandbox, type Sandbox } from '../../lib/sandbox/index';
import { closeDb } from '../../lib/store/db';
import { appendRunEvent } from '../../lib/store/run-events';
import { insertRun, setRunStatus } from '../../lib/store/testing/runs';

export interface EventsBench {
  latencyP50Ms: number;
  latencyP95Ms: number;
  pollMs: number;
  callsPerMinuteOneViewer: number;
  callsPerMinuteHundredViewers: number;
  rssMb: number;
  p95LatencyHundredViewersMs: number;
}

const POLL_MS = 1000;
/** SSM parameters take 2 s each in the sandbox; at 0.4 a chain of 15 takes about 12 s. */
const TIME_SCALE = 0.4;
const CHAINS = 8;
const CHAIN_LENGTH = 15;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

function manyResources(): string {
  const resources: Record<string, unknown> = {};
  for (let chain = 0; chain < CHAINS; chain += 1) {
    for (let i = 0; i < CHAIN_LENGTH; i += 1) {
      resources[`C${chain}P${i}`] = {
        Type: 'AWS::SSM::Parameter',
        ...(i > 0 ? { DependsOn: `C${chain}P${i - 1}` } : {}),
        Properties: { Type: 'String', Value: `value-${chain}-${i}` },
      };
    }
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources });
}

/** GET /runs/<id>/events over plain node:http, the stream exactly as the route builds it. */
function sseServer(): Server {
  return createServer(async (request, response) => {
    const runId = /^\/runs\/([\w-]+)\/events$/.exec(request.url ?? '')?.[1];
    if (!runId) return void response.writeHead(404).end();
    const abort = new AbortController();
    response.on('close', () => abort.abort());
    const header = request.headers['last-event-id'];
    response.writeHead(200, SSE_HEADERS);
    const reader = runEventStream(storeRunEventSource(runId), {
      afterSeq: resumeAfter(typeof header === 'string' ? header : null, undefined),
      signal: abort.signal,
    }).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!response.write(value)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
    }
    response.end();
  });
}

interface Pass {
  latencies: number[];
  callsPerMinute: number;
  peakRss: number;
}

async function deployAndWatch(sandbox: Sandbox, cfn: CloudFormationClient, base: string, name: string, viewers: number): Promise<Pass> {
  const runId = `bench-${name}`;
  await insertRun(runId);
  const latencies: number[] = [];
  const clients = Array.from({ length: viewers }, async () => {
    const response = await fetch(`${base}/runs/${runId}/events`);
    await readSse(response.body!, {
      onMessage: (message) => {
        if (message.event !== 'stack-event') return;
        const event = JSON.parse(message.data) as Extract<RunEvent, { type: 'stack-event' }>;
        latencies.push(Date.now() - Date.parse(event.event.timestamp));
      },
    }).finished;
  });
  while (subscriberCount(runId) < viewers) await new Promise((resolve) => setTimeout(resolve, 10));

  const calls = () => sandbox.metrics()['cloudformation.DescribeStackEvents'] ?? 0;
  const callsBefore = calls();
  const since = new Date();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  await cfn.send(new CreateStackCommand({ StackName: `bench-${name}`, TemplateBody: manyResources() }));
  const watcher = watchStack({
    runId,
    stackId: 'demo',
    stackName: `bench-${name}`,
    cloudFormation: cfn,
    since,
    pollMs: POLL_MS,
    onTerminal: (status) => {
      // What the engine does when the run is over: the streams then send `end`.
      const ended = status === 'CREATE_COMPLETE' ? 'succeeded' : 'failed';
      void appendRunEvent(runId, { type: 'run-status', status: ended }).then(() => setRunStatus(runId, ended));
    },
  });
  await watcher.done;
  const minutes = (Date.now() - since.getTime()) / 60_000;
  const made = calls() - callsBefore;
  await Promise.all(clients);
  clearInterval(sampler);
  return { latencies, callsPerMinute: made / minutes, peakRss };
}

export async function benchEvents(): Promise<EventsBench> {
  const previousDir = process.env.CONSOLE_DATA_DIR;
  const dataDir = mkdtempSync(join(tmpdir(), 'lr-bench-events-'));
  process.env.CONSOLE_DATA_DIR = dataDir;
  resetEnvForTests();
  await closeDb();
  const sandbox = await startSandbox({ timeScale: TIME_SCALE });
  const cfn = new CloudFormationClient({ region: sandbox.region, endpoint: sandbox.endpoint, credentials: sandbox.credentials });
  const server = sseServer();
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const one = await deployAndWatch(sandbox, cfn, base, 'one', 1);
    const hundred = await deployAndWatch(sandbox, cfn, base, 'hundred', 100);
    return {
      latencyP50Ms: percentile(one.latencies, 0.5),
      latencyP95Ms: percentile(one.latencies, 0.95),
      pollMs: POLL_MS,
      callsPerMinuteOneViewer: one.callsPerMinute,
      callsPerMinuteHundredViewers: hundred.callsPerMinute,
      rssMb: Math.max(one.peakRss, hundred.peakRss) / 2 ** 20,
      p95LatencyHundredViewersMs: percentile(hundred.latencies, 0.95),
    };
  } finally {
    server.closeAllConnections();
    server.close();
    await sandbox.close();
    await closeDb();
    rmSync(dataDir, { recursive: true, force: true });
    if (previousDir === undefined) delete process.env.CONSOLE_DATA_DIR;
    else process.env.CONSOLE_DATA_DIR = previousDir;
    resetEnvForTests();
  }
}
