// Keeps the plan across reloads: everything but secret (NoEcho) values in localStorage, secret
// values only in this tab's sessionStorage. Nothing goes into the URL. The plan in the form is kept
// under one key (a plan stored before release lines existed has no `release`: it is on the 2025
// line); what the user entered on other release lines is kept apart, per line, so switching lines
// loses nothing. The line of the plan in the form is also in a cookie (nothing else: a line id),
// so the page comes with that line's fields (app/plan/page.tsx) and not every line's.
import { splitAccountSecrets, type PlanAccounts } from '@/lib/params/accounts';
import { LEGACY_RELEASE, releaseOf, type Plan } from '@/lib/params/plan';
import type { LineId, StackMeta } from '@/templates/stack';

const KEY = 'lakerunner.plan.v1';
const SECRET_KEY = 'lakerunner.plan.secrets.v1';
/** Plans of the lines not in the form, by line id. */
const LINES_KEY = 'lakerunner.plan.lines.v1';
const LINE_SECRETS_KEY = 'lakerunner.plan.lines.secrets.v1';

/** The release line of the plan in the form, for the server: the page sends that line's fields with it. */
export const PLAN_LINE_COOKIE = 'lakerunner.plan.line';

/** Tells the server which line the page should come with next time. */
export function rememberLine(release: LineId) {
  try {
    document.cookie = `${PLAN_LINE_COOKIE}=${encodeURIComponent(release)}; Path=/plan; Max-Age=31536000; SameSite=Strict`;
  } catch {
    // Cookies disabled: the page comes with the default line, and loads the plan's when it differs.
  }
}

type Secrets = Record<string, Record<string, string>>;

const secretKeys = (metas: readonly StackMeta[]) =>
  metas.flatMap((m) => m.parameters.filter((p) => p.noEcho).map((p) => [m.id, p.key] as const));

/** Where the secrets keep the ExternalIds of the plan's other accounts (no stack id starts with @). */
const ACCOUNT_SECRETS = '@accounts';

/** The plan without its secret values (NoEcho values, the other accounts' ExternalIds), and those values apart. */
function split(plan: Plan, metas: readonly StackMeta[]): { open: Plan; secrets: Secrets } {
  const accounts = splitAccountSecrets(plan.accounts);
  const open = { ...structuredClone(plan), ...(accounts.open ? { accounts: accounts.open } : {}) };
  const secrets: Secrets = Object.keys(accounts.secrets).length > 0 ? { [ACCOUNT_SECRETS]: accounts.secrets } : {};
  for (const [stack, key] of secretKeys(metas)) {
    const values = open.params[stack];
    if (!values) continue;
    if (values[key]) (secrets[stack] ??= {})[key] = values[key];
    values[key] = '';
  }
  return { open, secrets };
}

function write(entries: [Storage, string, unknown][]) {
  try {
    for (const [storage, key, value] of entries) storage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the plan still works, it just won't survive a reload.
  }
}

