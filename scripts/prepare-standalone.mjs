// After `next build`: copy the static assets and public/ into the standalone server folder,
// which Next leaves out (see https://nextjs.org/docs/app/api-reference/config/next-config-js/output).
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.env.NEXT_DIST_DIR || '.next';
const standalone = join(dist, 'standalone');
if (!existsSync(standalone)) {
  console.error(`${standalone} is missing: run next build with output: 'standalone' first.`);
  process.exit(1);
}
cpSync(join(dist, 'static'), join(standalone, dist, 'static'), { recursive: true });
if (existsSync('public')) cpSync('public', join(standalone, 'public'), { recursive: true });
