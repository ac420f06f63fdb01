// The console's store behind one typed query layer (Kysely): the SQLite file in CONSOLE_DATA_DIR
// by default, or PostgreSQL when DATABASE_URL is set, opened on first use with the migrations
// applied. Every feature reads and writes through withDb()/inTransaction(); faults become
// StoreUnavailableError.
import 'server-only';
import { join } from 'node:path';
import { sql, type Kysely, type RawBuilder } from 'kysely';
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

/**
 * Milliseconds since the epoch by the database's clock. Whatever expires (leases, sessions, sign-in
 * attempts) is judged by it, so replicas whose clocks disagree still agree on what has expired.
 */
export function dbNow(): RawBuilder<number> {
  return storeDialect() === 'postgres'
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;
}

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

// On PostgreSQL run leases get connections of their own (LEASE_CONNECTIONS), so renewing them never
// waits behind the pool's ordinary queries, with a statement timeout of a sixth of the lease, so a
// hung renewal fails while the lease still runs. SQLite has one writer at a time whatever the
// handle (a second one would only make a renewal spin on the file lock), so leases share its
// handle there; the per-run deadline (lib/deploy/replica.ts) covers a renewal that hangs.
const HELD_LEASES = Symbol.for('lakerunner.console.store.leases');
type LeaseHolder = typeof globalThis & { [HELD_LEASES]?: Held };
const LEASE_CONNECTIONS = 2;

/** How long one lease statement may take: well under the third of a lease between renewals. */
export const leaseStatementMs = () => Math.max(200, Math.floor((env().CONSOLE_RUN_LEASE_SECONDS * 1000) / 6));

async function openLeaseDb(): Promise<StoreDb> {
  // The main pool migrates the store first.
  await getDb();
  const timeoutMs = leaseStatementMs();
  return openPostgres(env().DATABASE_URL!, { max: LEASE_CONNECTIONS, connectMs: timeoutMs, statementTimeoutMs: timeoutMs });
}

async function getLeaseDb(): Promise<StoreDb> {
  const config = storeConfig();
  if (config.dialect === 'sqlite') return getDb();
  const key = `${config.key}|${leaseStatementMs()}`;
  const holder = globalThis as LeaseHolder;
  const held = holder[HELD_LEASES];
  if (held?.config.key === key) return held.ready;
  if (held) void held.ready.then((db) => db.destroy()).catch(() => undefined);
  const ready = openLeaseDb().catch((error: unknown) => {
    if (holder[HELD_LEASES]?.ready === ready) delete holder[HELD_LEASES];
    throw StoreUnavailableError.from(error, config.location) ?? error;
  });
  holder[HELD_LEASES] = { config: { ...config, key }, ready };
  return ready;
}

/**
 * Runs a run-lease statement on the leases' own connection. Never waits out an outage: a lease
 * that cannot be renewed must be known at once. A statement that ran out of time is a store fault.
 */
export async function withLeaseDb<T>(fn: (db: StoreDb) => Promise<T>): Promise<T> {
  try {
    return await fn(await getLeaseDb());
  } catch (error) {
    throw StoreUnavailableError.from(error, storeLocation()) ?? error;
  }
}

/** Closes the process's connections (tests, shutdown). The next getDb() opens them again. */
export async function closeDb(): Promise<void> {
  for (const symbol of [HELD_LEASES, HELD] as const) {
    const holder = globalThis as Holder & LeaseHolder;
    const held = holder[symbol];
    delete holder[symbol];
    if (held) await held.ready.then((db) => db.destroy()).catch(() => undefined);
  }
}
