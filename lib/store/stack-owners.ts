// Which deployment each stack belongs to, per account and region: claimed when a deployment makes
// the stack (its first change set creates it) or attaches it, given up when the deployment is torn
// down. The deploy engine checks it before a run (lib/deploy/ownership.ts).
import 'server-only';
import { withDb, type StoreDb } from './db';
import { writeForRun } from './fence';

export interface StackOwner {
  readonly stackName: string;
  readonly deploymentId: string;
  readonly deploymentName: string;
}

/** The live (not deleted) deployments these stacks belong to, by stack name. */
export async function stackOwners(account: string, region: string, stackNames: readonly string[]): Promise<Map<string, StackOwner>> {
  if (stackNames.length === 0) return new Map();
  const rows = await withDb((db) =>
    db
      .selectFrom('stack_owners as o')
      .innerJoin('deployments as d', 'd.id', 'o.deployment_id')
      .select(['o.stack_name', 'o.deployment_id', 'd.name'])
      .where('o.account', '=', account)
      .where('o.region', '=', region)
      .where('o.stack_name', 'in', [...stackNames])
      .where('d.status', '<>', 'deleted')
      .execute(),
  );
  return new Map(rows.map((row) => [row.stack_name, { stackName: row.stack_name, deploymentId: row.deployment_id, deploymentName: row.name }]));
}

/** The deployments of other runs holding these stacks' locks right now, by stack name. */
export async function stackLockHolders(account: string, region: string, stackNames: readonly string[]): Promise<Map<string, StackOwner & { runId: string }>> {
  if (stackNames.length === 0) return new Map();
  const keys = stackNames.map((name) => `${account}/${region}/${name}`);
  const rows = await withDb((db) =>
    db
      .selectFrom('stack_locks as l')
      .innerJoin('runs as r', 'r.id', 'l.run_id')
      .innerJoin('deployments as d', 'd.id', 'r.deployment_id')
      .select(['l.lock_key', 'l.run_id', 'd.id', 'd.name'])
      .where('l.lock_key', 'in', keys)
      .execute(),
  );
  return new Map(
    rows.map((row) => {
      const stackName = stackNames[keys.indexOf(row.lock_key)]!;
      return [stackName, { stackName, deploymentId: row.id, deploymentName: row.name, runId: row.run_id }];
    }),
  );
}

/** Records these stacks as the deployment's (replacing any earlier owner: the caller checked). */
export async function claimStacks(deploymentId: string, account: string, region: string, stackNames: readonly string[], now = Date.now()): Promise<void> {
  if (stackNames.length === 0) return;
  await withDb((db) =>
    db
      .insertInto('stack_owners')
      .values(stackNames.map((stack_name) => ({ account, region, stack_name, deployment_id: deploymentId, claimed_at: now })))
      .onConflict((oc) => oc.columns(['account', 'region', 'stack_name']).doUpdateSet((eb) => ({ deployment_id: eb.ref('excluded.deployment_id'), claimed_at: eb.ref('excluded.claimed_at') })))
      .execute(),
  );
}

/** Whether the deployment has claimed any stack (deployments from before ownership was recorded have not). */
export async function claimsAny(deploymentId: string): Promise<boolean> {
  const row = await withDb((db) => db.selectFrom('stack_owners').select('stack_name').where('deployment_id', '=', deploymentId).limit(1).executeTakeFirst());
  return row !== undefined;
}

/** Gives up every stack of the deployment (it was torn down); `forRun`: fenced by that run's lease. */
export async function releaseStacks(deploymentId: string, forRun?: string): Promise<void> {
  const release = (db: StoreDb) => db.deleteFrom('stack_owners').where('deployment_id', '=', deploymentId).execute();
  await (forRun ? writeForRun(forRun, release) : withDb(release));
}
