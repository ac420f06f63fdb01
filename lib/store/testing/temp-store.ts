// Test helper: gives each test a fresh, empty store in its own temporary CONSOLE_DATA_DIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { closeDb } from '../db';

export function setupTempStore(): { readonly dir: () => string } {
  let dir = '';
  const previous = process.env.CONSOLE_DATA_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lr-store-'));
    process.env.CONSOLE_DATA_DIR = dir;
    resetEnvForTests();
  });
  afterEach(() => {
    closeDb();
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.CONSOLE_DATA_DIR;
    else process.env.CONSOLE_DATA_DIR = previous;
    resetEnvForTests();
  });
  return { dir: () => dir };
}
