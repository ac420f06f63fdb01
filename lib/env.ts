// Every environment variable the console reads, validated once. Server-only; nothing here
// reaches the browser. Read through env(), never process.env directly.
import 'server-only';
import { resolve } from 'node:path';
import { z } from 'zod';

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const schema = z.object({
  /** Directory for the SQLite store and the sandbox's state file. */
  CONSOLE_DATA_DIR: z.string().default('.data').transform((p) => resolve(p)),
  /** Password for the first admin account, used only when the store has no users. */
  CONSOLE_ADMIN_PASSWORD: z.string().min(12, 'CONSOLE_ADMIN_PASSWORD must be at least 12 characters').optional(),
  /** Public origin (https://console.example.com) used for Origin checks and Secure cookies. */
  CONSOLE_PUBLIC_URL: z.url().optional(),
  /** Trusted-proxy single sign-on: the header carrying the user's email, and the proxies allowed to set it. */
  CONSOLE_TRUSTED_PROXY_HEADER: z.string().optional(),
  CONSOLE_TRUSTED_PROXY_IPS: list,
  /** Role given to users who arrive through the trusted proxy for the first time. */
  CONSOLE_TRUSTED_PROXY_ROLE: z.enum(['viewer', 'deployer', 'admin']).default('viewer'),
  /** auto: the sandbox when no AWS credentials are found; on: always; off: never. */
  CONSOLE_SANDBOX: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Multiplies the sandbox's typical AWS durations (1 = real time; tests use small values). */
  SANDBOX_TIME_SCALE: z.coerce.number().min(0).max(10).default(0.05),
  /** Port of the embedded sandbox endpoint (0 picks a free one). */
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Enables the sandbox's fault-injection control API when set (tests and demos). */
  SANDBOX_CONTROL_TOKEN: z.string().min(16).optional(),
  /** How often the deploy engine polls stack and change-set statuses (ms). */
  CONSOLE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  /** How many stacks a run may operate on at once, where the dependency graph allows (1: one after another). */
  CONSOLE_MAX_PARALLEL_STACKS: z.coerce.number().int().min(1).max(7).default(3),
  /** How long one stack may take before its run is failed as timed out (minutes). */
  CONSOLE_STACK_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(720).default(120),
  AWS_REGION: z.string().optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_ENDPOINT_URL_CLOUDFORMATION: z.url().optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export type Env = z.output<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const result = schema.safeParse(process.env);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
      throw new Error(`Invalid console configuration:\n${problems}`);
    }
    cached = result.data;
  }
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests() {
  cached = undefined;
}
