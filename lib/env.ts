// Every environment variable the console reads, validated once. Server-only; nothing here
// reaches the browser. Read through env(), never process.env directly.
import 'server-only';
import { resolve } from 'node:path';
import { z } from 'zod';

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** 32 random bytes in standard base64 (what `openssl rand -base64 32` prints). */
const SECRETS_KEY = /^[A-Za-z0-9+/]{43}=$/;
const secretsKey = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine(
      (v) => v === undefined || (SECRETS_KEY.test(v) && Buffer.from(v, 'base64').length === 32),
      `${name} must be 32 random bytes in base64 (44 characters ending in =); make one with: openssl rand -base64 32`,
    );

const schema = z.object({
  /** Directory for the SQLite store and the sandbox's state file. */
  CONSOLE_DATA_DIR: z.string().default('.data').transform((p) => resolve(p)),
  /** postgres://user:password@host:5432/db (TLS through ?sslmode=…): the store lives there instead of the SQLite file. */
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || /^postgres(ql)?:\/\/./.test(v), 'DATABASE_URL must be a postgres:// (or postgresql://) URL; unset it to keep the SQLite file'),
  /** Connections each console process keeps to PostgreSQL at most. */
  CONSOLE_DB_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(10),
  /**
   * How long a replica's hold on a run lasts without renewal (seconds); renewed every third of it.
   * Another replica takes a run over at most about this long after its holder died.
   */
  CONSOLE_RUN_LEASE_SECONDS: z.coerce.number().int().min(2).max(300).default(15),
  /**
   * Seals a run's secret values (NoEcho parameters) in the store, so that any replica can approve
   * the run or take it over. Unset: they stay in the memory of the replica that prepared the run.
   */
  CONSOLE_SECRETS_KEY: secretsKey('CONSOLE_SECRETS_KEY'),
  /** The key before a rotation: values sealed with it still open, and are sealed again with the new one. */
  CONSOLE_SECRETS_KEY_PREVIOUS: secretsKey('CONSOLE_SECRETS_KEY_PREVIOUS'),
  /** How long a run's secret values are kept while it waits for approval (hours). */
  CONSOLE_RUN_SECRETS_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Audit log entries older than this many days are deleted (0 keeps them forever). */
  CONSOLE_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  /** How often an event stream reads the store for events other replicas stored (ms). */
  CONSOLE_EVENT_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
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
  /**
   * A releases data file (as `npm run releases -- --out FILE` writes it) read beside the one built
   * in, each time the deployment page asks: a console running from a build learns newer releases
   * without a rebuild. Absent or missing: the built-in data only.
   */
  CONSOLE_RELEASES_FILE: z.string().trim().optional().transform((p) => (p ? resolve(p) : undefined)),
  AWS_REGION: z.string().optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_ENDPOINT_URL_CLOUDFORMATION: z.url().optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  /** OpenID Connect sign-in: the provider's issuer URL (discovery), and the console's registration there. */
  CONSOLE_OIDC_ISSUER: z
    .url()
    .refine((u) => u.startsWith('https://') || LOOPBACK.test(new URL(u).hostname), 'CONSOLE_OIDC_ISSUER must be an https URL (http only on localhost)')
    .optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Omitted for a public client (PKCE alone). Never logged or sent to the browser. */
  CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CONSOLE_OIDC_SCOPES: z
    .string()
    .default('openid email profile')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .refine((scopes) => scopes.includes('openid'), 'CONSOLE_OIDC_SCOPES must include openid'),
  /** What the sign-in button calls the provider: "Sign in with <name>". */
  CONSOLE_OIDC_NAME: z.string().trim().min(1).max(60).default('single sign-on'),
  /** The claim whose values map to roles; a dotted path (realm_access.roles) reaches nested claims. */
  CONSOLE_OIDC_ROLE_CLAIM: z.string().trim().min(1).default('groups'),
  CONSOLE_OIDC_ADMIN_VALUES: list,
  CONSOLE_OIDC_DEPLOYER_VALUES: list,
  /** Role of users whose claim maps to no role; none refuses them. */
  CONSOLE_OIDC_DEFAULT_ROLE: z.enum(['viewer', 'none']).default('viewer'),
  /** off: only OpenID Connect (and the trusted proxy) sign people in. */
  CONSOLE_PASSWORD_SIGNIN: z.enum(['on', 'off']).default('on'),
}).superRefine((v, ctx) => {
  const need = (when: boolean, path: string, message: string) => {
    if (when) ctx.addIssue({ code: 'custom', path: [path], message });
  };
  need(v.CONSOLE_SECRETS_KEY_PREVIOUS !== undefined && v.CONSOLE_SECRETS_KEY === undefined, 'CONSOLE_SECRETS_KEY', 'required with CONSOLE_SECRETS_KEY_PREVIOUS: it is the new key values are sealed with again');
  need(
    v.CONSOLE_SECRETS_KEY !== undefined && v.CONSOLE_SECRETS_KEY === v.CONSOLE_SECRETS_KEY_PREVIOUS,
    'CONSOLE_SECRETS_KEY_PREVIOUS',
    'is the same as CONSOLE_SECRETS_KEY: give the key being replaced',
  );
  const oidc = v.CONSOLE_OIDC_ISSUER !== undefined;
  need(oidc && !v.CONSOLE_OIDC_CLIENT_ID, 'CONSOLE_OIDC_CLIENT_ID', 'required with CONSOLE_OIDC_ISSUER');
  need(oidc && !v.CONSOLE_PUBLIC_URL, 'CONSOLE_PUBLIC_URL', 'required with CONSOLE_OIDC_ISSUER: the redirect URI is <CONSOLE_PUBLIC_URL>/auth/oidc/callback');
  need(!oidc && v.CONSOLE_OIDC_CLIENT_ID !== undefined, 'CONSOLE_OIDC_ISSUER', 'required with CONSOLE_OIDC_CLIENT_ID');
  need(
    !oidc && v.CONSOLE_PASSWORD_SIGNIN === 'off' && !v.CONSOLE_TRUSTED_PROXY_HEADER,
    'CONSOLE_PASSWORD_SIGNIN',
    'off needs another way to sign in: set CONSOLE_OIDC_ISSUER (or CONSOLE_TRUSTED_PROXY_HEADER)',
  );
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
