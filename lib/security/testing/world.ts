// The console the fuzz tests attack, in-process: a fresh store with one user per role, a
// deployment and a finished run to aim at, and the embedded sandbox as the AWS account. Also the
// fingerprints that prove a refused request changed nothing: the store's rows, the sandbox's
// call count and the built-in prototypes.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@/lib/auth/roles';
import { createSession } from '@/lib/auth/sessions';
import { createUser, type User } from '@/lib/auth/users';
import { getConnection } from '@/lib/aws/connection';
import { resetEnvForTests } from '@/lib/env';
import { defaultPlan2025, METAS_2025, type Plan2025 } from '@/lib/plan/testing/line-2025';
import { getEmbeddedSandbox } from '@/lib/sandbox/embedded';
import type { Sandbox } from '@/lib/sandbox/index';
import { sql } from 'kysely';
import { closeDb, getDb, type StoreDb } from '@/lib/store/db';
import { createDeployment, type Deployment } from '@/lib/store/deployments';
import { insertRun } from '@/lib/store/testing/runs';
import { POLLUTION_MARK } from './hostile';

export const PASSWORD = 'fuzz password, long enough';
export const FINISHED_RUN = 'run-0123456789ab';

export interface World {
  dir: string;
  sandbox: Sandbox;
  users: Record<Role, User>;
  /** A deployer other tests change the role and sessions of. */
  target: User;
  deployment: Deployment;
  /** A session token for the user of this role, the same one each time. */
  session(role: Role): string;
  /** A new session token (for calls that end their session). */
  freshSession(role: Role): Promise<string>;
  close(): Promise<void>;
}

export function basePlan(): Plan2025 {
  const plan = defaultPlan2025();
  plan.name = 'fuzz';
  for (const meta of METAS_2025) plan.stackNames[meta.id] = `fuzz-${meta.id}`;
  return plan;
}

export async function createWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'lr-fuzz-'));
  Object.assign(process.env, { CONSOLE_DATA_DIR: dir, CONSOLE_SANDBOX: 'on', SANDBOX_TIME_SCALE: '0', SANDBOX_PORT: '0', CONSOLE_POLL_MS: '50' });
  delete process.env.SANDBOX_CONTROL_TOKEN;
  resetEnvForTests();
  await getConnection();
  const sandbox = await getEmbeddedSandbox({});
  const users = {
    viewer: await createUser({ username: 'fuzz-viewer', role: 'viewer', password: PASSWORD }),
    deployer: await createUser({ username: 'fuzz-deployer', role: 'deployer', password: PASSWORD }),
    admin: await createUser({ username: 'fuzz-admin', role: 'admin', password: PASSWORD }),
  };
  const target = await createUser({ username: 'fuzz-target', role: 'deployer', password: PASSWORD });
  await createSession(target.id, undefined);
  const deployment = await createDeployment({ name: 'fuzz', plan: basePlan(), createdBy: 'fuzz-admin' });
  await insertRun(FINISHED_RUN, 'succeeded');
  const freshSession = async (role: Role) => (await createSession(users[role].id, undefined)).token;
  const tokens = new Map<Role, string>();
  for (const role of Object.keys(users) as Role[]) tokens.set(role, await freshSession(role));
  return {
    dir,
    sandbox,
    users,
    target,
    deployment,
    session: (role) => tokens.get(role)!,
    freshSession,
    close: async () => {
      await closeDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The console's own tables (not the dialect's bookkeeping), by name. */
async function tables(db: StoreDb): Promise<string[]> {
  return (await db.introspection.getTables()).map((t) => t.name).sort();
}

async function rowsOf(db: StoreDb, table: string): Promise<Record<string, unknown>[]> {
  const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db);
  return rows;
}

/** Every row of every table (sessions without their activity time), hashed. */
export async function storeFingerprint(): Promise<string> {
  const db = await getDb();
  const hash = createHash('sha256');
  for (const table of await tables(db)) {
    const rows = (await rowsOf(db, table)).map((row) => {
      if (table === 'sessions') delete row.last_seen_at;
      return JSON.stringify(row);
    });
    hash.update(table);
    for (const row of rows.sort()) hash.update(row);
  }
  return hash.digest('hex');
}

/** Row counts per table of the console's own. */
export async function rowCounts(): Promise<Record<string, number>> {
  const db = await getDb();
  const counts: Record<string, number> = {};
  for (const table of await tables(db)) counts[table] = (await rowsOf(db, table)).length;
  return counts;
}

export const sandboxCalls = (sandbox: Sandbox): number => Object.values(sandbox.metrics()).reduce((a, b) => a + b, 0);

const BUILTINS = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Boolean.prototype];

/** The own keys of the built-in prototypes, and whether a fresh object shows the pollution mark. */
export function prototypeFingerprint(): string {
  const probe: Record<string, unknown> = {};
  return JSON.stringify([BUILTINS.map((p) => Object.getOwnPropertyNames(p).sort()), POLLUTION_MARK in probe, probe[POLLUTION_MARK] ?? null]);
}
