// The store's tables as Kysely sees them, for both dialects. Times are integer milliseconds since
// the epoch; JSON columns hold text; booleans are 0/1 integers (SQLite has no other kind).
import type { Generated } from 'kysely';

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
  client: string | null;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  role: 'viewer' | 'deployer' | 'admin';
  role_source: Generated<'admin' | 'claim' | 'default'>;
  password_hash: string | null;
  must_change_password: Generated<0 | 1>;
  source: Generated<'local' | 'proxy' | 'oidc'>;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  created_at: number;
  updated_at: number;
  last_sign_in_at: number | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  client: string | null;
}

export interface SignInFailuresTable {
  key: string;
  at: number;
}

export interface OidcAttemptsTable {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  next_path: string;
  expires_at: number;
}

export interface DeploymentsTable {
  id: string;
  name: string;
  region: string;
  plan: string;
  role_arn: string | null;
  external_id: string | null;
  account: string | null;
  status: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface RunsTable {
  id: string;
  deployment_id: string;
  kind: string;
  status: string;
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

export interface RunStacksTable {
  run_id: string;
  position: number;
  stack_id: string;
  stack_name: string;
  action: string;
  status: string;
  stack_status: string | null;
  status_reason: string | null;
  change_set_id: string | null;
  changes: string | null;
  outputs: string | null;
  arn: string | null;
  started_at: number | null;
  finished_at: number | null;
}

export interface RunEventsTable {
  seq: Generated<number>;
  run_id: string;
  type: string;
  dedupe_key: string | null;
  data: string;
  at: number;
}

export interface StackLocksTable {
  lock_key: string;
  run_id: string;
  acquired_at: number;
}

export interface RunLeasesTable {
  run_id: string;
  /** The replica driving the run (see lib/deploy/replica.ts). */
  holder: string;
  expires_at: number;
  acquired_at: number;
}

export interface RunSecretsTable {
  run_id: string;
  /** The run's NoEcho values as JSON, sealed (lib/security/sealed.ts) for the run's id. */
  sealed: string;
  created_at: number;
}

export interface StackOwnersTable {
  account: string;
  region: string;
  stack_name: string;
  /** The deployment that made (or attached) the stack. */
  deployment_id: string;
  claimed_at: number;
}

export interface DeploymentStepsTable {
  deployment_id: string;
  /** A release line's ManualStep id. */
  step_id: string;
  done_by: string;
  done_at: number;
}

export interface SchemaMigrationsTable {
  id: number;
  name: string;
  applied_at: Generated<string>;
}

export interface StoreSchema {
  audit_log: AuditLogTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  oidc_attempts: OidcAttemptsTable;
  deployments: DeploymentsTable;
  runs: RunsTable;
  run_stacks: RunStacksTable;
  run_events: RunEventsTable;
  stack_locks: StackLocksTable;
  run_leases: RunLeasesTable;
  run_secrets: RunSecretsTable;
  stack_owners: StackOwnersTable;
  deployment_steps: DeploymentStepsTable;
  schema_migrations: SchemaMigrationsTable;
}
