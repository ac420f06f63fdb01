import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { audit, listAudit } from './audit';
import { closeDb, getDb, inTransaction, storeFile, withDb } from './db';
import { StoreUnavailableError, isStoreUnavailable } from './errors';
import { MIGRATIONS } from './migrations';
import { migratePostgres, openPostgres } from './postgres';
import { migrateSqlite as migrate, openStore } from './sqlite';
import { createTestDatabase, dropTestDatabase } from './testing/postgres';
import { BACKENDS, setupTempStore } from './testing/temp-store';

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

function countAudit(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
  } finally {
    db.close();
  }
}

// Root ignores file modes through its CAP_DAC_OVERRIDE capability, so as root the read-only cases
// run the probe with that capability dropped (util-linux setpriv): still uid 0, so it can read the
// checkout wherever it is, but file modes bind it like any user.
const DROP_DAC = ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search'];

function probe(dataDir: string): Record<string, unknown> {
  const asRoot = process.getuid?.() === 0;
  const node = [process.execPath, '--conditions=react-server', '--import', 'tsx', join(__dirname, 'testing', 'store-probe.ts')];
  const [command, ...args] = asRoot ? ['setpriv', ...DROP_DAC, ...node] : node;
  const result = spawnSync(command!, args, {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, CONSOLE_DATA_DIR: dataDir, TSX_TSCONFIG_PATH: join(__dirname, '..', '..', 'tsconfig.json') },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`probe failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function seedAndClose(entries: number): Promise<string> {
  for (let i = 0; i < entries; i += 1) await audit({ actor: 'tester', action: 'signout', target: `t${i}` });
  const file = storeFile();
  await closeDb();
  return file;
}

const pragma = async (name: string) => Object.values((await sql<Record<string, unknown>>`${sql.raw(`PRAGMA ${name}`)}`.execute(await getDb())).rows[0]!)[0];

describe.each(BACKENDS)('the store on %s', (backend) => {
  setupTempStore(backend);

  it('is one store per process', async () => {
    expect(await getDb()).toBe(await getDb());
  });

  it('records every migration once, in order', async () => {
    const rows = await (await getDb()).selectFrom('schema_migrations').select(['id', 'name']).orderBy('id').execute();
    expect(rows).toEqual(MIGRATIONS.map(({ id, name }) => ({ id, name })));
  });

  it('reopens after closeDb and keeps what was committed', async () => {
    await audit({ actor: 'tester', action: 'signout' });
    await closeDb();
    expect((await listAudit()).total).toBe(1);
  });

  it('reads integer milliseconds back as numbers, beyond 32 bits', async () => {
    const at = new Date('2026-12-05T01:02:03.456Z');
    await audit({ actor: 'tester', action: 'signout' }, at);
    const row = await (await getDb()).selectFrom('audit_log').select(['id', 'at']).executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 1, at: at.getTime() });
  });

  it('rolls a failing transaction back entirely', async () => {
    await expect(
      inTransaction(async (db) => {
        await db.insertInto('audit_log').values({ at: 1, actor: 'a', action: 'signout', target: null, details: null, client: null }).execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await listAudit()).total).toBe(0);
  });

  it('withDb passes other errors through unchanged', async () => {
    await expect(withDb((db) => sql`SELECT * FROM no_such_table`.execute(db))).rejects.toThrow(/no_such_table|no such table/);
    await expect(withDb(async () => { throw new TypeError('boom'); })).rejects.toThrow(TypeError);
  });
});

describe('getDb on SQLite', () => {
  const store = setupTempStore();

  it('creates the data directory and the file on first use, in WAL mode with foreign keys on', async () => {
    process.env.CONSOLE_DATA_DIR = join(store.dir(), 'nested', 'data');
    resetEnvForTests();
    expect(existsSync(join(store.dir(), 'nested', 'data', 'console.db'))).toBe(false);
    expect(await pragma('journal_mode')).toBe('wal');
    expect(existsSync(join(store.dir(), 'nested', 'data', 'console.db'))).toBe(true);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(statSync(storeFile()).mode & 0o777).toBe(0o600);
  });
});

describe('migrate on SQLite', () => {
  const store = setupTempStore();
  const base = [{ id: 1, name: 'one', sqlite: 'CREATE TABLE one (x INTEGER) STRICT;', postgres: '' }];

  it('applies only the migrations appended since the last start', async () => {
    const db = new Database(join(store.dir(), 'm.db'));
    migrate(db, base);
    db.prepare('INSERT INTO one VALUES (1)').run();
    migrate(db, [...base, { id: 2, name: 'two', sqlite: 'ALTER TABLE one ADD COLUMN y TEXT;', postgres: '' }]);
    expect(db.prepare('SELECT x, y FROM one').all()).toEqual([{ x: 1, y: null }]);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(2);
    db.close();
  });

  it('refuses a list whose applied migration was renamed or reordered', () => {
    const db = new Database(join(store.dir(), 'm.db'));
    migrate(db, base);
    expect(() => migrate(db, [{ ...base[0]!, name: 'renamed' }])).toThrow(/append-only/);
    db.close();
  });

  it('refuses ids that do not increase', () => {
    const db = new Database(join(store.dir(), 'm.db'));
    expect(() => migrate(db, [...base, { id: 1, name: 'dup', sqlite: '', postgres: '' }])).toThrow(/increasing integer ids/);
    db.close();
  });

  it('rolls a failing migration back entirely, leaving no record of it', () => {
    const db = new Database(join(store.dir(), 'm.db'));
    const broken = { id: 2, name: 'broken', sqlite: 'CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);', postgres: '' };
    expect(() => migrate(db, [...base, broken])).toThrow(/no such table: nowhere/);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'two'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(1);
    db.close();
  });

  it('lets two connections start on the same file without applying anything twice', () => {
    const file = join(store.dir(), 'shared.db');
    const a = openStore(file, MIGRATIONS);
    const b = openStore(file, MIGRATIONS);
    expect(b.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    a.close();
    b.close();
  });

  it('adopts a file of an earlier version (migrations 1–4) and upgrades it in place, keeping its rows', async () => {
    // Given a store as the SQLite-only console left it, with a user, a deployment and a run
    const file = join(store.dir(), 'console.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.id <= 4));
    old.exec(`INSERT INTO users (id, username, role, password_hash, created_at, updated_at) VALUES (7, 'Admin', 'admin', 'hash', 1, 1);
      INSERT INTO deployments (id, name, region, plan, status, created_by, created_at, updated_at) VALUES ('dep-1', 'prod', 'us-east-1', '{}', 'deployed', 'Admin', 2, 2);
      INSERT INTO runs (id, deployment_id, kind, status, started_by, created_at, region, request) VALUES ('run-1', 'dep-1', 'deploy', 'succeeded', 'Admin', 3, 'us-east-1', '{}');`);
    old.close();
    // when this version opens it
    const db = await getDb();
    // then every migration is recorded once and nothing was lost
    expect(await db.selectFrom('schema_migrations').select('id').orderBy('id').execute()).toEqual(MIGRATIONS.map(({ id }) => ({ id })));
    expect(await db.selectFrom('users').select(['id', 'username']).execute()).toEqual([{ id: 7, username: 'Admin' }]);
    expect(await db.selectFrom('runs').select('id').execute()).toEqual([{ id: 'run-1' }]);
    expect(await db.selectFrom('run_leases').selectAll().execute()).toEqual([]);
  });
});

describe('migration 4 (OpenID Connect) on SQLite', () => {
  const store = setupTempStore();

  it('rebuilds users and sessions without losing a row, and keeps the foreign key between them', async () => {
    // Given a store of the previous schema with users and their sessions,
    const db = new Database(join(store.dir(), 'm4.db'));
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.filter((m) => m.id < 4));
    db.exec(`INSERT INTO users (id, username, role, password_hash, source, created_at, updated_at) VALUES
      (1, 'admin', 'admin', 'hash', 'local', 1, 1), (2, 'sso@example.com', 'viewer', NULL, 'proxy', 2, 2);
      INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client) VALUES
      ('t1', 1, 1, 1, 9, '127.0.0.1'), ('t2', 2, 2, 2, 9, NULL);`);
    // when the migration runs,
    migrate(db, MIGRATIONS);
    // then every row is there, proxy users' roles count as defaults, and OIDC users fit in.
    expect(db.prepare('SELECT id, username, role, role_source, source, password_hash FROM users ORDER BY id').all()).toEqual([
      { id: 1, username: 'admin', role: 'admin', role_source: 'admin', source: 'local', password_hash: 'hash' },
      { id: 2, username: 'sso@example.com', role: 'viewer', role_source: 'default', source: 'proxy', password_hash: null },
    ]);
    expect(db.prepare('SELECT token_hash, user_id, client FROM sessions ORDER BY token_hash').all()).toEqual([
      { token_hash: 't1', user_id: 1, client: '127.0.0.1' },
      { token_hash: 't2', user_id: 2, client: null },
    ]);
    db.prepare("INSERT INTO users (username, role, role_source, source, oidc_issuer, oidc_subject, created_at, updated_at) VALUES ('o', 'viewer', 'claim', 'oidc', 'i', 's', 3, 3)").run();
    expect(() => db.prepare("INSERT INTO users (username, role, source, oidc_issuer, oidc_subject, created_at, updated_at) VALUES ('p', 'viewer', 'oidc', 'i', 's', 3, 3)").run()).toThrow(/UNIQUE/);
    db.prepare('DELETE FROM users WHERE id = 2').run();
    expect(db.prepare('SELECT token_hash FROM sessions').pluck().all()).toEqual(['t1']);
    expect(() => db.prepare("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ('t3', 99, 1, 1, 9)").run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%_v4'").all()).toEqual([]);
    db.close();
  });
});

describe('store faults on SQLite', () => {
  const store = setupTempStore();

  it('a full store gives a clear StoreUnavailableError, keeps committed rows and stays intact', async () => {
    // Given some committed entries
    for (let i = 0; i < 20; i += 1) await audit({ actor: 'tester', action: 'signout', target: `t${i}` });
    // When the store cannot grow (a full disk, simulated by capping its page count)
    await pragma(`max_page_count = ${Number(await pragma('page_count'))}`);
    let error: unknown;
    try {
      for (let i = 0; i < 1000; i += 1) {
        await audit({ actor: 'tester', action: 'signout', details: { filler: 'x'.repeat(2000), i } });
      }
    } catch (e) {
      error = e;
    }
    // Then the error names the file and what to do
    expect(isStoreUnavailable(error)).toBe(true);
    const fault = error as StoreUnavailableError;
    expect(fault.code).toBe('SQLITE_FULL');
    expect(fault.status).toBe(503);
    expect(fault.message).toContain(storeFile());
    expect(fault.message).toMatch(/Free disk space/);
    // And nothing committed was lost, and the file is sound after reopening
    const file = storeFile();
    const written = countAudit(file);
    expect(written).toBeGreaterThanOrEqual(20);
    await closeDb();
    expect(integrity(file)).toBe('ok');
    expect((await listAudit({ pageSize: 1 })).total).toBe(written);
    expect((await listAudit({ page: 99, pageSize: 1 })).entries[0]?.target).toBe('t0');
  });

  it('a read-only store file gives a clear error, loses nothing and stays intact', async () => {
    const file = await seedAndClose(3);
    chmodSync(store.dir(), 0o777);
    chmodSync(file, 0o444);
    const result = probe(store.dir());
    expect(result).toMatchObject({ ok: false, name: 'StoreUnavailableError', status: 503 });
    expect(String(result.code)).toMatch(/^SQLITE_(READONLY|CANTOPEN)/);
    expect(String(result.message)).toContain(file);
    chmodSync(file, 0o600);
    expect(integrity(file)).toBe('ok');
    expect(countAudit(file)).toBe(3);
  });

  it('a read-only data directory gives a clear error, loses nothing and stays intact', async () => {
    const file = await seedAndClose(2);
    chmodSync(file, 0o644);
    chmodSync(store.dir(), 0o555);
    const result = probe(store.dir());
    expect(result).toMatchObject({ ok: false, name: 'StoreUnavailableError', status: 503 });
    expect(String(result.message)).toMatch(/read-only|cannot be opened/);
    chmodSync(store.dir(), 0o700);
    expect(integrity(file)).toBe('ok');
    expect(countAudit(file)).toBe(2);
  });

  it('the probe itself writes when the store is writable, so the read-only cases test permissions', async () => {
    const file = await seedAndClose(1);
    chmodSync(store.dir(), 0o777);
    chmodSync(file, 0o666);
    expect(probe(store.dir())).toEqual({ ok: true, count: 1 });
    expect(countAudit(file)).toBe(2);
  });

  it('a data directory that cannot be created gives a clear error', async () => {
    writeFileSync(join(store.dir(), 'not-a-dir'), '');
    process.env.CONSOLE_DATA_DIR = join(store.dir(), 'not-a-dir', 'data');
    resetEnvForTests();
    await expect(getDb()).rejects.toThrow(StoreUnavailableError);
    await expect(getDb()).rejects.toThrow(/CONSOLE_DATA_DIR/);
  });

  it('a file that is not a database is reported, not overwritten', async () => {
    writeFileSync(join(store.dir(), 'console.db'), 'this is not sqlite '.repeat(100));
    await expect(getDb()).rejects.toThrow(/not a SQLite database|damaged/);
  });
});

describe.runIf(BACKENDS.includes('postgres'))('the store on PostgreSQL', () => {
  it('migrates an empty database once when replicas start at once', async () => {
    // Given an empty database and four replicas' pools starting together
    const url = await createTestDatabase();
    const pools = Array.from({ length: 4 }, () => openPostgres(url, { max: 2 }));
    try {
      // when each migrates it
      await Promise.all(pools.map((db) => migratePostgres(db, MIGRATIONS)));
      // then every migration ran once: applied once, and its tables made once (a second run would have failed)
      const applied = await pools[0]!.selectFrom('schema_migrations').select(['id', 'name']).orderBy('id').execute();
      expect(applied).toEqual(MIGRATIONS.map(({ id, name }) => ({ id, name })));
      await migratePostgres(pools[1]!, MIGRATIONS);
      expect(await pools[1]!.selectFrom('schema_migrations').select('id').execute()).toHaveLength(MIGRATIONS.length);
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
      await dropTestDatabase(url);
    }
  });

  it('rolls a failing migration back entirely, leaving no record of it', async () => {
    const url = await createTestDatabase();
    const db = openPostgres(url, { max: 1 });
    try {
      const base = [{ id: 1, name: 'one', sqlite: '', postgres: 'CREATE TABLE one (x INTEGER);' }];
      const broken = { id: 2, name: 'broken', sqlite: '', postgres: 'CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);' };
      await expect(migratePostgres(db, [...base, broken])).rejects.toThrow(/nowhere/);
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'two'`.execute(db);
      expect(rows[0]?.n).toBe(0);
      expect(await db.selectFrom('schema_migrations').select('id').execute()).toEqual([{ id: 1 }]);
      await expect(migratePostgres(db, [{ ...base[0]!, name: 'renamed' }])).rejects.toThrow(/append-only/);
    } finally {
      await db.destroy();
      await dropTestDatabase(url);
    }
  });

  it('a server that does not answer gives a clear 503 naming the server, never the password', async () => {
    // A port on which nothing listens.
    process.env.DATABASE_URL = 'postgres://console:s3cret-pw@127.0.0.1:9/console';
    resetEnvForTests();
    try {
      const error = await getDb().then(() => undefined, (e: unknown) => e);
      expect(isStoreUnavailable(error)).toBe(true);
      const fault = error as StoreUnavailableError;
      expect(fault.status).toBe(503);
      expect(fault.message).toContain('postgres://127.0.0.1:9/console');
      expect(fault.message).toMatch(/does not answer/);
      expect(fault.message).not.toContain('s3cret-pw');
    } finally {
      delete process.env.DATABASE_URL;
      resetEnvForTests();
      await closeDb();
    }
  });
});
