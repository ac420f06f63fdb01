import { createParser, type EventSourceMessage } from 'eventsource-parser';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as runEvents from '@/lib/store/run-events';
import { appendRunEvents, runEventsSince } from '@/lib/store/run-events';
import { rows } from '@/lib/store/testing/query';
import { insertRun, setRunStatus } from '@/lib/store/testing/runs';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { publish, subscriberCount } from './bus';
import {
  PADDING_BYTES,
  resumeAfter,
  runEventMessage,
  runEventStream,
  sseComment,
  sseMessage,
  sseRetry,
  storeRunEventSource,
  type RunEventSource,
} from './sse';
import { pulseCount } from './run-pulse';
import { readSse } from './testing/sse-reader';
import type { RunEvent, StoredRunEvent } from './types';

setupTempStore();
afterEach(async () => {
  vi.useRealTimers();
});

let runs = 0;
const newRun = async () => {
  runs += 1;
  const id = `run-${runs}`;
  await insertRun(id);
  return id;
};
const note = (i: number): RunEvent => ({ type: 'note', level: 'info', message: `event ${i}` });
const append = async (runId: string, from: number, count: number) =>
  (await appendRunEvents(runId, Array.from({ length: count }, (_, i) => ({ event: note(from + i) })))).map((e) => e.seq);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How often each run's newest seq was read during `ms`. */
async function countReads(spy: { mock: { calls: unknown[][] } }, ms: number): Promise<Map<string, number>> {
  const before = spy.mock.calls.length;
  await pause(ms);
  const counts = new Map<string, number>();
  for (const [runId] of spy.mock.calls.slice(before)) counts.set(String(runId), (counts.get(String(runId)) ?? 0) + 1);
  return counts;
}

/** Everything a client saw on one connection. */
function listen(stream: ReadableStream<Uint8Array>) {
  const seen = { messages: [] as EventSourceMessage[], comments: [] as string[], retry: undefined as number | undefined, closed: false };
  const reading = readSse(stream, {
    onMessage: (m) => seen.messages.push(m),
    onComment: (c) => seen.comments.push(c),
    onRetry: (ms) => (seen.retry = ms),
  });
  void reading.finished.then(() => (seen.closed = true));
  return { seen, ...reading };
}

function parse(text: string): EventSourceMessage[] {
  const out: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (m) => out.push(m) });
  parser.feed(text);
  return out;
}

describe('SSE framing', () => {
  it('writes id, event and data lines, one data line per line of data', async () => {
    expect(sseMessage({ id: '7', event: 'note', data: '{"a":1}' })).toBe('id: 7\nevent: note\ndata: {"a":1}\n\n');
    expect(sseMessage({ data: 'one\ntwo\r\nthree' })).toBe('data: one\ndata: two\ndata: three\n\n');
    expect(parse(sseMessage({ id: '1', data: 'one\ntwo' }))).toEqual([{ id: '1', event: undefined, data: 'one\ntwo' }]);
  });

  it('keeps a line break in an id or event name from starting a new field', async () => {
    expect(parse(sseMessage({ id: '1\ndata: forged', event: 'note\nid: 9', data: 'x' }))).toEqual([{ id: '1data: forged', event: 'noteid: 9', data: 'x' }]);
  });

  it('writes comments and retry', async () => {
    expect(sseComment('heartbeat')).toBe(': heartbeat\n\n');
    expect(sseComment('a\nb')).toBe(': a\n: b\n\n');
    expect(sseRetry(2000)).toBe('retry: 2000\n\n');
  });

  it('sends a stored event with its seq as id and its type as event name', async () => {
    const stored: StoredRunEvent = {
      seq: 42,
      event: { type: 'stack-status', stackId: 'vpc', stackName: 'lakerunner-vpc', status: 'failed', reason: 'line one\nline two' },
    };
    const [message] = parse(runEventMessage(stored));
    expect(message).toEqual({ id: '42', event: 'stack-status', data: JSON.stringify(stored.event) });
    expect(JSON.parse(message!.data)).toEqual(stored.event);
  });
});

describe('resumeAfter', () => {
  it('prefers Last-Event-ID to ?after=, and defaults to the start', async () => {
    expect(resumeAfter('12', 5)).toBe(12);
    expect(resumeAfter(null, 5)).toBe(5);
    expect(resumeAfter(' ', undefined)).toBe(0);
    expect(resumeAfter(null, undefined)).toBe(0);
  });

  it.each(['abc', '-1', '1.5', '9'.repeat(16)])('refuses Last-Event-ID %s as a field error', async (value) => {
    expect(() => resumeAfter(value, undefined)).toThrow(expect.objectContaining({ name: 'ActionError', status: 400, field: 'Last-Event-ID' }));
  });
});

