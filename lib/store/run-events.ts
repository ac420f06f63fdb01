// A run's event log: append-only rows in run_events, numbered by seq (the SSE id), deduplicated by
// (run_id, dedupe_key). Only the fields of RunEvent are stored; appending notifies the run's bus.
import 'server-only';
import { sql } from 'kysely';
import { z } from 'zod';
import { publish } from '@/lib/deploy/bus';
import { RUN_STACK_STATUSES, type RunEvent, type RunStatus, type StackEventRecord, type StoredRunEvent } from '@/lib/deploy/types';
import type { Selectable } from 'kysely';
import { isStackId } from '@/templates';
import { inTransaction, storeDialect, withDb, type StoreDb } from './db';
import { assertLease, fenceOf } from './fence';
import { LOCKS } from './postgres';
import type { RunsTable } from './schema';

const text = z.string().max(16_384);
const optionalText = text.optional();
/** A stack id of some release line: nothing else reaches the table or the browser. */
const stackId = z.string().refine(isStackId);

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
  z.object({ type: z.literal('stack-event'), stackId, event: stackEventRecord }),
  z.object({
    type: z.literal('stack-status'),
    stackId,
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

/**
 * Appends events to a run in one transaction, skipping those whose dedupe key the run already has.
 * Returns the ones stored, with their seq; subscribers of the run hear about them once.
 *
 * Seqs come from one sequence for every run; what streams need is that within a run they are
 * committed in order, or a reader could pass a seq whose transaction is still open. So appends to
 * one run take turns: SQLite has one writer at a time, and PostgreSQL takes the run's advisory lock
 * before drawing seqs.
 */
export async function appendRunEvents(runId: string, entries: readonly RunEventEntry[]): Promise<StoredRunEvent[]> {
  const rows = checked(entries);
  if (rows.length === 0) return [];
  const stored = await inTransaction(async (db) => {
    const added = await insertRunEvents(db, runId, rows);
    // Written by the run's driver: only while it still holds the run's lease.
    const fence = fenceOf(runId);
    if (fence) await assertLease(db, fence);
    return added;
  });
  if (stored.length > 0) publish(runId);
  return stored;
}

const checked = (entries: readonly RunEventEntry[]) => entries.map(({ event, dedupeKey }) => ({ event: runEventSchema.parse(event), dedupeKey }));

/** Inside a transaction: the run's appends take turns (see appendRunEvents), then each is inserted unless its key is known. */
async function insertRunEvents(db: StoreDb, runId: string, rows: readonly RunEventEntry[]): Promise<StoredRunEvent[]> {
  if (storeDialect() === 'postgres') await sql`SELECT pg_advisory_xact_lock(${LOCKS.runEvents}, hashtext(${runId}))`.execute(db);
  const added: StoredRunEvent[] = [];
  const at = Date.now();
  for (const { event, dedupeKey } of rows) {
    const inserted = await db
      .insertInto('run_events')
      .values({ run_id: runId, type: event.type, dedupe_key: dedupeKey ?? null, data: JSON.stringify(event), at })
      .onConflict((oc) => oc.columns(['run_id', 'dedupe_key']).doNothing())
      .returning('seq')
      .executeTakeFirst();
    if (inserted) added.push({ seq: inserted.seq, event });
  }
  return added;
}

export interface RunTransition {
  /** The statuses the run may be in now; anything else means someone else moved it. */
  readonly from: readonly RunStatus[];
  readonly to: RunStatus;
  /** Columns written with the status (started_at, finished_at, error…). */
  readonly columns?: Partial<Omit<Selectable<RunsTable>, 'id' | 'status'>>;
  /** The run-status event announcing it, stored in the same transaction. */
  readonly event: RunEventEntry;
}

/**
 * Compare-and-set of a run's status: moves it from one of `from` to `to` and stores the event
 * that says so, both or neither, in one transaction (a stream that sees the new status has its
 * event too). False when the run was in no status of `from`, unless this very transition (the
 * event's dedupe key) is what moved it. Fenced like every driver's write.
 */
/**
 * The same transition committed before (its commit's answer was lost, and withDb runs it again):
 * the run has the new status and the event's dedupe key, so it counts as done.
 */
async function alreadyApplied(db: StoreDb, runId: string, transition: RunTransition): Promise<boolean> {
  const key = transition.event.dedupeKey;
  if (!key) return false;
  const row = await db
    .selectFrom('run_events')
    .innerJoin('runs', 'runs.id', 'run_events.run_id')
    .select('run_events.seq')
    .where('run_events.run_id', '=', runId)
    .where('run_events.dedupe_key', '=', key)
    .where('runs.status', '=', transition.to)
    .executeTakeFirst();
  return row !== undefined;
}

export async function transitionRun(runId: string, transition: RunTransition): Promise<boolean> {
  const [entry] = checked([transition.event]);
  const moved = await inTransaction(async (db) => {
    const result = await db
      .updateTable('runs')
      .set({ ...transition.columns, status: transition.to })
      .where('id', '=', runId)
      .where('status', 'in', [...transition.from])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return alreadyApplied(db, runId, transition);
    await insertRunEvents(db, runId, [entry!]);
    const fence = fenceOf(runId);
    if (fence) await assertLease(db, fence);
    return true;
  });
  if (moved) publish(runId);
  return moved;
}

/** Appends one event; its seq, or undefined when the run already has an event with this dedupe key. */
export async function appendRunEvent(runId: string, event: RunEvent, dedupeKey?: string): Promise<number | undefined> {
  return (await appendRunEvents(runId, [{ event, dedupeKey }]))[0]?.seq;
}

/** The run's events with seq > afterSeq, oldest first, at most `limit` (1–1000). */
export async function runEventsSince(runId: string, afterSeq: number, limit = 500): Promise<StoredRunEvent[]> {
  const page = Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE);
  const rows = await withDb((db) =>
    db.selectFrom('run_events').select(['seq', 'data']).where('run_id', '=', runId).where('seq', '>', afterSeq).orderBy('seq').limit(page).execute(),
  );
  return rows.map((row) => ({ seq: row.seq, event: JSON.parse(row.data) as RunEvent }));
}

/** The seq of the run's newest event, 0 when it has none. */
export async function lastRunEventSeq(runId: string): Promise<number> {
  const row = await withDb((db) =>
    db
      .selectFrom('run_events')
      .select((eb) => eb.fn.max('seq').as('last'))
      .where('run_id', '=', runId)
      .executeTakeFirst(),
  );
  return Number(row?.last ?? 0);
}

/** The stack events stored for one stack of a run, oldest first (a restarted watcher's memory). */
export async function storedStackEvents(runId: string, stackName: string): Promise<StackEventRecord[]> {
  const rows = await withDb((db) =>
    db.selectFrom('run_events').select('data').where('run_id', '=', runId).where('type', '=', 'stack-event').orderBy('seq').execute(),
  );
  return rows.flatMap(({ data }) => {
    const event = JSON.parse(data) as RunEvent;
    if (event.type !== 'stack-event') throw new Error(`run_events row of type stack-event holds a ${event.type} event`);
    return event.event.stackName === stackName ? [event.event] : [];
  });
}

/** The run's status, or undefined when there is no such run. */
export async function runStatusOf(runId: string): Promise<RunStatus | undefined> {
  const row = await withDb((db) => db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirst());
  return row?.status as RunStatus | undefined;
}
