// Runs: every deploy, operation and teardown the console performs, with its stacks, and the
// per-stack locks that keep two runs off the same stack. Parameter values are stored masked.
import 'server-only';
import type { ResourceChangeSummary, RootCause, RunKind, RunStackView, RunStatus, StackAction, RunStackStatus } from '@/lib/deploy/types';
import type { StackId } from '@/templates/stack';
import type { Selectable } from 'kysely';
import { inTransaction, withDb } from './db';
import { writeForRun } from './fence';
import { newId } from './deployments';
import { isUniqueViolation } from './errors';
import { leaseRow } from './leases';
import type { RunStacksTable, RunsTable } from './schema';

export interface Run {
  id: string;
  deploymentId: string;
  kind: RunKind;
  status: RunStatus;
  startedBy: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  account?: string;
  region: string;
  /** What was asked, e.g. the new image tags (secrets masked). */
  request: Record<string, unknown>;
  /** The parameter values each stack is launched with, NoEcho ones masked. */
  parameters?: Partial<Record<StackId, Record<string, string>>>;
  error?: string;
  rootCause?: RootCause;
  resumedFrom?: string;
}

type RunRow = Selectable<RunsTable>;
type StackRow = Selectable<RunStacksTable>;

const date = (ms: number | null) => (ms === null ? undefined : new Date(ms));
const json = <T,>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

const toRun = (row: RunRow): Run => ({
  id: row.id,
  deploymentId: row.deployment_id,
  kind: row.kind as RunKind,
  status: row.status as RunStatus,
  startedBy: row.started_by,
  createdAt: new Date(row.created_at),
  startedAt: date(row.started_at),
  finishedAt: date(row.finished_at),
  account: row.account ?? undefined,
  region: row.region,
  request: JSON.parse(row.request) as Record<string, unknown>,
  parameters: json(row.parameters),
  error: row.error ?? undefined,
  rootCause: json(row.root_cause),
  resumedFrom: row.resumed_from ?? undefined,
});

const toStack = (row: StackRow): RunStackView => {
  const changes = json<{ list: ResourceChangeSummary[]; fromTemplate: boolean }>(row.changes);
  return {
    position: row.position,
    stackId: row.stack_id as StackId,
    stackName: row.stack_name,
    action: row.action as StackAction,
    status: row.status as RunStackStatus,
    stackStatus: row.stack_status ?? undefined,
    statusReason: row.status_reason ?? undefined,
    changeSetId: row.change_set_id ?? undefined,
    changes: changes?.list,
    changesFromTemplate: changes?.fromTemplate,
    outputs: json(row.outputs),
    arn: row.arn ?? undefined,
    startedAt: date(row.started_at)?.toISOString(),
    finishedAt: date(row.finished_at)?.toISOString(),
  };
};

/** Another run holds one of the stacks. */
export class StackLockedError extends Error {
  constructor(
    readonly runId: string,
    readonly stackName: string,
  ) {
    super(`Stack ${stackName} is in use by run ${runId}.`);
    this.name = 'StackLockedError';
  }
}

export const lockKey = (account: string, region: string, stackName: string) => `${account}/${region}/${stackName}`;

export interface NewRun {
  deploymentId: string;
  kind: RunKind;
  startedBy: string;
  account: string;
  region: string;
  request: Record<string, unknown>;
  stacks: { stackId: StackId; stackName: string; action: StackAction }[];
  resumedFrom?: string;
  /** Taken with the run, so no replica sees it without a driver. */
  lease?: { holder: string; ttlMs: number };
}

