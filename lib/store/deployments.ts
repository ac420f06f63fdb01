// Deployments: a named plan the console deploys, with the AWS access it uses (role ARN and
// ExternalId; never credentials) and where it stands. The plan is stored without NoEcho values.
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Plan } from '@/lib/params/plan';
import type { Selectable } from 'kysely';
import { inTransaction, withDb, type StoreDb } from './db';
import { writeForRun } from './fence';
import { isUniqueViolation } from './errors';
import type { DeploymentsTable } from './schema';

export type DeploymentStatus = 'planned' | 'deploying' | 'deployed' | 'failed' | 'tearing-down' | 'deleted';

export interface Deployment {
  id: string;
  name: string;
  region: string;
  plan: Plan;
  roleArn?: string;
  externalId?: string;
  account?: string;
  status: DeploymentStatus;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Selectable<DeploymentsTable>;

const toDeployment = (row: Row): Deployment => ({
  id: row.id,
  name: row.name,
  region: row.region,
  plan: JSON.parse(row.plan) as Plan,
  roleArn: row.role_arn ?? undefined,
  externalId: row.external_id ?? undefined,
  account: row.account ?? undefined,
  status: row.status as DeploymentStatus,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export const newId = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

export class DuplicateNameError extends Error {
  constructor(readonly existingId: string) {
    super('A deployment with this name exists already.');
    this.name = 'DuplicateNameError';
  }
}

/** Names compare case-insensitively (lower() on both dialects, matching the unique index). */
const byName = (db: StoreDb, name: string) =>
  db
    .selectFrom('deployments')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['name']), '=', eb.fn('lower', [eb.val(name)])));

export async function findDeploymentByName(name: string): Promise<Deployment | undefined> {
  const row = await withDb((db) => byName(db, name).executeTakeFirst());
  return row && toDeployment(row);
}

export async function createDeployment(input: { name: string; plan: Plan; createdBy: string }, now = Date.now()): Promise<Deployment> {
  const id = newId('dep');
  try {
    return await inTransaction(async (db) => {
      const existing = await byName(db, input.name).executeTakeFirst();
      if (existing) throw new DuplicateNameError(existing.id);
      const row = await db
        .insertInto('deployments')
        .values({ id, name: input.name, region: input.plan.region, plan: JSON.stringify(input.plan), status: 'planned', created_by: input.createdBy, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDeployment(row);
    });
  } catch (error) {
    // Another replica created the same name between the check and the insert.
    if (!isUniqueViolation(error)) throw error;
    const existing = await findDeploymentByName(input.name);
    if (existing) throw new DuplicateNameError(existing.id);
    throw error;
  }
}

export async function getDeployment(id: string): Promise<Deployment | undefined> {
  const row = await withDb((db) => db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst());
  return row && toDeployment(row);
}

export async function listDeployments(): Promise<Deployment[]> {
  return (await withDb((db) => db.selectFrom('deployments').selectAll().orderBy('updated_at', 'desc').execute())).map(toDeployment);
}

/** `forRun`: the run this change comes from; its driver's write is fenced by the run's lease. */
export async function updateDeployment(
  id: string,
  changes: Partial<Pick<Deployment, 'plan' | 'roleArn' | 'externalId' | 'account' | 'status'>>,
  { now = Date.now(), forRun }: { now?: number; forRun?: string } = {},
): Promise<void> {
  const values: Partial<Row> = { updated_at: now };
  if (changes.plan) {
    values.plan = JSON.stringify(changes.plan);
    values.region = changes.plan.region;
  }
  if ('roleArn' in changes) values.role_arn = changes.roleArn || null;
  if ('externalId' in changes) values.external_id = changes.externalId || null;
  if ('account' in changes) values.account = changes.account || null;
  if ('status' in changes && changes.status) values.status = changes.status;
  const write = (db: StoreDb) => db.updateTable('deployments').set(values).where('id', '=', id).execute();
  await (forRun ? writeForRun(forRun, write) : withDb(write));
}