function readJson(storage: Storage, key: string): unknown {
  try {
    return JSON.parse(storage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The plan in the form (`metas` are its line's stacks). */
export function savePlan(plan: Plan, metas: readonly StackMeta[]) {
  rememberLine(releaseOf(plan));
  const { open, secrets } = split(plan, metas);
  write([
    [localStorage, KEY, open],
    [sessionStorage, SECRET_KEY, secrets],
  ]);
}

/** `stored` (and its secrets) merged over `defaults`, keeping only known keys and values of the right type. */
function merge(stored: Record<string, unknown>, secrets: unknown, defaults: Plan): Plan {
  const pick = <T,>(value: unknown, fallback: T): T => (typeof value === typeof fallback ? (value as T) : fallback);
  const plan = structuredClone(defaults);
  plan.name = pick(stored.name, plan.name);
  plan.region = pick(stored.region, plan.region);
  plan.network = stored.network === 'existing' ? 'existing' : 'new';
  plan.templateBaseUrl = pick(stored.templateBaseUrl, plan.templateBaseUrl);
  if (typeof stored.childTemplatesUrl === 'string') plan.childTemplatesUrl = stored.childTemplatesUrl;
  if (plan.imageRegistry !== undefined) plan.imageRegistry = pick(stored.imageRegistry, plan.imageRegistry);
  const usage = isRecord(stored.usage) ? stored.usage : {};
  if (plan.usage) plan.usage = { telemetryGbPerDay: pick(usage.telemetryGbPerDay, plan.usage.telemetryGbPerDay), months: pick(usage.months, plan.usage.months) };
  const include = isRecord(stored.include) ? stored.include : {};
  for (const [key, value] of Object.entries(plan.include)) plan.include[key] = pick(include[key], value);
  const names = isRecord(stored.stackNames) ? stored.stackNames : {};
  const params = isRecord(stored.params) ? stored.params : {};
  const secretParams = isRecord(secrets) ? secrets : {};
  for (const [id, name] of Object.entries(plan.stackNames)) {
    plan.stackNames[id] = pick(names[id], name);
    const given = { ...(isRecord(params[id]) ? params[id] : {}), ...(isRecord(secretParams[id]) ? secretParams[id] : {}) };
    const values = plan.params[id] ?? {};
    for (const [key, value] of Object.entries(values)) values[key] = pick(given[key], value);
  }
  const accounts = restoredAccounts(stored.accounts, secretParams[ACCOUNT_SECRETS]);
  if (accounts) plan.accounts = accounts;
  return plan;
}

/** The other accounts as stored, each field text (the plan's schema checks the rest), their ExternalIds from `secrets`. */
function restoredAccounts(stored: unknown, secrets: unknown): PlanAccounts | undefined {
  if (!isRecord(stored)) return undefined;
  const externalIds = isRecord(secrets) ? secrets : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const accounts: PlanAccounts = {};
  for (const [group, target] of Object.entries(stored)) {
    if (!isRecord(target)) continue;
    accounts[group] = {
      accountId: text(target.accountId),
      region: text(target.region) as NonNullable<PlanAccounts[string]>['region'],
      roleArn: text(target.roleArn),
      externalId: text(externalIds[group]),
    };
  }
  return accounts;
}

/**
 * The stored plan merged over its line's defaults. A plan without `release` is on the 2025 line;
 * one on a line `defaultsFor` does not know (not registered here) is not restored.
 */
export function loadPlan(defaultsFor: (release: LineId) => Plan | undefined): Plan | undefined {
  const stored = readJson(localStorage, KEY);
  if (!isRecord(stored)) return undefined;
  const release = stored.release ?? LEGACY_RELEASE;
  const defaults = typeof release === 'string' ? defaultsFor(release as LineId) : undefined;
  return defaults && merge(stored, readJson(sessionStorage, SECRET_KEY), defaults);
}

/** The release line of the stored plan (the 2025 line for one stored before lines existed), or undefined when none is stored. */
export function storedRelease(): string | undefined {
  const stored = readJson(localStorage, KEY);
  if (!isRecord(stored)) return undefined;
  const release = stored.release ?? LEGACY_RELEASE;
  return typeof release === 'string' ? release : undefined;
}

/**
 * Moves the stored plan (and its secrets) to where other lines' plans are kept, untouched: for a
 * plan whose line could not be loaded, so the form can go on with another line and a later
 * switch to that line finds it.
 */
export function stashStored() {
  const release = storedRelease();
  if (release === undefined) return;
  const plans = readJson(localStorage, LINES_KEY);
  const allSecrets = readJson(sessionStorage, LINE_SECRETS_KEY);
  write([
    [localStorage, LINES_KEY, { ...(isRecord(plans) ? plans : {}), [release]: readJson(localStorage, KEY) }],
    [sessionStorage, LINE_SECRETS_KEY, { ...(isRecord(allSecrets) ? allSecrets : {}), [release]: readJson(sessionStorage, SECRET_KEY) ?? {} }],
  ]);
  clearPlan();
}

/** Keeps a line's plan while the form shows another line (`metas` are its line's stacks). */
export function stashPlan(plan: Plan, metas: readonly StackMeta[]) {
  const release = releaseOf(plan);
  const { open, secrets } = split(plan, metas);
  const plans = readJson(localStorage, LINES_KEY);
  const allSecrets = readJson(sessionStorage, LINE_SECRETS_KEY);
  write([
    [localStorage, LINES_KEY, { ...(isRecord(plans) ? plans : {}), [release]: open }],
    [sessionStorage, LINE_SECRETS_KEY, { ...(isRecord(allSecrets) ? allSecrets : {}), [release]: secrets }],
  ]);
}

/** The plan kept for `defaults`' line merged over those defaults, or undefined when none was kept. */
export function loadStashed(defaults: Plan): Plan | undefined {
  const release = releaseOf(defaults);
  const plans = readJson(localStorage, LINES_KEY);
  const stored = isRecord(plans) ? plans[release] : undefined;
  if (!isRecord(stored)) return undefined;
  const secrets = readJson(sessionStorage, LINE_SECRETS_KEY);
  return merge(stored, isRecord(secrets) ? secrets[release] : undefined, defaults);
}

export function clearPlan() {
  try {
    localStorage.removeItem(KEY);
    sessionStorage.removeItem(SECRET_KEY);
  } catch {
    // Nothing stored to clear.
  }
}
