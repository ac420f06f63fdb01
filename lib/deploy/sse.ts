// A run's event log as Server-Sent Events: the framing, and the stream a route handler (or any
// node:http server) returns. Reads the store, wakes on the run's bus, resumes after a seq.
// Free of Next so tests and the bench drive it directly.
import 'server-only';
import { ActionError } from '@/lib/auth/action-error';
import { runEventsSince, runStatusOf } from '@/lib/store/run-events';
import { subscribe } from './bus';
import { followRun } from './run-pulse';
import { TERMINAL_RUN_STATUSES, type StoredRunEvent } from './types';

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // nginx buffers proxied responses unless told not to.
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
};

export const HEARTBEAT_MS = 15_000;
export const RETRY_MS = 2000;
/** Some proxies hold back a response's first 1–2 KB; a comment this long pushes the stream through. */
export const PADDING_BYTES = 2048;
/**
 * A stream ends after this long and EventSource reconnects with Last-Event-ID, losing nothing;
 * the reconnect re-checks the session, so a signed-out or demoted viewer stops receiving.
 */
export const MAX_STREAM_MS = 5 * 60_000;
const PAGE = 500;
export const POLL_MS = 1000;
/** Bytes queued for a slow client before the stream stops reading the store for it. */
const HIGH_WATER_BYTES = 64 * 1024;

const lines = (text: string) => text.split(/\r\n|\r|\n/);

/** A comment line (ignored by EventSource, keeps proxies and the connection awake). */
export function sseComment(text = ''): string {
  return `${lines(text)
    .map((line) => `:${line ? ` ${line}` : ''}`)
    .join('\n')}\n\n`;
}

export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.trunc(ms))}\n\n`;
}

/** One message; multi-line data becomes several data: lines, as the format requires. */
export function sseMessage(message: { id?: string; event?: string; data: string }): string {
  const head = [
    message.id === undefined ? undefined : `id: ${message.id.replace(/[\r\n\0]/g, '')}`,
    message.event === undefined ? undefined : `event: ${message.event.replace(/[\r\n]/g, '')}`,
  ].filter((line) => line !== undefined);
  return `${[...head, ...lines(message.data).map((line) => `data: ${line}`)].join('\n')}\n\n`;
}

/** A stored event as sent: id = seq, event = its type, data = the RunEvent as JSON. */
export const runEventMessage = (stored: StoredRunEvent) =>
  sseMessage({ id: String(stored.seq), event: stored.event.type, data: JSON.stringify(stored.event) });

/** Where a stream reads from; the store and the bus in the console, anything in a test. */
export interface RunEventSource {
  eventsSince(afterSeq: number, limit: number): Promise<StoredRunEvent[]>;
  /** Whether the run is over: once its events are all sent, the stream ends. */
  finished(): Promise<boolean>;
  /** Wakes the stream when the run has new events (stored here, or by another replica). */
  subscribe(listener: () => void): () => void;
}

/**
 * The run's events in the store, woken by the bus: by this process's writes at once, and by other
 * replicas' within `pollMs` through the run's one shared poller (./run-pulse.ts).
 */
export function storeRunEventSource(runId: string, { pollMs = POLL_MS }: { pollMs?: number } = {}): RunEventSource {
  return {
    eventsSince: (afterSeq, limit) => runEventsSince(runId, afterSeq, limit),
    finished: async () => {
      const status = await runStatusOf(runId);
      return status === undefined || TERMINAL_RUN_STATUSES.includes(status);
    },
    subscribe: (listener) => {
      const unsubscribe = subscribe(runId, listener);
      const unfollow = followRun(runId, pollMs);
      return () => {
        unsubscribe();
        unfollow();
      };
    },
  };
}

export interface RunStreamOptions {
  /** Send events with a greater seq (from Last-Event-ID or ?after=). */
  afterSeq: number;
  /** The request's signal: the stream stops and unsubscribes when the client goes away. */
  signal?: AbortSignal;
  heartbeatMs?: number;
  retryMs?: number;
  maxStreamMs?: number;
  /** Called once when the stream ends, however it ends (the per-session count of open streams). */
  onClose?: () => void;
}

/**
 * The padding comment and retry, every event after afterSeq, then each new one as the source
 * announces it, a heartbeat comment every heartbeatMs (which also reads, should a wake-up have
 * been missed), and `event: end` once the run is over and everything is sent. Reads never overlap,
 * so events go out once and in seq order. The stream itself never polls the store.
 */
export function runEventStream(source: RunEventSource, options: RunStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor = options.afterSeq;
  let closed = false;
  let behind = false;
  let cleanup = () => {};
  let drain = () => {};

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const send = (text: string) => controller.enqueue(encoder.encode(text));
        const finish = (last?: string) => {
          if (closed) return;
          closed = true;
          cleanup();
          if (last) send(last);
          controller.close();
        };
        const drainOnce = async () => {
          // Read before the events: whatever was appended before the run finished is in this drain.
          const finished = await source.finished();
          for (;;) {
            if (closed) return;
            if ((controller.desiredSize ?? 1) <= 0) {
              behind = true;
              return;
            }
            const page = await source.eventsSince(cursor, PAGE);
            if (closed) return;
            if (page.length > 0) {
              send(page.map(runEventMessage).join(''));
              cursor = page[page.length - 1]!.seq;
            }
            if (page.length < PAGE) break;
          }
          behind = false;
          if (finished) finish(sseMessage({ event: 'end', data: JSON.stringify({ lastSeq: cursor }) }));
        };
        let draining = false;
        let again = false;
        drain = () => {
          if (closed) return;
          if (draining) {
            again = true;
            return;
          }
          draining = true;
          void (async () => {
            try {
              do {
                again = false;
                await drainOnce();
              } while (again && !closed);
            } catch (error) {
              // The client reconnects after `retry` and then gets the route's answer (503 for a store fault).
              console.error('A run event stream stopped:', error instanceof Error ? error.message : error);
              finish();
            } finally {
              draining = false;
            }
          })();
        };

        send(sseComment(' '.repeat(PADDING_BYTES)) + sseRetry(options.retryMs ?? RETRY_MS));
        const unsubscribe = source.subscribe(() => drain());
        const heartbeat = setInterval(() => {
          drain();
          if (!closed && !behind) send(sseComment('heartbeat'));
        }, options.heartbeatMs ?? HEARTBEAT_MS);
        const lifetime = setTimeout(() => finish(), options.maxStreamMs ?? MAX_STREAM_MS);
        const onAbort = () => finish();
        cleanup = () => {
          unsubscribe();
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          options.signal?.removeEventListener('abort', onAbort);
          options.onClose?.();
          cleanup = () => {};
        };
        if (options.signal?.aborted) return finish();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        drain();
      },
      pull() {
        if (behind) drain();
      },
      cancel() {
        closed = true;
        cleanup();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_BYTES }),
  );
}

export function sseResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, { headers: { ...SSE_HEADERS } });
}

/**
 * The seq to resume after: the Last-Event-ID header (EventSource's own reconnect) wins over
 * ?after= (the page's first connection). A malformed header is the client's error, a 400.
 */
export function resumeAfter(lastEventId: string | null, after: number | undefined): number {
  if (lastEventId === null || lastEventId.trim() === '') return after ?? 0;
  const value = lastEventId.trim();
  if (!/^\d{1,15}$/.test(value)) throw new ActionError('Last-Event-ID must be the id of an event of this stream (a whole number).', 'Last-Event-ID');
  return Number(value);
}
