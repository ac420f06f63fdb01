// The PostgreSQL dialect of the store (DATABASE_URL): a connection pool shared by the process,
// BIGINT columns read as numbers, and the migrations applied under an advisory lock so replicas
// that start at once migrate the database once.
import 'server-only';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { checkApplied, checkMigrations, type Migration } from './migrations';
import type { StoreSchema } from './schema';

/** Advisory lock keys (the two-integer form; the first number is the console's namespace). */
export const LOCKS = { namespace: 1_280_591_698, migrate: 1, exclusive: 2, /** Keyed by the run: (runEvents, hashtext(run id)). */ runEvents: 1_280_591_699 } as const;

const INT8 = 20;

/** BIGINT columns hold integer milliseconds and seqs: numbers, not the strings pg gives by default. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`A BIGINT value (${text}) is beyond JavaScript's safe integers.`);
  return value;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Where the store is, for messages: the server and database, never the user or password. */
export function postgresLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `postgres://${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'postgres (DATABASE_URL)';
  }
}

export interface PoolOptions {
  readonly max: number;
  /** How long a query waits for a connection before the store counts as unavailable. */
  readonly connectMs?: number;
  /** Cancels a statement after this long (server-side statement_timeout, and on the client too). */
  readonly statementTimeoutMs?: number;
}

export function openPostgres(url: string, options: PoolOptions): Kysely<StoreSchema> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    connectionTimeoutMillis: options.connectMs ?? 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'lakerunner-console',
    types,
    ...(options.statementTimeoutMs
      ? { statement_timeout: options.statementTimeoutMs, lock_timeout: options.statementTimeoutMs, query_timeout: options.statementTimeoutMs + 100 }
      : {}),
  });
  // An idle connection the server closed (a restart) is reported here; the pool drops it and the
  // next query opens a fresh one. Without a listener the process would exit.
  pool.on('error', (error) => console.error(`PostgreSQL connection lost (${postgresLocation(url)}): ${error.message}`));
  return new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Applies the pending migrations in order, each in its own transaction with its record, holding a
 * session advisory lock meanwhile: a replica starting alongside waits, then finds them applied.
 */
export async function migratePostgres(db: Kysely<StoreSchema>, migrations: readonly Migration[]): Promise<void> {
  checkMigrations(migrations);
  await db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${LOCKS.namespace}, ${LOCKS.migrate})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      )`.execute(conn);
      for (const migration of migrations) {
        await conn.transaction().execute(async (trx) => {
          const applied = await trx.selectFrom('schema_migrations').select('name').where('id', '=', migration.id).executeTakeFirst();
          if (applied) return checkApplied(migration, applied.name);
          await sql.raw(migration.postgres).execute(trx);
          await trx.insertInto('schema_migrations').values({ id: migration.id, name: migration.name }).execute();
        });
      }
    } finally {
      // A lost connection releases the lock on the server by itself.
      await sql`SELECT pg_advisory_unlock(${LOCKS.namespace}, ${LOCKS.migrate})`.execute(conn).catch(() => undefined);
    }
  });
}
