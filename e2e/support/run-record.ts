// What the fault journeys compare: a run's events as the store holds them, as an SSE client
// received them, and each stack's events as CloudFormation (the sandbox) recorded them.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DescribeStackEventsCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { expect, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { createParser } from 'eventsource-parser';
import type { RunEvent } from '../../lib/deploy/types';
import { storageState } from './auth';
import type { Role } from '../../lib/auth/roles';

export interface SeqEvent {
  seq: number;
  event: RunEvent;
}

/** The shared e2e server's data directory (scripts/e2e-server.mjs). */
export const SHARED_DATA_DIR = resolve(process.env.E2E_DATA_DIR ?? '.data-e2e');

/** The run's rows in run_events, oldest first, read from the store file of a console. */
export function storedRunEvents(dataDir: string, runId: string): SeqEvent[] {
  const db = new Database(join(dataDir, 'console.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[string], { seq: number; data: string }>('SELECT seq, data FROM run_events WHERE run_id = ? ORDER BY seq')
      .all(runId)
      .map((row) => ({ seq: row.seq, event: JSON.parse(row.data) as RunEvent }));
  } finally {
    db.close();
  }
}

/** Event ids of a stack's operations, the REVIEW_IN_PROGRESS a change set leaves aside. */
export async function cloudFormationEventIds(cfn: CloudFormationClient, stackName: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
    ids.push(...(page.StackEvents ?? []).filter((e) => String(e.ResourceStatus) !== 'REVIEW_IN_PROGRESS').map((e) => e.EventId ?? ''));
    token = page.NextToken;
  } while (token);
  return ids;
}

/**
 * Stack-event ids of one stack among run events, in the order they came, without REVIEW_IN_PROGRESS
 * (a run shows its own change set's when the preview was approved within the watcher's margin).
 */
export const stackEventIds = (events: readonly SeqEvent[], stackName: string) =>
  events.flatMap(({ event }) => (event.type === 'stack-event' && event.event.stackName === stackName && event.event.status !== 'REVIEW_IN_PROGRESS' ? [event.event.eventId] : []));

/** The event ids a run page shows for one stack, REVIEW_IN_PROGRESS aside. */
export const shownEventIds = (page: Page, stackId: string) =>
  page
    .locator(`[data-stack="${stackId}"] [data-event-id]`)
    .evaluateAll((items) => items.filter((i) => !i.textContent?.includes('REVIEW_IN_PROGRESS')).map((i) => i.getAttribute('data-event-id') ?? ''));

/** The session cookie a saved browser state of the shared server carries. */
export function sessionCookieOf(role: Role): string {
  const state = JSON.parse(readFileSync(storageState(role), 'utf8')) as { cookies: { name: string; value: string }[] };
  const cookie = state.cookies.find((c) => c.name === 'lr_session');
  if (!cookie) throw new Error(`no session cookie in the ${role} state`);
  return `lr_session=${cookie.value}`;
}

export interface StreamClient {
  /** Messages received so far, each with its id. */
  events: SeqEvent[];
  /** Resolves when the server ends the stream (`event: end`). */
  ended: Promise<void>;
  close(): Promise<void>;
}

/** One SSE connection to a run's events, kept open until the server ends it. */
export async function openRunStream(baseUrl: string, runId: string, cookie: string): Promise<StreamClient> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/runs/${runId}/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  if (response.status !== 200) throw new Error(`the event stream answered ${response.status}`);
  const events: SeqEvent[] = [];
  let end: () => void = () => {};
  const ended = new Promise<void>((done) => (end = done));
  const parser = createParser({
    onEvent: (message) => {
      if (message.event === 'end') end();
      else events.push({ seq: Number(message.id), event: JSON.parse(message.data) as RunEvent });
    },
  });
  const reading = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  })().catch(() => undefined);
  return {
    events,
    ended,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

/**
 * Reads a run's event stream (the SSE the run page listens to) with a session cookie, as a browser
 * would, until the run ends; resolves with the raw text it carried.
 */
export async function captureEventStream(url: string | URL, cookie: string, timeoutMs: number): Promise<string> {
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: AbortSignal.timeout(timeoutMs) });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes('\nevent: end\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  await reader.cancel();
  return text;
}
