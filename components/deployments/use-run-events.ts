'use client';
// A run's live event log in the browser: one EventSource per run (it reconnects with
// Last-Event-ID by itself), events deduplicated by seq and rendered in batches, `ended` once the
// server says the run is over and everything was sent.
import { useEffect, useState } from 'react';
import type { RunEvent, StoredRunEvent } from '@/lib/deploy/types';

export interface RunEventsState {
  /** The events after `initial.afterSeq`, oldest first, each once. */
  events: StoredRunEvent[];
  connected: boolean;
  ended: boolean;
  /** Why the stream was refused for good (too many open in this session…), in the server's words. */
  problem?: string;
}

const EVENT_TYPES = ['stack-event', 'stack-status', 'run-status', 'note'] as const satisfies readonly RunEvent['type'][];
/** A burst (a page of 100 stack events arrives at once) renders once instead of 100 times. */
const FLUSH_MS = 50;
const EMPTY: RunEventsState = { events: [], connected: false, ended: false };

/** Appends the incoming events newer than everything held; the same array when nothing is new. */
export function mergeRunEvents(current: StoredRunEvent[], incoming: readonly StoredRunEvent[]): StoredRunEvent[] {
  let newest = current.at(-1)?.seq ?? 0;
  const fresh: StoredRunEvent[] = [];
  for (const event of incoming) {
    if (event.seq <= newest) continue;
    fresh.push(event);
    newest = event.seq;
  }
  return fresh.length === 0 ? current : [...current, ...fresh];
}

export function useRunEvents(runId: string, initial?: { afterSeq: number }): RunEventsState {
  const afterSeq = initial?.afterSeq ?? 0;
  const [state, setState] = useState<RunEventsState & { runId: string }>({ ...EMPTY, runId });

  useEffect(() => {
    const update = (change: (current: RunEventsState) => RunEventsState) =>
      setState((previous) => ({ ...change(previous.runId === runId ? previous : EMPTY), runId }));
    const query = afterSeq > 0 ? `?after=${afterSeq}` : '';
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events${query}`);
    let closed = false;
    let pending: StoredRunEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;

    const flush = () => {
      timer = undefined;
      const batch = pending;
      pending = [];
      if (batch.length > 0) update((current) => ({ ...current, events: mergeRunEvents(current.events, batch) }));
    };
    const onEvent = (message: MessageEvent<string>) => {
      const seq = Number(message.lastEventId);
      if (!Number.isSafeInteger(seq) || seq <= 0) return;
      pending.push({ seq, event: JSON.parse(message.data) as RunEvent });
      timer ??= setTimeout(flush, FLUSH_MS);
    };
    const onEnd = () => {
      // Without close() EventSource would reconnect when the server ends the stream.
      source.close();
      clearTimeout(timer);
      flush();
      update((current) => ({ ...current, connected: false, ended: true }));
    };

    source.onopen = () => update((current) => ({ ...current, connected: true, problem: undefined }));
    source.onerror = () => {
      update((current) => ({ ...current, connected: false }));
      // EventSource gives up without a word on an answer other than a stream (a 429, a 404): ask once why.
      if (source.readyState === EventSource.CLOSED && !closed) void explain(source.url).then((problem) => !closed && update((current) => ({ ...current, problem })));
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
    source.addEventListener('end', onEnd);
    return () => {
      closed = true;
      source.close();
      clearTimeout(timer);
    };
  }, [runId, afterSeq]);

  const { events, connected, ended, problem } = state.runId === runId ? state : EMPTY;
  return { events, connected, ended, problem };
}

/** The error the stream's URL answers with now; a stream that opens after all is closed again at once. */
async function explain(url: string): Promise<string> {
  const fallback = 'The live view stopped. Reload the page to see the run as it is now.';
  const abort = new AbortController();
  try {
    const response = await fetch(url, { signal: abort.signal, headers: { Accept: 'application/json' } });
    if (response.ok) return fallback;
    const body = (await response.json().catch(() => ({}))) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : fallback;
  } catch {
    return fallback;
  } finally {
    abort.abort();
  }
}
