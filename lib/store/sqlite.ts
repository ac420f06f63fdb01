// The SQLite dialect of the store (the zero-setup default): one file in CONSOLE_DATA_DIR, opened
// with WAL and the migrations applied, readable by the console's user only.
import 'server-only';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { StoreUnavailableError } from './errors';
import { checkApplied, checkMigrations, type Migration } from './migrations';
import type { StoreSchema } from './schema';

export function openSqlite(file: string, migrations: readonly Migration[]): Kysely<StoreSchema> {
  const raw = openStore(file, migrations);
  return new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: raw }) });
}

export function openStore(file: string, migrations: readonly Migration[]): Database.Database {
  let db: Database.Database | undefined;
  try {
    const dir = join(file, '..');
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const created = !existsSync(file);
    db = new Database(file);
    // Holds password hashes and the audit log: readable by the console's user only.
    if (created) chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrateSqlite(db, migrations);
    return db;
  } catch (error) {
    db?.close();
    const fault = StoreUnavailableError.from(error, file);
    if (fault) throw fault;
    // mkdir on a read-only volume fails with a Node error code, not a SQLite one.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'ENOSPC') {
      throw new StoreUnavailableError(file, code === 'ENOSPC' ? 'SQLITE_FULL' : 'SQLITE_CANTOPEN', { cause: error });
    }
    throw error;
  }
}

/** Applies the pending migrations in order, each in its own transaction with its record. */
export function migrateSqlite(db: Database.Database, migrations: readonly Migration[]): void {
  checkMigrations(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  ) STRICT`);
  const appliedName = db.prepare<[number], { name: string }>('SELECT name FROM schema_migrations WHERE id = ?');
  const record = db.prepare('INSERT INTO schema_migrations (id, name) VALUES (?, ?)');
  for (const migration of migrations) {
    // IMMEDIATE takes the write lock first, so two processes starting together cannot both apply it.
    db.transaction(() => {
      const applied = appliedName.get(migration.id);
      if (applied) return checkApplied(migration, applied.name);
      db.exec(migration.sqlite);
      record.run(migration.id, migration.name);
    }).immediate();
  }
}
