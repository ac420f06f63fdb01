// The console as the end-to-end suite runs it: the built standalone server on 127.0.0.1 with a
// fresh data directory, so every run starts from the same state.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const dataDir = resolve(process.env.E2E_DATA_DIR ?? '.data-e2e');
rmSync(dataDir, { recursive: true, force: true });
process.env.CONSOLE_DATA_DIR = dataDir;
process.env.PORT = process.env.E2E_PORT ?? '3123';
process.env.HOSTNAME = '127.0.0.1';
await import('./serve.mjs');
