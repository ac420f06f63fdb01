// Test helper: the deploy engine against the embedded sandbox, with a store of its own in a
// temporary directory, for the test file that calls it (before its tests: hooks are per file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { getEmbeddedSandbox } from '@/lib/sandbox/embedded';
import type { Sandbox } from '@/lib/sandbox/index';
import { closeDb } from '@/lib/store/db';

export interface EngineOnSandbox {
  /** The sandbox, once the file's hooks have started it. */
  readonly sandbox: Sandbox;
}

export function engineOnSandbox(name: string, options: { timeScale?: number; env?: Record<string, string> } = {}): EngineOnSandbox {
  const timeScale = options.timeScale ?? 0.0005;
  let dir = '';
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `lr-${name}-`));
    Object.assign(process.env, { CONSOLE_DATA_DIR: dir, CONSOLE_SANDBOX: 'on', SANDBOX_TIME_SCALE: String(timeScale), CONSOLE_POLL_MS: '50', ...options.env });
    resetEnvForTests();
    sandbox = await getEmbeddedSandbox({ timeScale });
  });
  afterAll(async () => {
    await closeDb();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get sandbox() {
      if (!sandbox) throw new Error('The sandbox starts in beforeAll: use it inside tests and hooks.');
      return sandbox;
    },
  };
}
