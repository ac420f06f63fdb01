// The console as the end-to-end suite runs it: the built standalone server on 127.0.0.1 with a
// fresh data directory, in sandbox mode at a small time scale, with the sandbox's control API on
// a known port so tests can inject faults (see e2e/support/sandbox.ts).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const dataDir = resolve(process.env.E2E_DATA_DIR ?? '.data-e2e');
rmSync(dataDir, { recursive: true, force: true });
process.env.CONSOLE_DATA_DIR = dataDir;
// Sign-in settings from playwright.config.ts (e2e/support/auth.ts): the first admin's password,
// and trusted-proxy sign-in from one loopback address the journeys can send from.
if (process.env.E2E_ADMIN_PASSWORD) process.env.CONSOLE_ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD;
if (process.env.E2E_TRUSTED_PROXY_HEADER) process.env.CONSOLE_TRUSTED_PROXY_HEADER = process.env.E2E_TRUSTED_PROXY_HEADER;
if (process.env.E2E_TRUSTED_PROXY_IPS) process.env.CONSOLE_TRUSTED_PROXY_IPS = process.env.E2E_TRUSTED_PROXY_IPS;
// Releases a journey imports with `npm run releases -- --out` (none until it does; it removes the file after).
process.env.CONSOLE_RELEASES_FILE = resolve(dataDir, 'releases.json');
process.env.PORT = process.env.E2E_PORT ?? '3123';
process.env.HOSTNAME = '127.0.0.1';
process.env.CONSOLE_SANDBOX = 'on';
process.env.SANDBOX_PORT = process.env.E2E_SANDBOX_PORT ?? '4599';
process.env.SANDBOX_CONTROL_TOKEN = 'e2e-sandbox-control-token';
process.env.SANDBOX_TIME_SCALE ??= '0.002';
process.env.CONSOLE_POLL_MS ??= '250';
await import('./serve.mjs');
