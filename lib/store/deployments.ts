// Deployments: a named plan the console deploys, with the AWS access it uses (role ARN and
// ExternalId; never credentials) and where it stands. The plan is stored without NoEcho values.
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Plan } from '@/lib/params/plan';
import { withDb } from './db';

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

interface Row {
  id: string;
  name: string;
  region: string;
  plan: string;
  role_arn: string | null;
  external_id: string | null;
  account: string | null;
  status: DeploymentStatus;
  created_by: string;
  created_at: number;
  updated_at: number;
}

const toDeployment = (row: Row): Deployment => ({
  id: row.id,
  name: row.name,
  region: row.region,
  plan: JSON.parse(row.plan) as Plan,
  roleArn: row.role_arn ?? undefined,
  externalId: row.external_id ?? undefined,
  account: row.account ?? undefined,
  status: row.status,
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

export function findDeploymentByName(name: string): Deployment | undefined {
  const row = withDb((db) => db.prepare<[string], Row>('SELECT * FROM deployments WHERE name = ?').get(name));
  return row && toDeployment(row);
}

export function createDeployment(input: { name: string; plan: Plan; createdBy: string }, now = Date.now()): Deployment {
  const id = newId('dep');
  return withDb((db) =>
    db.transaction(() => {
      const existing = db.prepare<[string], { id: string }>('SELECT id FROM deployments WHERE name = ?').get(input.name);
      if (existing) throw new DuplicateNameError(existing.id);
      db.prepare(
        `INSERT INTO deployments (id, name, region, plan, status, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'planned', ?, ?, ?)`,
      ).run(id, input.name, input.plan.region, JSON.stringify(input.plan), input.createdBy, now, now);
      return toDeployment(db.prepare<[string], Row>('SELECT * FROM deployments WHERE id = ?').get(id)!);
    })(),
  );
}

export function getDeployment(id: string): Deployment | undefined {
  const row = withDb((db) => db.prepare<[string], Row>('SELECT * FROM deployments WHERE id = ?').get(id));
  return row && toDeployment(row);
}

export function listDeployments(): Deployment[] {
  return withDb((db) => db.prepare<[], Row>('SELECT * FROM deployments ORDER BY updated_at DESC').all()).map(toDeployment);
}

const COLUMNS = { roleArn: 'role_arn', externalId: 'external_id', account: 'account', status: 'status' } as const;

export function updateDeployment(
  id: string,
  changes: Partial<Pick<Deployment, 'plan' | 'roleArn' | 'externalId' | 'account' | 'status'>>,
  now = Date.now(),
): void {
  const values: Record<string, string | number | null> = { id, now };
  const sets = ['updated_at = @now'];
  if (changes.plan) {
    sets.push('plan = @plan', 'region = @region');
    values.plan = JSON.stringify(changes.plan);
    values.region = changes.plan.region;
  }
  for (const [key, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
    if (!(key in changes)) continue;
    sets.push(`${column} = @${key}`);
    values[key] = changes[key] || null;
  }
  withDb((db) => db.prepare(`UPDATE deployments SET ${sets.join(', ')} WHERE id = @id`).run(values));
}
