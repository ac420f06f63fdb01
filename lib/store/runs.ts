// Runs: every deploy, operation and teardown the console performs, with its stacks, and the
// per-stack locks that keep two runs off the same stack. Parameter values are stored masked.
import 'server-only';
import type { ResourceChangeSummary, RootCause, RunKind, RunStackView, RunStatus, StackAction, RunStackStatus } from '@/lib/deploy/types';
import type { StackId } from '@/templates/stack';
import { withDb } from './db';
import { newId } from './deployments';

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

interface RunRow {
  id: string;
  deployment_id: string;
  kind: RunKind;
  status: RunStatus;
  started_by: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  account: string | null;
  region: string;
  request: string;
  parameters: string | null;
  error: string | null;
  root_cause: string | null;
  resumed_from: string | null;
}

interface StackRow {
  run_id: string;
  position: number;
  stack_id: StackId;
  stack_name: string;
  action: StackAction;
  status: RunStackStatus;
  stack_status: string | null;
  status_reason: string | null;
  change_set_id: string | null;
  changes: string | null;
  outputs: string | null;
  arn: string | null;
  started_at: number | null;
  finished_at: number | null;
}

const date = (ms: number | null) => (ms === null ? undefined : new Date(ms));
const json = <T,>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

const toRun = (row: RunRow): Run => ({
  id: row.id,
  deploymentId: row.deployment_id,
  kind: row.kind,
  status: row.status,
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
    stackId: row.stack_id,
    stackName: row.stack_name,
    action: row.action,
    status: row.status,
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
}

/** Creates the run and takes a lock on each of its stacks, atomically; throws StackLockedError. */
export function createRun(input: NewRun, now = Date.now()): Run {
  const id = newId('run');
  return withDb((db) =>
    db.transaction(() => {
      const holder = db.prepare<[string], { run_id: string }>('SELECT run_id FROM stack_locks WHERE lock_key = ?');
      for (const stack of input.stacks) {
        const held = holder.get(lockKey(input.account, input.region, stack.stackName));
        if (held) throw new StackLockedError(held.run_id, stack.stackName);
      }
      db.prepare(
        `INSERT INTO runs (id, deployment_id, kind, status, started_by, created_at, account, region, request, resumed_from)
         VALUES (?, ?, ?, 'preparing', ?, ?, ?, ?, ?, ?)`,
      ).run(id, input.deploymentId, input.kind, input.startedBy, now, input.account, input.region, JSON.stringify(input.request), input.resumedFrom ?? null);
      const addStack = db.prepare(
        `INSERT INTO run_stacks (run_id, position, stack_id, stack_name, action, status) VALUES (?, ?, ?, ?, ?, 'pending')`,
      );
      const lock = db.prepare('INSERT INTO stack_locks (lock_key, run_id, acquired_at) VALUES (?, ?, ?)');
      input.stacks.forEach((stack, position) => {
        addStack.run(id, position, stack.stackId, stack.stackName, stack.action);
        lock.run(lockKey(input.account, input.region, stack.stackName), id, now);
      });
      return toRun(db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?').get(id)!);
    }).immediate(),
  );
}

export function getRun(id: string): Run | undefined {
  const row = withDb((db) => db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?').get(id));
  return row && toRun(row);
}

export function listRuns(filter: { deploymentId?: string; limit?: number } = {}): Run[] {
  const limit = filter.limit ?? 200;
  const rows = withDb((db) =>
    filter.deploymentId
      ? db.prepare<[string, number], RunRow>('SELECT * FROM runs WHERE deployment_id = ? ORDER BY created_at DESC LIMIT ?').all(filter.deploymentId, limit)
      : db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY created_at DESC LIMIT ?').all(limit),
  );
  return rows.map(toRun);
}

export function runsWithStatus(statuses: readonly RunStatus[]): Run[] {
  const marks = statuses.map(() => '?').join(', ');
  return withDb((db) => db.prepare<RunStatus[], RunRow>(`SELECT * FROM runs WHERE status IN (${marks}) ORDER BY created_at`).all(...statuses)).map(toRun);
}

export function runStacks(runId: string): RunStackView[] {
  return withDb((db) => db.prepare<[string], StackRow>('SELECT * FROM run_stacks WHERE run_id = ? ORDER BY position').all(runId)).map(toStack);
}

type RunChanges = Partial<Pick<Run, 'status' | 'error' | 'rootCause' | 'parameters' | 'startedAt' | 'finishedAt' | 'request'>>;

export function updateRun(id: string, changes: RunChanges): void {
  const columns: Record<string, string | number | null> = {};
  if (changes.status) columns.status = changes.status;
  if ('error' in changes) columns.error = changes.error ?? null;
  if ('rootCause' in changes) columns.root_cause = changes.rootCause ? JSON.stringify(changes.rootCause) : null;
  if (changes.parameters) columns.parameters = JSON.stringify(changes.parameters);
  if (changes.request) columns.request = JSON.stringify(changes.request);
  if (changes.startedAt) columns.started_at = changes.startedAt.getTime();
  if (changes.finishedAt) columns.finished_at = changes.finishedAt.getTime();
  const sets = Object.keys(columns).map((c) => `${c} = @${c}`);
  if (sets.length === 0) return;
  withDb((db) => db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = @id`).run({ ...columns, id }));
}

type StackChanges = Partial<Omit<RunStackView, 'position' | 'stackId' | 'stackName' | 'changesFromTemplate'>> & { fromTemplate?: boolean };

export function updateRunStack(runId: string, stackId: StackId, changes: StackChanges): void {
  const columns: Record<string, string | number | null> = {};
  const text = { action: 'action', status: 'status', stackStatus: 'stack_status', statusReason: 'status_reason', changeSetId: 'change_set_id', arn: 'arn' } as const;
  for (const [key, column] of Object.entries(text) as [keyof typeof text, string][]) if (key in changes) columns[column] = (changes[key] as string | undefined) ?? null;
  if (changes.changes) columns.changes = JSON.stringify({ list: changes.changes, fromTemplate: changes.fromTemplate ?? false });
  if (changes.outputs) columns.outputs = JSON.stringify(changes.outputs);
  if (changes.startedAt) columns.started_at = Date.parse(changes.startedAt);
  if (changes.finishedAt) columns.finished_at = Date.parse(changes.finishedAt);
  const sets = Object.keys(columns).map((c) => `${c} = @${c}`);
  if (sets.length === 0) return;
  withDb((db) => db.prepare(`UPDATE run_stacks SET ${sets.join(', ')} WHERE run_id = @runId AND stack_id = @stackId`).run({ ...columns, runId, stackId }));
}

/** Records the parameter values one stack was launched with (masked), keeping the other stacks'. */
export function recordStackParameters(runId: string, stackId: StackId, values: Record<string, string>): void {
  withDb((db) =>
    db.transaction(() => {
      const row = db.prepare<[string], { parameters: string | null }>('SELECT parameters FROM runs WHERE id = ?').get(runId);
      const all = row?.parameters ? (JSON.parse(row.parameters) as Record<string, Record<string, string>>) : {};
      all[stackId] = values;
      db.prepare('UPDATE runs SET parameters = ? WHERE id = ?').run(JSON.stringify(all), runId);
    })(),
  );
}

export function releaseLocks(runId: string): void {
  withDb((db) => db.prepare('DELETE FROM stack_locks WHERE run_id = ?').run(runId));
}

/** The most recent finished run of a deployment before `before`, for parameter diffs. */
export function previousRun(deploymentId: string, before: Date): Run | undefined {
  const row = withDb((db) =>
    db
      .prepare<[string, number], RunRow>(
        `SELECT * FROM runs WHERE deployment_id = ? AND created_at < ? AND parameters IS NOT NULL AND kind <> 'teardown' ORDER BY created_at DESC LIMIT 1`,
      )
      .get(deploymentId, before.getTime()),
  );
  return row && toRun(row);
}
