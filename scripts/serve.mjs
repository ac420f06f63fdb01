// Starts the built standalone server (npm run build first). Defaults: http://localhost:3000,
// data in ./.data. The standalone server changes its working directory, so paths are made
// absolute here.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const dist = process.env.NEXT_DIST_DIR || '.next';
const server = resolve(dist, 'standalone', 'server.js');
if (!existsSync(server)) {
  console.error(`${server} is missing: run "npm run build" first.`);
  process.exit(1);
}
process.env.PORT ??= '3000';
process.env.HOSTNAME ??= 'localhost';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
// The pinned AWS SDK warns on every start that later releases will need Node 22 (see README).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.CONSOLE_DATA_DIR = resolve(process.env.CONSOLE_DATA_DIR ?? '.data');
// The console handles SIGTERM itself (instrumentation.ts): it hands its runs to the other replicas
// before exiting, instead of Next's waiting for every open event stream to end.
process.env.NEXT_MANUAL_SIG_HANDLE ??= '1';
await import(server);