/** Creates the run and takes a lock on each of its stacks, atomically; throws StackLockedError. */
export async function createRun(input: NewRun, now = Date.now()): Promise<Run> {
  const id = newId('run');
  const keys = input.stacks.map((stack) => lockKey(input.account, input.region, stack.stackName));
  const heldLock = async () => {
    const held = await withDb((db) => db.selectFrom('stack_locks').select(['lock_key', 'run_id']).where('lock_key', 'in', keys).executeTakeFirst());
    const stack = held && input.stacks[keys.indexOf(held.lock_key)];
    return held && stack ? new StackLockedError(held.run_id, stack.stackName) : undefined;
  };
  try {
    return await inTransaction(
      async (db) => {
        const held = keys.length ? await db.selectFrom('stack_locks').select(['lock_key', 'run_id']).where('lock_key', 'in', keys).executeTakeFirst() : undefined;
        if (held) throw new StackLockedError(held.run_id, input.stacks[keys.indexOf(held.lock_key)]!.stackName);
        const row = await db
          .insertInto('runs')
          .values({
            id,
            deployment_id: input.deploymentId,
            kind: input.kind,
            status: 'preparing',
            started_by: input.startedBy,
            created_at: now,
            account: input.account,
            region: input.region,
            request: JSON.stringify(input.request),
            resumed_from: input.resumedFrom ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (input.stacks.length > 0) {
          await db
            .insertInto('run_stacks')
            .values(input.stacks.map((stack, position) => ({ run_id: id, position, stack_id: stack.stackId, stack_name: stack.stackName, action: stack.action, status: 'pending' })))
            .execute();
          await db.insertInto('stack_locks').values(keys.map((lock_key) => ({ lock_key, run_id: id, acquired_at: now }))).execute();
        }
        if (input.lease) await db.insertInto('run_leases').values(leaseRow(id, input.lease.holder, input.lease.ttlMs)).execute();
        return toRun(row);
      },
      { exclusive: true },
    );
  } catch (error) {
    // The lock's primary key is the last word when two processes race for a stack.
    if (isUniqueViolation(error)) throw (await heldLock()) ?? error;
    throw error;
  }
}

export async function getRun(id: string): Promise<Run | undefined> {
  const row = await withDb((db) => db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst());
  return row && toRun(row);
}

export async function listRuns(filter: { deploymentId?: string; limit?: number } = {}): Promise<Run[]> {
  const limit = filter.limit ?? 200;
  const rows = await withDb((db) => {
    let query = db.selectFrom('runs').selectAll();
    if (filter.deploymentId) query = query.where('deployment_id', '=', filter.deploymentId);
    return query.orderBy('created_at', 'desc').limit(limit).execute();
  });
  return rows.map(toRun);
}

export async function runsWithStatus(statuses: readonly RunStatus[]): Promise<Run[]> {
  if (statuses.length === 0) return [];
  const rows = await withDb((db) => db.selectFrom('runs').selectAll().where('status', 'in', statuses).orderBy('created_at').execute());
  return rows.map(toRun);
}

export async function runStacks(runId: string): Promise<RunStackView[]> {
  const rows = await withDb((db) => db.selectFrom('run_stacks').selectAll().where('run_id', '=', runId).orderBy('position').execute());
  return rows.map(toStack);
}

export type RunChanges = Partial<Pick<Run, 'status' | 'error' | 'rootCause' | 'parameters' | 'startedAt' | 'finishedAt' | 'request'>>;

/** The columns of these changes (only those given). */
export function runColumns(changes: RunChanges): Partial<RunRow> {
  const columns: Partial<RunRow> = {};
  if (changes.status) columns.status = changes.status;
  if ('error' in changes) columns.error = changes.error ?? null;
  if ('rootCause' in changes) columns.root_cause = changes.rootCause ? JSON.stringify(changes.rootCause) : null;
  if (changes.parameters) columns.parameters = JSON.stringify(changes.parameters);
  if (changes.request) columns.request = JSON.stringify(changes.request);
  if (changes.startedAt) columns.started_at = changes.startedAt.getTime();
  if (changes.finishedAt) columns.finished_at = changes.finishedAt.getTime();
  return columns;
}

/** Changes a run's details; its status changes only through transitionRun (compare-and-set, lib/store/run-events.ts). */
export async function updateRun(id: string, changes: Omit<RunChanges, 'status'>): Promise<void> {
  const columns = runColumns(changes);
  if (Object.keys(columns).length === 0) return;
  await writeForRun(id, (db) => db.updateTable('runs').set(columns).where('id', '=', id).execute());
}

type StackChanges = Partial<Omit<RunStackView, 'position' | 'stackId' | 'stackName' | 'changesFromTemplate'>> & { fromTemplate?: boolean };

const TEXT_COLUMNS = { action: 'action', status: 'status', stackStatus: 'stack_status', statusReason: 'status_reason', changeSetId: 'change_set_id', arn: 'arn' } as const;

export async function updateRunStack(runId: string, stackId: StackId, changes: StackChanges): Promise<void> {
  const columns: Partial<Record<keyof StackRow, string | number | null>> = {};
  for (const [key, column] of Object.entries(TEXT_COLUMNS) as [keyof typeof TEXT_COLUMNS, keyof StackRow][])
    if (key in changes) columns[column] = (changes[key] as string | undefined) ?? null;
  if (changes.changes) columns.changes = JSON.stringify({ list: changes.changes, fromTemplate: changes.fromTemplate ?? false });
  if (changes.outputs) columns.outputs = JSON.stringify(changes.outputs);
  if (changes.startedAt) columns.started_at = Date.parse(changes.startedAt);
  if (changes.finishedAt) columns.finished_at = Date.parse(changes.finishedAt);
  if (Object.keys(columns).length === 0) return;
  await writeForRun(runId, (db) =>
    db
      .updateTable('run_stacks')
      .set(columns as Partial<StackRow>)
      .where('run_id', '=', runId)
      .where('stack_id', '=', stackId)
      .execute(),
  );
}

/** Records the parameter values one stack was launched with (masked), keeping the other stacks'. */
export async function recordStackParameters(runId: string, stackId: StackId, values: Record<string, string>): Promise<void> {
  await writeForRun(
    runId,
    async (db) => {
      const row = await db.selectFrom('runs').select('parameters').where('id', '=', runId).executeTakeFirst();
      const all = row?.parameters ? (JSON.parse(row.parameters) as Record<string, Record<string, string>>) : {};
      all[stackId] = values;
      await db.updateTable('runs').set({ parameters: JSON.stringify(all) }).where('id', '=', runId).execute();
    },
    // Stacks running side by side record theirs at once: one read-modify-write at a time.
    { exclusive: true },
  );
}

export async function releaseLocks(runId: string): Promise<void> {
  await writeForRun(runId, (db) => db.deleteFrom('stack_locks').where('run_id', '=', runId).execute());
}

/** The most recent finished run of a deployment before `before`, for parameter diffs. */
export async function previousRun(deploymentId: string, before: Date): Promise<Run | undefined> {
  const row = await withDb((db) =>
    db
      .selectFrom('runs')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .where('created_at', '<', before.getTime())
      .where('parameters', 'is not', null)
      .where('kind', '<>', 'teardown')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
  return row && toRun(row);
}
