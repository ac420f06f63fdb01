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
  {
    id: 4,
    name: 'openid-connect-sign-in',
    // Users gain the 'oidc' source, the provider's issuer and subject, and where their role came
    // from. SQLite cannot change a CHECK constraint in place, so users is rebuilt, and sessions with
    // it (dropping the old users table would otherwise delete every session through the foreign
    // key); renaming users_v4 repoints sessions' reference. Sign-ins in progress get their own table.
    sql: `
      CREATE TABLE users_v4 (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'deployer', 'admin')),
        role_source TEXT NOT NULL DEFAULT 'admin' CHECK (role_source IN ('admin', 'claim', 'default')),
        password_hash TEXT,
        must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
        source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'proxy', 'oidc')),
        oidc_issuer TEXT,
        oidc_subject TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_sign_in_at INTEGER,
        UNIQUE (oidc_issuer, oidc_subject)
      ) STRICT;
      INSERT INTO users_v4 (id, username, role, role_source, password_hash, must_change_password, source, created_at, updated_at, last_sign_in_at)
        SELECT id, username, role, CASE source WHEN 'proxy' THEN 'default' ELSE 'admin' END, password_hash, must_change_password, source, created_at, updated_at, last_sign_in_at
        FROM users;
      CREATE TABLE sessions_v4 (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users_v4 (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        client TEXT
      ) STRICT;
      INSERT INTO sessions_v4 (token_hash, user_id, created_at, last_seen_at, expires_at, client)
        SELECT token_hash, user_id, created_at, last_seen_at, expires_at, client FROM sessions;
      DROP TABLE sessions;
      DROP TABLE users;
      ALTER TABLE users_v4 RENAME TO users;
      ALTER TABLE sessions_v4 RENAME TO sessions;
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE TABLE oidc_attempts (
        id_hash TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        nonce TEXT NOT NULL,
        code_verifier TEXT NOT NULL,
        next_path TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX oidc_attempts_expires ON oidc_attempts (expires_at);
    `,
  },
];
