// Test helper for the tests that run a bundle's deploy.sh for real with the AWS CLI: the bundle
// unzipped into a folder, and bash run there with its output collected. Never imported by the product.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Sandbox } from '@/lib/sandbox/index';

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Fails the test file early, with what to do, when the AWS CLI is not on PATH. */
export function requireAwsCli(): void {
  if (spawnSync('aws', ['--version']).error) throw new Error('These tests run deploy.sh with the AWS CLI: install it (pip install awscli, or the AWS CLI v2) and put aws on PATH.');
}

/** Writes every file of a bundle (a zip) under `dir`, keeping its paths; deploy.sh marked executable. */
export function unzipBundle(bytes: Uint8Array, dir: string): void {
  for (const [path, data] of Object.entries(unzipSync(bytes))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
    if (path.endsWith('/deploy.sh')) chmodSync(join(dir, path), 0o755);
  }
}

/** Runs a script with bash in `cwd`, with exactly the environment given (nothing of the test's own leaks in). */
export function bash(script: string, env: NodeJS.ProcessEnv, cwd: string, args: readonly string[] = []): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn('bash', [script, ...args], { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The environment deploy.sh runs with against the sandbox: its endpoint and account A's keys, HOME (so ~/.aws) in `home`. */
export function sandboxCliEnv(sandbox: Sandbox, home: string): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
  };
}