describe('runEventStream', () => {
  it("delivers events another replica stored (no wake-up in this process) within a poll, once and in order", async () => {
    const runId = await newRun();
    const client = listen(runEventStream(storeRunEventSource(runId, { pollMs: 100 }), { afterSeq: 0, heartbeatMs: 60_000 }));
    await tick();
    // Another replica appends straight to the table: this process's bus hears nothing.
    for (let i = 0; i < 5; i += 1) await rows(`INSERT INTO run_events (run_id, type, data, at) VALUES ('${runId}', 'note', '${JSON.stringify(note(i))}', 0)`);
    for (let i = 0; i < 100 && client.seen.messages.length < 5; i += 1) await pause(20);
    expect(client.seen.messages.map((m) => JSON.parse(m.data))).toEqual([0, 1, 2, 3, 4].map(note));
    const ids = client.seen.messages.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    await append(runId, 5, 1);
    await pause(250);
    expect(client.seen.messages).toHaveLength(6);
    await client.cancel();
  });

  it('shares one poller per run between all its streams: the store is read once per poll, not once per viewer', async () => {
    const runId = await newRun();
    const other = await newRun();
    const reads = vi.spyOn(runEvents, 'lastRunEventSeq');
    const clients = Array.from({ length: 20 }, () => listen(runEventStream(storeRunEventSource(runId, { pollMs: 100 }), { afterSeq: 0, heartbeatMs: 60_000 })));
    const elsewhere = listen(runEventStream(storeRunEventSource(other, { pollMs: 100 }), { afterSeq: 0, heartbeatMs: 60_000 }));
    await tick();
    expect(pulseCount()).toBe(2);
    const idle = await countReads(reads, 1000);
    // 20 viewers of one run and 1 of another: about 10 reads a second each run, whatever the viewers
    expect(idle.get(runId)).toBeGreaterThanOrEqual(5);
    expect(idle.get(runId)).toBeLessThanOrEqual(12);
    expect(idle.get(other)).toBeLessThanOrEqual(12);
    // and every viewer still gets what another replica stored
    await rows(`INSERT INTO run_events (run_id, type, data, at) VALUES ('${runId}', 'note', '${JSON.stringify(note(1))}', 0)`);
    for (let i = 0; i < 100 && clients.some((c) => c.seen.messages.length < 1); i += 1) await pause(20);
    expect(clients.map((c) => c.seen.messages.length)).toEqual(clients.map(() => 1));
    for (const client of [...clients, elsewhere]) await client.cancel();
    await tick();
    expect(pulseCount()).toBe(0);
    reads.mockRestore();
  });

  it('opens with padding and retry, then sends the events after afterSeq, then new ones as they come', async () => {
    const runId = await newRun();
    const seqs = await append(runId, 0, 5);
    const abort = new AbortController();
    const { seen } = listen(runEventStream(storeRunEventSource(runId), { afterSeq: seqs[1]!, signal: abort.signal }));
    await tick();
    expect(seen.comments[0]!.length).toBeGreaterThanOrEqual(PADDING_BYTES);
    expect(seen.retry).toBe(2000);
    expect(seen.messages.map((m) => Number(m.id))).toEqual(seqs.slice(2));

    const more = await append(runId, 5, 3);
    await tick();
    expect(seen.messages.map((m) => Number(m.id))).toEqual([...seqs.slice(2), ...more]);
    expect(seen.messages.map((m) => m.event)).toEqual(Array(6).fill('note'));
    expect(JSON.parse(seen.messages.at(-1)!.data)).toEqual(note(7));
    abort.abort();
  });

  it('sends end and closes once the run is over and everything is sent', async () => {
    const runId = await newRun();
    const seqs = await append(runId, 0, 3);
    const { seen, finished } = listen(runEventStream(storeRunEventSource(runId), { afterSeq: 0 }));
    await tick();
    expect(seen.closed).toBe(false);
    const last = await append(runId, 3, 1);
    await setRunStatus(runId, 'succeeded');
    publish(runId);
    await finished;
    expect(seen.messages.map((m) => m.event)).toEqual(['note', 'note', 'note', 'note', 'end']);
    expect(seen.messages.slice(0, 4).map((m) => Number(m.id))).toEqual([...seqs, ...last]);
    expect(JSON.parse(seen.messages.at(-1)!.data)).toEqual({ lastSeq: last[0] });
    expect(subscriberCount(runId)).toBe(0);
  });

  it('ends at once for a finished run whose events the client already has', async () => {
    const runId = await newRun();
    const seqs = await append(runId, 0, 3);
    await setRunStatus(runId, 'failed');
    const { seen, finished } = listen(runEventStream(storeRunEventSource(runId), { afterSeq: seqs[2]! }));
    await finished;
    expect(seen.messages.map((m) => m.event)).toEqual(['end']);
  });

  it('sends a heartbeat comment every 15 s while nothing happens', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const runId = await newRun();
    const abort = new AbortController();
    const { seen } = listen(runEventStream(storeRunEventSource(runId), { afterSeq: 0, signal: abort.signal }));
    await tick();
    const heartbeats = () => seen.comments.filter((c) => c === 'heartbeat').length;
    await vi.advanceTimersByTimeAsync(14_999);
    expect(heartbeats()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(heartbeats()).toBe(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(heartbeats()).toBe(3);
    expect(seen.messages).toEqual([]);
    abort.abort();
  });

  it('stops, unsubscribes and clears its timers when the client goes away', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const runId = await newRun();
    const abort = new AbortController();
    const aborted = listen(runEventStream(storeRunEventSource(runId), { afterSeq: 0, signal: abort.signal }));
    const cancelled = listen(runEventStream(storeRunEventSource(runId), { afterSeq: 0 }));
    await tick();
    expect(subscriberCount(runId)).toBe(2);
    // Each stream: its heartbeat and its lifetime; and the run's one poller, shared by both.
    expect(vi.getTimerCount()).toBe(5);
    expect(pulseCount()).toBe(1);
    abort.abort();
    await aborted.finished;
    await cancelled.cancel();
    expect(subscriberCount(runId)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(pulseCount()).toBe(0);
  });

  it('ends after its maximum lifetime so the client reconnects (and re-authenticates)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const runId = await newRun();
    const { seen } = listen(runEventStream(storeRunEventSource(runId), { afterSeq: 0 }));
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await tick();
    expect(seen.closed).toBe(true);
    expect(seen.messages.some((m) => m.event === 'end')).toBe(false);
    expect(subscriberCount(runId)).toBe(0);
  });

  it('reads a long backlog a page at a time as the client reads', async () => {
    // Given a source with 5,000 events of about 300 bytes (a 500-event page is beyond the 64 KiB buffer)
    const events = Array.from({ length: 5000 }, (_, i): StoredRunEvent => ({
      seq: i + 1,
      event: { type: 'note', level: 'info', message: `event ${i} ${'x'.repeat(200)}` },
    }));
    let pages = 0;
    const source: RunEventSource = {
      eventsSince: async (after, limit) => {
        pages += 1;
        return events.filter((e) => e.seq > after).slice(0, limit);
      },
      finished: async () => true,
      subscribe: () => () => {},
    };
    const stream = runEventStream(source, { afterSeq: 0 });
    await tick();
    // Then, while the client has not read yet, the stream has read one page and stopped
    expect(pages).toBe(1);
    // And the client still gets everything, in order, then end
    const ids: number[] = [];
    let ended = false;
    await readSse(stream, { onMessage: (m) => (m.event === 'end' ? (ended = true) : ids.push(Number(m.id))) }).finished;
    expect(ids).toEqual(events.map((e) => e.seq));
    expect(ended).toBe(true);
  });

  it('loses and repeats nothing across many reconnects while events keep coming', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 3, maxLength: 12 }), fc.integer({ min: 1, max: 25 }), async (cuts, batch) => {
        // Given a run that receives 300 events in batches while a client connects and drops
        const runId = await newRun();
        const producer = (async () => {
          for (let i = 0; i < 300; i += batch) {
            await append(runId, i, Math.min(batch, 300 - i));
            await pause(1);
          }
          await setRunStatus(runId, 'succeeded');
          publish(runId);
        })();

        // When the client drops after `cut` events each time and resumes after the last id it saw
        const received: number[] = [];
        let lastId = 0;
        let ended = false;
        for (let attempt = 0; !ended; attempt += 1) {
          const cut = cuts[attempt] ?? Number.POSITIVE_INFINITY;
          let dropped = false;
          let got = 0;
          const connection = readSse(runEventStream(storeRunEventSource(runId), { afterSeq: lastId }), {
            onMessage: (m) => {
              if (dropped) return;
              if (m.event === 'end') {
                ended = true;
                return;
              }
              lastId = Number(m.id);
              received.push(lastId);
              got += 1;
              if (got >= cut) {
                dropped = true;
                void connection.cancel();
              }
            },
          });
          await connection.finished;
        }
        await producer;

        // Then it saw every event exactly once, in order, and nothing is left subscribed
        expect(received).toEqual((await runEventsSince(runId, 0, 1000)).map((e) => e.seq));
        expect(received).toHaveLength(300);
        expect(subscriberCount(runId)).toBe(0);
      }),
      { numRuns: 15 },
    );
  });
});
