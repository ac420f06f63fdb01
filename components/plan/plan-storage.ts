// Keeps the plan across reloads: everything but secret (NoEcho) values in localStorage, secret
// values only in this tab's sessionStorage. Nothing goes into the URL.
import type { Plan } from '@/lib/params/plan';
import type { StackMeta } from '@/templates/stack';

const KEY = 'lakerunner.plan.v1';
const SECRET_KEY = 'lakerunner.plan.secrets.v1';

type Secrets = Record<string, Record<string, string>>;

const secretKeys = (metas: readonly StackMeta[]) =>
  metas.flatMap((m) => m.parameters.filter((p) => p.noEcho).map((p) => [m.id, p.key] as const));

export function savePlan(plan: Plan, metas: readonly StackMeta[]) {
  const open = structuredClone(plan);
  const secrets: Secrets = {};
  for (const [stack, key] of secretKeys(metas)) {
    const value = open.params[stack]?.[key];
    if (value) (secrets[stack] ??= {})[key] = value;
    if (open.params[stack]) open.params[stack][key] = '';
  }
  try {
    localStorage.setItem(KEY, JSON.stringify(open));
    sessionStorage.setItem(SECRET_KEY, JSON.stringify(secrets));
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

/** The stored plan merged over `defaults`, keeping only known keys and values of the right type. */
export function loadPlan(defaults: Plan): Plan | undefined {
  const stored = readJson(localStorage, KEY);
  if (!isRecord(stored)) return undefined;
  const secrets = readJson(sessionStorage, SECRET_KEY);
  const pick = <T,>(value: unknown, fallback: T): T => (typeof value === typeof fallback ? (value as T) : fallback);
  const plan = structuredClone(defaults);
  plan.name = pick(stored.name, plan.name);
  plan.region = pick(stored.region, plan.region);
  plan.network = stored.network === 'existing' ? 'existing' : 'new';
  plan.templateBaseUrl = pick(stored.templateBaseUrl, plan.templateBaseUrl);
  const usage = isRecord(stored.usage) ? stored.usage : {};
  if (plan.usage) plan.usage = { telemetryGbPerDay: pick(usage.telemetryGbPerDay, plan.usage.telemetryGbPerDay), months: pick(usage.months, plan.usage.months) };
  const include = isRecord(stored.include) ? stored.include : {};
  for (const key of Object.keys(plan.include) as (keyof Plan['include'])[]) plan.include[key] = pick(include[key], plan.include[key]);
  const names = isRecord(stored.stackNames) ? stored.stackNames : {};
  const params = isRecord(stored.params) ? stored.params : {};
  const secretParams = isRecord(secrets) ? secrets : {};
  for (const id of Object.keys(plan.stackNames) as (keyof Plan['stackNames'])[]) {
    plan.stackNames[id] = pick(names[id], plan.stackNames[id]);
    const given = { ...(isRecord(params[id]) ? params[id] : {}), ...(isRecord(secretParams[id]) ? secretParams[id] : {}) };
    for (const key of Object.keys(plan.params[id])) plan.params[id][key] = pick(given[key], plan.params[id][key] as string);
  }
  return plan;
}

export function clearPlan() {
  try {
    localStorage.removeItem(KEY);
    sessionStorage.removeItem(SECRET_KEY);
  } catch {
    // Nothing stored to clear.
  }
}
