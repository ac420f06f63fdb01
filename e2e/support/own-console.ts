// A console process a journey owns, beside the suite's shared server: started from the same build
// in sandbox mode on its own ports and data directory, with its stdout and stderr captured, so a
// journey can read everything it printed, kill it outright and start it again on the same data.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ADMIN, PORT, signIn } from './auth';
import { SANDBOX_CREDENTIALS, sandboxControl } from './sandbox';

const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4599);
const CONTROL_TOKEN = 'e2e-own-console-control-token';

export interface OwnConsoleOptions {
  /** Added to the suite's ports (E2E_PORT, E2E_SANDBOX_PORT) to get this console's. */
  portOffset: number;
  /** Multiplies the sandbox's typical AWS durations. */
  timeScale: number;
  /** More environment variables (CONSOLE_OIDC_* and the like). */
  env?: Record<string, string>;
  /**
   * A replica: the store in PostgreSQL and AWS at a standalone sandbox shared with other consoles,
   * instead of a SQLite file and a sandbox of its own.
   */
  shared?: { databaseUrl: string; awsEndpoint: string };
}

export interface OwnConsole {
  baseUrl: string;
  sandboxEndpoint: string;
  dataDir: string;
  /** Everything the process wrote to stdout and stderr, across restarts. */
  output(): string;
  /** Starts the process on the data directory as it is (after kill() or stop()), with `env` replacing the options' env. */
  start(env?: Record<string, string>): Promise<void>;
  /** SIGKILL: no shutdown hooks, no flushing. */
  kill(): Promise<void>;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
  sandbox: {
    cloudFormation(): CloudFormationClient;
    setTimeScale(scale: number): Promise<void>;
  };
  /** A browser context on this console, signed in as the first admin. */
  signedInAdmin(browser: Browser): Promise<{ context: BrowserContext; page: Page }>;
}

export async function ownConsole(testDir: string, options: OwnConsoleOptions): Promise<OwnConsole> {
  const port = PORT + options.portOffset;
  const sandboxPort = SANDBOX_PORT + options.portOffset;
  const baseUrl = `http://127.0.0.1:${port}`;
  const sandboxEndpoint = `http://127.0.0.1:${sandboxPort}`;
  const dataDir = resolve(testDir, 'console-data');
  const logFile = resolve(testDir, 'console-output.log');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  let output = '';
  let child: ChildProcess | undefined;
  let extraEnv = options.env ?? {};

  const exited = (process: ChildProcess) =>
    new Promise<void>((done) => (process.exitCode !== null || process.signalCode !== null ? done() : process.once('exit', () => done())));

  const start = async (env?: Record<string, string>) => {
    if (env) extraEnv = env;
    child = spawn(process.execPath, [join(__dirname, '..', '..', 'scripts', 'serve.mjs')], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '',
        NEXT_TELEMETRY_DISABLED: '1',
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        CONSOLE_DATA_DIR: dataDir,
        CONSOLE_ADMIN_PASSWORD: ADMIN.password,
        CONSOLE_SANDBOX: 'on',
        SANDBOX_PORT: String(sandboxPort),
        SANDBOX_CONTROL_TOKEN: CONTROL_TOKEN,
        SANDBOX_TIME_SCALE: String(options.timeScale),
        CONSOLE_POLL_MS: '250',
        ...(options.shared && {
          DATABASE_URL: options.shared.databaseUrl,
          AWS_ENDPOINT_URL: options.shared.awsEndpoint,
          CONSOLE_SANDBOX: 'off',
          AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
          AWS_REGION: 'us-east-1',
        }),
        ...extraEnv,
      },
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (text: string) => {
        output += text;
        appendFileSync(logFile, text);
      });
    }
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the console exited with ${child.exitCode}:\n${output}`);
      const ready = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
      if (ready) return;
      if (Date.now() - started > 60_000) throw new Error(`the console did not start within 60 s:\n${output}`);
      await new Promise((wake) => setTimeout(wake, 250));
    }
  };

  const signal = async (name: NodeJS.Signals) => {
    if (!child) return;
    const current = child;
    child = undefined;
    current.kill(name);
    await exited(current);
  };

  const control = sandboxControl(sandboxEndpoint, CONTROL_TOKEN);

  await start();
  return {
    baseUrl,
    sandboxEndpoint,
    dataDir,
    output: () => output,
    start,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    sandbox: {
      cloudFormation: () => new CloudFormationClient({ region: 'us-east-1', endpoint: sandboxEndpoint, credentials: SANDBOX_CREDENTIALS }),
      setTimeScale: (scale) => control('POST', 'time-scale', { scale }),
    },
    async signedInAdmin(browser) {
      const context = await browser.newContext({ baseURL: baseUrl, storageState: { cookies: [], origins: [] } });
      const page = await context.newPage();
      await page.goto('/signin');
      await signIn(page, ADMIN.username, ADMIN.password);
      await expect(page.getByRole('link', { name: /Your account: admin, admin/ })).toBeVisible();
      return { context, page };
    },
  };
}
