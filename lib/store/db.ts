// The console's SQLite store: one connection per process, opened on first use with WAL and the
// migrations applied. Every feature reads and writes through getDb(); faults become
// StoreUnavailableError.
import 'server-only';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { env } from '@/lib/env';
import { StoreUnavailableError } from './errors';
import { MIGRATIONS, type Migration } from './migrations';

export type { Database } from 'better-sqlite3';

interface Held {
  file: string;
  db: Database.Database;
}

// Next bundles this module several times per process (proxy, pages, route handlers); all of them
// must share one connection, so it lives on globalThis.
const HELD = Symbol.for('lakerunner.console.store');
type Holder = typeof globalThis & { [HELD]?: Held };

export function storeFile(): string {
  return join(env().CONSOLE_DATA_DIR, 'console.db');
}

export function getDb(): Database.Database {
  const file = storeFile();
  const holder = globalThis as Holder;
  const held = holder[HELD];
  if (held?.file === file && held.db.open) return held.db;
  if (held?.db.open) held.db.close();
  const db = openStore(file);
  holder[HELD] = { file, db };
  return db;
}

/** Runs fn with the store, turning SQLite faults into StoreUnavailableError. */
export function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = getDb();
  try {
    return fn(db);
  } catch (error) {
    throw StoreUnavailableError.from(error, storeFile()) ?? error;
  }
}

/** Closes the process's connection (tests, shutdown). The next getDb() opens it again. */
export function closeDb(): void {
  const holder = globalThis as Holder;
  holder[HELD]?.db.close();
  delete holder[HELD];
}

export function openStore(file: string, migrations: readonly Migration[] = MIGRATIONS): Database.Database {
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
    migrate(db, migrations);
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
export function migrate(db: Database.Database, migrations: readonly Migration[]): void {
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
      if (applied) {
        if (applied.name !== migration.name) {
          throw new Error(
            `Store migration ${migration.id} was applied as "${applied.name}" but the code now calls it "${migration.name}". Migrations are append-only: add a new one instead of editing or reordering.`,
          );
        }
        return;
      }
      db.exec(migration.sql);
      record.run(migration.id, migration.name);
    }).immediate();
  }
}

function checkMigrations(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.id) || m.id <= previous) {
      throw new Error(`Store migrations must have increasing integer ids; ${m.id} (${m.name}) follows ${previous}.`);
    }
    previous = m.id;
  }
}
