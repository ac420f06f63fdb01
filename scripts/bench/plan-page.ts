// Bench: the plan page's first-load JavaScript (every script the browser loads to show it,
// gzip-compressed) and, when Lighthouse can be installed, its performance and accessibility
// scores. Runs the built standalone server on a spare port with a throwaway data directory.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const PASSWORD = 'bench admin password, not a secret';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function startServer(port: number, dataDir: string) {
  const server = spawn(process.execPath, ['scripts/serve.mjs'], {
    env: { ...process.env, PORT: String(port), HOSTNAME: '127.0.0.1', CONSOLE_DATA_DIR: dataDir, CONSOLE_ADMIN_PASSWORD: PASSWORD, CONSOLE_SANDBOX: 'on', NODE_ENV: 'production' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/templates/lakerunner-vpc.yaml`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  server.kill();
  throw new Error('the console did not start');
}

function lighthouse(url: string, cookie: string): { performance: number; accessibility: number } | { skipped: string } {
  const tools = resolve('.bench/tools');
  const bin = join(tools, 'node_modules', '.bin', 'lighthouse');
  try {
    if (!existsSync(bin)) execFileSync('npm', ['install', '--prefix', tools, '--no-save', '--no-audit', '--no-fund', 'lighthouse@12.8.2'], { stdio: 'ignore' });
    const out = execFileSync(bin, [url, `--chrome-flags=${CHROME_FLAGS.join(' ')}`, '--only-categories=performance,accessibility', '--output=json', '--quiet', `--extra-headers=${JSON.stringify({ Cookie: cookie })}`], {
      env: { ...process.env, CHROME_PATH: CHROMIUM },
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = JSON.parse(out.toString()) as { categories: Record<string, { score: number }> };
    return { performance: Math.round(report.categories.performance!.score * 100), accessibility: Math.round(report.categories.accessibility!.score * 100) };
  } catch (error) {
    return { skipped: (error as Error).message.split('\n')[0] ?? 'lighthouse failed' };
  }
}

export async function benchPlanPage() {
  const port = 3300 + Math.floor(Math.random() * 500);
  const dataDir = mkdtempSync(join(tmpdir(), 'lr-bench-'));
  const server = await startServer(port, dataDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/signin?next=/plan`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The sign-in URL (/signin?next=/plan) also ends in /plan: wait for the plan page itself.
    await page.waitForURL((url) => url.pathname === '/plan');

    // A fresh load of the plan page with the session: every script it loads, gzip-compressed.
    const scripts = new Map<string, number>();
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      const body = await response.body().catch(() => undefined);
      if (body) scripts.set(response.url(), gzipSync(body).length);
    });
    await page.reload({ waitUntil: 'networkidle' });
    const firstLoadGzip = [...scripts.values()].reduce((a, b) => a + b, 0);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await browser.close();
    return { firstLoadGzip, scripts: scripts.size, lighthouse: lighthouse(`http://127.0.0.1:${port}/plan`, cookie) };
  } finally {
    await browser.close().catch(() => undefined);
    server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
