// The console's store behind one typed query layer (Kysely): the SQLite file in CONSOLE_DATA_DIR
// by default, or PostgreSQL when DATABASE_URL is set, opened on first use with the migrations
// applied. Every feature reads and writes through withDb()/inTransaction(); faults become
// StoreUnavailableError.
import 'server-only';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { env } from '@/lib/env';
import { StoreUnavailableError } from './errors';
import { MIGRATIONS } from './migrations';
import { pause } from '@/lib/pause';
import { outagePatience } from './outages';
import { LOCKS, migratePostgres, openPostgres, postgresLocation } from './postgres';
import type { StoreSchema } from './schema';
import { openSqlite } from './sqlite';

export type StoreDb = Kysely<StoreSchema>;
export type Dialect = 'sqlite' | 'postgres';

interface StoreConfig {
  readonly dialect: Dialect;
  /** The file, or the server and database without credentials: safe to show. */
  readonly location: string;
  readonly key: string;
}

interface Held {
  readonly config: StoreConfig;
  readonly ready: Promise<StoreDb>;
}

// Next bundles this module several times per process (proxy, pages, route handlers); all of them
// must share one connection (pool), so it lives on globalThis.
const HELD = Symbol.for('lakerunner.console.store');
type Holder = typeof globalThis & { [HELD]?: Held };

export function storeFile(): string {
  return join(env().CONSOLE_DATA_DIR, 'console.db');
}

function storeConfig(): StoreConfig {
  const { DATABASE_URL: url, CONSOLE_DB_POOL_SIZE: pool } = env();
  if (url) return { dialect: 'postgres', location: postgresLocation(url), key: `${url}|${pool}` };
  const file = storeFile();
  return { dialect: 'sqlite', location: file, key: file };
}

export const storeDialect = (): Dialect => storeConfig().dialect;
export const storeLocation = (): string => storeConfig().location;

async function open(config: StoreConfig): Promise<StoreDb> {
  if (config.dialect === 'sqlite') return openSqlite(config.location, MIGRATIONS);
  const db = openPostgres(env().DATABASE_URL!, { max: env().CONSOLE_DB_POOL_SIZE });
  try {
    await migratePostgres(db, MIGRATIONS);
    return db;
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
}

/** The store, opened (and migrated) on first use. A failed open is tried again by the next call. */
export async function getDb(): Promise<StoreDb> {
  const config = storeConfig();
  const holder = globalThis as Holder;
  const held = holder[HELD];
  if (held?.config.key === config.key) return held.ready;
  if (held) void held.ready.then((db) => db.destroy()).catch(() => undefined);
  const ready = open(config).catch((error: unknown) => {
    if (holder[HELD]?.ready === ready) delete holder[HELD];
    throw StoreUnavailableError.from(error, config.location) ?? error;
  });
  holder[HELD] = { config, ready };
  return ready;
}

const RETRY_MS = 1000;
let outageSince: number | undefined;

/**
 * Runs fn with the store, turning store faults into StoreUnavailableError. Inside work that waits
 * out outages (outages.ts), fn is tried again every second until the store answers.
 */
export async function withDb<T>(fn: (db: StoreDb) => Promise<T>): Promise<T> {
  for (;;) {
    try {
      const result = await fn(await getDb());
      if (outageSince !== undefined) {
        console.warn(`The data store answers again after ${Math.round((Date.now() - outageSince) / 1000)} s.`);
        outageSince = undefined;
      }
      return result;
    } catch (error) {
      const fault = StoreUnavailableError.from(error, storeLocation());
      if (!fault) throw error;
      const patience = outagePatience();
      if (!patience || patience.aborted) throw fault;
      if (outageSince === undefined) {
        outageSince = Date.now();
        console.error(`${fault.message} Runs in progress wait for it.`);
      }
      await pause(RETRY_MS, patience);
      if (patience.aborted) throw fault;
    }
  }
}

/**
 * Runs fn in one transaction. `exclusive` ones run one at a time across every process sharing the
 * store (SQLite's IMMEDIATE write lock; a PostgreSQL advisory lock): for check-then-write rules
 * such as "keep one admin" or "one run per stack", which a unique key alone cannot hold.
 */
export async function inTransaction<T>(fn: (trx: StoreDb) => Promise<T>, { exclusive = false } = {}): Promise<T> {
  return withDb(async (db) => {
    if (storeDialect() === 'postgres') {
      return db.transaction().execute(async (trx) => {
        if (exclusive) await sql`SELECT pg_advisory_xact_lock(${LOCKS.namespace}, ${LOCKS.exclusive})`.execute(trx);
        return fn(trx);
      });
    }
    if (!exclusive) return db.transaction().execute(fn);
    // One connection per process: holding it keeps this process's other queries out meanwhile.
    return db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`COMMIT`.execute(conn);
        return result;
      } catch (error) {
        await sql`ROLLBACK`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  });
}

/** Whether the store answers a trivial query (the health check). */
export async function storeAnswers(): Promise<boolean> {
  try {
    await withDb((db) => sql`SELECT 1`.execute(db));
    return true;
  } catch {
    return false;
  }
}

/** Closes the process's connections (tests, shutdown). The next getDb() opens them again. */
export async function closeDb(): Promise<void> {
  const holder = globalThis as Holder;
  const held = holder[HELD];
  delete holder[HELD];
  if (held) await held.ready.then((db) => db.destroy()).catch(() => undefined);
}
