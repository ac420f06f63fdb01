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
];
