// The store's schema, as an append-only list of migrations applied in order by db.ts.
// To change the schema, append an entry with the next id; never edit or reorder applied ones.
// Times are integer milliseconds since the epoch (UTC).

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'audit-log',
    sql: `
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        details TEXT,
        client TEXT
      ) STRICT;
    `,
  },
  {
    id: 2,
    name: 'users-sessions-sign-in-failures',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'deployer', 'admin')),
        password_hash TEXT,
        must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
        source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'proxy')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_sign_in_at INTEGER
      ) STRICT;
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        client TEXT
      ) STRICT;
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE sign_in_failures (
        key TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sign_in_failures_key_at ON sign_in_failures (key, at);
    `,
  },
  {
    id: 3,
    name: 'deployments-runs-events-locks',
    sql: `
      CREATE TABLE deployments (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        region TEXT NOT NULL,
        plan TEXT NOT NULL,
        role_arn TEXT,
        external_id TEXT,
        account TEXT,
        status TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        started_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        account TEXT,
        region TEXT NOT NULL,
        request TEXT NOT NULL,
        parameters TEXT,
        error TEXT,
        root_cause TEXT,
        resumed_from TEXT
      ) STRICT;
      CREATE INDEX runs_deployment ON runs (deployment_id, created_at);
      CREATE INDEX runs_status ON runs (status);
      CREATE TABLE run_stacks (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        stack_id TEXT NOT NULL,
        stack_name TEXT NOT NULL,
        action TEXT NOT NULL,
        status TEXT NOT NULL,
        stack_status TEXT,
        status_reason TEXT,
        change_set_id TEXT,
        changes TEXT,
        outputs TEXT,
        arn TEXT,
        started_at INTEGER,
        finished_at INTEGER,
        PRIMARY KEY (run_id, stack_id)
      ) STRICT;
      CREATE TABLE run_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        dedupe_key TEXT,
        data TEXT NOT NULL,
        at INTEGER NOT NULL,
        UNIQUE (run_id, dedupe_key)
      ) STRICT;
      CREATE INDEX run_events_run_seq ON run_events (run_id, seq);
      CREATE TABLE stack_locks (
        lock_key TEXT PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        acquired_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];
