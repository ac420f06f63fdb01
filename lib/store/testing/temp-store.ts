// Test helper: gives each test a fresh, empty store: a SQLite file in its own temporary
// CONSOLE_DATA_DIR, or (backend 'postgres') a new database on the TEST_DATABASE_URL server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { closeDb } from '../db';
import { createTestDatabase, dropTestDatabase } from './postgres';

export type Backend = 'sqlite' | 'postgres';

/**
 * The backends the store's tests run on: PostgreSQL too when a test server is given, and always
 * in CI, where a missing server fails those tests rather than skipping them.
 */
export const BACKENDS: readonly Backend[] = process.env.TEST_DATABASE_URL || process.env.CI ? ['sqlite', 'postgres'] : ['sqlite'];

export function setupTempStore(backend: Backend = 'sqlite'): { readonly dir: () => string; readonly url: () => string | undefined } {
  let dir = '';
  let url: string | undefined;
  const previous = { dir: process.env.CONSOLE_DATA_DIR, url: process.env.DATABASE_URL };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lr-store-'));
    process.env.CONSOLE_DATA_DIR = dir;
    url = backend === 'postgres' ? await createTestDatabase() : undefined;
    if (url) process.env.DATABASE_URL = url;
    else delete process.env.DATABASE_URL;
    resetEnvForTests();
  });
  afterEach(async () => {
    await closeDb();
    if (url) await dropTestDatabase(url);
    rmSync(dir, { recursive: true, force: true });
    restore('CONSOLE_DATA_DIR', previous.dir);
    restore('DATABASE_URL', previous.url);
    resetEnvForTests();
  });
  return { dir: () => dir, url: () => url };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
