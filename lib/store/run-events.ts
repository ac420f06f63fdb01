// A run's event log: append-only rows in run_events, numbered by seq (the SSE id), deduplicated by
// (run_id, dedupe_key). Only the fields of RunEvent are stored; appending notifies the run's bus.
import 'server-only';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { publish } from '@/lib/deploy/bus';
import { RUN_STACK_STATUSES, type RunEvent, type RunStatus, type StackEventRecord, type StoredRunEvent } from '@/lib/deploy/types';
import { STACK_IDS } from '@/templates/stack';
import { withDb } from './db';

const text = z.string().max(16_384);
const optionalText = text.optional();

const stackEventRecord = z.object({
  eventId: z.string().min(1).max(1024),
  stackName: text,
  logicalId: text,
  physicalId: optionalText,
  resourceType: text,
  status: text,
  reason: optionalText,
  timestamp: z.iso.datetime({ offset: true }),
}) satisfies z.ZodType<StackEventRecord>;

// z.object drops unknown keys: whatever else a caller passes (an SDK event's ResourceProperties,
// which can hold parameter values) never reaches the table or the browser.
const runEventSchema: z.ZodType<RunEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stack-event'), stackId: z.enum(STACK_IDS), event: stackEventRecord }),
  z.object({
    type: z.literal('stack-status'),
    stackId: z.enum(STACK_IDS),
    stackName: text,
    status: z.enum(RUN_STACK_STATUSES),
    stackStatus: optionalText,
    reason: optionalText,
    at: z.iso.datetime({ offset: true }).optional(),
  }),
  z.object({
    type: z.literal('run-status'),
    status: z.enum(['preparing', 'awaiting-approval', 'running', 'succeeded', 'failed', 'cancelled']),
    message: optionalText,
  }),
  z.object({ type: z.literal('note'), level: z.enum(['info', 'warn', 'error']), message: text }),
]);

export interface RunEventEntry {
  event: RunEvent;
  /** Appending the same key twice to one run stores the event once (for stack events: the EventId). */
  dedupeKey?: string;
}

const MAX_PAGE = 1000;

interface Statements {
  insert: Database.Statement<[string, string, string | null, string, number]>;
  since: Database.Statement<[string, number, number], { seq: number; data: string }>;
  last: Database.Statement<[string], number | null>;
  stackEvents: Database.Statement<[string, string], string>;
  runStatus: Database.Statement<[string], string>;
}

const statements = new WeakMap<Database.Database, Statements>();

function prepared(db: Database.Database): Statements {
  let s = statements.get(db);
  if (!s) {
    s = {
      insert: db.prepare('INSERT OR IGNORE INTO run_events (run_id, type, dedupe_key, data, at) VALUES (?, ?, ?, ?, ?)'),
      since: db.prepare('SELECT seq, data FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      last: db.prepare<[string], number | null>('SELECT max(seq) FROM run_events WHERE run_id = ?').pluck(),
      stackEvents: db
        .prepare<[string, string], string>(
          "SELECT data FROM run_events WHERE run_id = ? AND type = 'stack-event' AND json_extract(data, '$.event.stackName') = ? ORDER BY seq",
        )
        .pluck(),
      runStatus: db.prepare<[string], string>('SELECT status FROM runs WHERE id = ?').pluck(),
    };
    statements.set(db, s);
  }
  return s;
}

/**
 * Appends events to a run in one transaction, skipping those whose dedupe key the run already has.
 * Returns the ones stored, with their seq; subscribers of the run hear about them once.
 */
export function appendRunEvents(runId: string, entries: readonly RunEventEntry[]): StoredRunEvent[] {
  const rows = entries.map(({ event, dedupeKey }) => ({ event: runEventSchema.parse(event), dedupeKey }));
  const stored = withDb((db) => {
    const { insert } = prepared(db);
    return db.transaction(() => {
      const added: StoredRunEvent[] = [];
      const at = Date.now();
      for (const { event, dedupeKey } of rows) {
        const result = insert.run(runId, event.type, dedupeKey ?? null, JSON.stringify(event), at);
        if (result.changes === 1) added.push({ seq: Number(result.lastInsertRowid), event });
      }
      return added;
    })();
  });
  if (stored.length > 0) publish(runId);
  return stored;
}

/** Appends one event; its seq, or undefined when the run already has an event with this dedupe key. */
export function appendRunEvent(runId: string, event: RunEvent, dedupeKey?: string): number | undefined {
  return appendRunEvents(runId, [{ event, dedupeKey }])[0]?.seq;
}

/** The run's events with seq > afterSeq, oldest first, at most `limit` (1–1000). */
export function runEventsSince(runId: string, afterSeq: number, limit = 500): StoredRunEvent[] {
  const page = Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE);
  return withDb((db) => prepared(db).since.all(runId, afterSeq, page)).map((row) => ({
    seq: row.seq,
    event: JSON.parse(row.data) as RunEvent,
  }));
}

/** The seq of the run's newest event, 0 when it has none. */
export function lastRunEventSeq(runId: string): number {
  return withDb((db) => prepared(db).last.get(runId)) ?? 0;
}

/** The stack events stored for one stack of a run, oldest first (a restarted watcher's memory). */
export function storedStackEvents(runId: string, stackName: string): StackEventRecord[] {
  return withDb((db) => prepared(db).stackEvents.all(runId, stackName)).map((data) => {
    const event = JSON.parse(data) as RunEvent;
    if (event.type !== 'stack-event') throw new Error(`run_events row of type stack-event holds a ${event.type} event`);
    return event.event;
  });
}

/** The run's status, or undefined when there is no such run. */
export function runStatusOf(runId: string): RunStatus | undefined {
  return withDb((db) => prepared(db).runStatus.get(runId)) as RunStatus | undefined;
}
