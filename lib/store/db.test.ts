import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { audit, listAudit } from './audit';
import { closeDb, getDb, migrate, openStore, storeFile, withDb } from './db';
import { StoreUnavailableError, isStoreUnavailable } from './errors';
import { MIGRATIONS } from './migrations';
import { setupTempStore } from './testing/temp-store';

const store = setupTempStore();

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

function seedAndClose(entries: number): string {
  for (let i = 0; i < entries; i += 1) audit({ actor: 'tester', action: 'signout', target: `t${i}` });
  const file = storeFile();
  closeDb();
  return file;
}

describe('getDb', () => {
  it('creates the data directory and the file on first use, in WAL mode with foreign keys on', () => {
    process.env.CONSOLE_DATA_DIR = join(store.dir(), 'nested', 'data');
    resetEnvForTests();
    const db = getDb();
    expect(existsSync(join(store.dir(), 'nested', 'data', 'console.db'))).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(statSync(storeFile()).mode & 0o777).toBe(0o600);
  });

  it('is one connection per process', () => {
    expect(getDb()).toBe(getDb());
  });

  it('records every migration once, in order', () => {
    const rows = getDb().prepare('SELECT id, name FROM schema_migrations ORDER BY id').all();
    expect(rows).toEqual(MIGRATIONS.map(({ id, name }) => ({ id, name })));
  });

  it('reopens after closeDb and keeps what was committed', () => {
    audit({ actor: 'tester', action: 'signout' });
    closeDb();
    expect(listAudit().total).toBe(1);
  });
});

describe('migrate', () => {
  const base = [{ id: 1, name: 'one', sql: 'CREATE TABLE one (x INTEGER) STRICT;' }];

  it('applies only the migrations appended since the last start', () => {
    const db = new Database(join(store.dir(), 'm.db'));
    migrate(db, base);
    db.prepare('INSERT INTO one VALUES (1)').run();
    migrate(db, [...base, { id: 2, name: 'two', sql: 'ALTER TABLE one ADD COLUMN y TEXT;' }]);
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
    expect(() => migrate(db, [...base, { id: 1, name: 'dup', sql: '' }])).toThrow(/increasing integer ids/);
    db.close();
  });

  it('rolls a failing migration back entirely, leaving no record of it', () => {
    const db = new Database(join(store.dir(), 'm.db'));
    const broken = { id: 2, name: 'broken', sql: 'CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);' };
    expect(() => migrate(db, [...base, broken])).toThrow(/no such table: nowhere/);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'two'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(1);
    db.close();
  });

  it('lets two connections start on the same file without applying anything twice', () => {
    const file = join(store.dir(), 'shared.db');
    const a = openStore(file);
    const b = openStore(file);
    expect(b.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    a.close();
    b.close();
  });
});

describe('migration 4 (OpenID Connect)', () => {
  it('rebuilds users and sessions without losing a row, and keeps the foreign key between them', () => {
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

describe('store faults', () => {
  it('a full store gives a clear StoreUnavailableError, keeps committed rows and stays intact', () => {
    // Given some committed entries
    for (let i = 0; i < 20; i += 1) audit({ actor: 'tester', action: 'signout', target: `t${i}` });
    const db = getDb();
    // When the store cannot grow (a full disk, simulated by capping its page count)
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let error: unknown;
    try {
      for (let i = 0; i < 1000; i += 1) {
        audit({ actor: 'tester', action: 'signout', details: { filler: 'x'.repeat(2000), i } });
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
    closeDb();
    expect(integrity(file)).toBe('ok');
    expect(listAudit({ pageSize: 1 }).total).toBe(written);
    expect(listAudit({ page: 99, pageSize: 1 }).entries[0]?.target).toBe('t0');
  });

  it('a read-only store file gives a clear error, loses nothing and stays intact', () => {
    const file = seedAndClose(3);
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

  it('a read-only data directory gives a clear error, loses nothing and stays intact', () => {
    const file = seedAndClose(2);
    chmodSync(file, 0o644);
    chmodSync(store.dir(), 0o555);
    const result = probe(store.dir());
    expect(result).toMatchObject({ ok: false, name: 'StoreUnavailableError', status: 503 });
    expect(String(result.message)).toMatch(/read-only|cannot be opened/);
    chmodSync(store.dir(), 0o700);
    expect(integrity(file)).toBe('ok');
    expect(countAudit(file)).toBe(2);
  });

  it('the probe itself writes when the store is writable, so the read-only cases test permissions', () => {
    const file = seedAndClose(1);
    chmodSync(store.dir(), 0o777);
    chmodSync(file, 0o666);
    expect(probe(store.dir())).toEqual({ ok: true, count: 1 });
    expect(countAudit(file)).toBe(2);
  });

  it('a data directory that cannot be created gives a clear error', () => {
    writeFileSync(join(store.dir(), 'not-a-dir'), '');
    process.env.CONSOLE_DATA_DIR = join(store.dir(), 'not-a-dir', 'data');
    resetEnvForTests();
    expect(() => getDb()).toThrow(StoreUnavailableError);
    expect(() => getDb()).toThrow(/CONSOLE_DATA_DIR/);
  });

  it('a file that is not a database is reported, not overwritten', () => {
    writeFileSync(join(store.dir(), 'console.db'), 'this is not sqlite '.repeat(100));
    expect(() => getDb()).toThrow(/not a SQLite database|damaged/);
  });

  it('withDb passes other errors through unchanged', () => {
    expect(() => withDb((db) => db.prepare('SELECT * FROM no_such_table').all())).toThrow(/no such table/);
    expect(() => withDb(() => { throw new TypeError('boom'); })).toThrow(TypeError);
  });
});
