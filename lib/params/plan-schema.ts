// The plan schema of a release line: one zod schema, the same in the browser and on the server,
// checking the shape of a plan, each included stack's parameters and the line's rules across
// stacks. Kept apart from plan.ts so the plan page can draw itself before it loads the validation library.
import * as z from 'zod/mini';
import type { StackId, StackMeta } from '@/templates/stack';
import { ACCOUNT_ID, ACCOUNT_MESSAGES, EXTERNAL_ID, ROLE_ARN, type PlanAccounts } from './accounts';
import { checkFormatSync } from './formats';
import { checkRegistryPrefix } from './images';
import { isIncluded, LEGACY_RELEASE, userRules, userSpecs, type Plan, type PlanLine } from './plan';
import { planRuleIssues } from './plan-rules';
import { REGION_CODES } from './regions';
import { RELEASE_VERSION } from './release-version';
import { toZodSchema, type ParamValues } from './schema';
import { checkChildTemplatesUrl, checkTemplateBaseUrl } from './template-url';
import { DEFAULT_USAGE, MAX_MONTHS, MAX_TELEMETRY_GB_PER_DAY } from './usage';

const TELEMETRY_MESSAGE = `Telemetry per day must be a number of GB from 0 to ${MAX_TELEMETRY_GB_PER_DAY.toLocaleString('en-US')}, such as 10 or 2.5.`;
const MONTHS_MESSAGE = `Months of growth must be a whole number from 1 to ${MAX_MONTHS}.`;

const usageSchema = z.strictObject({
  telemetryGbPerDay: z
    .string({ error: TELEMETRY_MESSAGE })
    .check(z.trim(), z.refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) <= MAX_TELEMETRY_GB_PER_DAY, TELEMETRY_MESSAGE)),
  months: z
    .string({ error: MONTHS_MESSAGE })
    .check(z.trim(), z.refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_MONTHS, MONTHS_MESSAGE)),
});

const stackNameField = (label: string) =>
  z.string({ error: `${label} must be text.` }).check(
    z.superRefine((value, ctx) => {
      const problem = value === '' ? `${label} is required.` : checkFormatSync('stack-name', value, label);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether the cross-field checks can run although some plain fields failed: they only need
 * the network, the include flags, the stack names and the per-stack value objects to be well-formed.
 */
function isRefinable(value: unknown, line: PlanLine): boolean {
  if (!isObject(value) || (value.network !== 'new' && value.network !== 'existing')) return false;
  const { include, stackNames, params } = value;
  if (!isObject(include) || !line.toggles.every((t) => typeof include[t.id] === 'boolean')) return false;
  if (!isObject(stackNames) || !isObject(params)) return false;
  return line.stacks.every((m) => typeof stackNames[m.id] === 'string' && isObject(params[m.id]));
}

/** Another account for a group of stacks: each field checked on its own, the role's account against the account in the cross checks. */
const accountTargetSchema = z.strictObject({
  accountId: z.string({ error: ACCOUNT_MESSAGES.accountId }).check(z.trim(), z.regex(ACCOUNT_ID, ACCOUNT_MESSAGES.accountId)),
  region: z.enum(REGION_CODES, { error: ACCOUNT_MESSAGES.region }),
  roleArn: z.string({ error: ACCOUNT_MESSAGES.roleArn }).check(z.trim(), z.regex(ROLE_ARN, ACCOUNT_MESSAGES.roleArn)),
  externalId: z.string({ error: ACCOUNT_MESSAGES.externalId }).check(z.trim(), z.refine((v) => v === '' || EXTERNAL_ID.test(v), ACCOUNT_MESSAGES.externalId)),
});

const PLAN_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/;

export const UNKNOWN_RELEASE = 'Choose a release line from the list.';

/**
 * The plan schema of a line: shape first, then each included stack's own derived schema (so
 * fields of excluded stacks are ignored), then the line's rules across stacks. A plan without a
 * release is on the 2025 line, so only that line's schema accepts one.
 */
export function createPlanSchema(line: PlanLine) {
  const metas = line.stacks;
  const release = z.literal(line.id, { error: UNKNOWN_RELEASE });
  const perStack = <T extends z.ZodMiniType>(make: (m: StackMeta) => T) => z.strictObject(Object.fromEntries(metas.map((m) => [m.id, make(m)])));
  const longestFile = `${metas.reduce((a, m) => (m.stem.length > a.length ? m.stem : a), '')}.yaml`;
  const longestChildFile = `${metas.flatMap((m) => m.children ?? []).reduce((a, c) => (c.file.length > a.length ? c.file : a), '')}.yaml`;

  const groups = line.accountGroups ?? [];
  const shape = z.strictObject({
    release: line.id === LEGACY_RELEASE ? z.optional(release) : release,
    name: z
      .string({ error: 'Plan name must be text.' })
      .check(z.regex(PLAN_NAME, 'Plan name must start with a letter or digit and use letters, digits, spaces, dots, dashes or underscores (at most 63).')),
    region: z.enum(REGION_CODES, { error: 'Choose a region from the list.' }),
    network: z.enum(['new', 'existing'], { error: 'Choose whether to create a VPC or use an existing one.' }),
    include: z.strictObject(Object.fromEntries(line.toggles.map((t) => [t.id, z.boolean({ error: 'Must be true or false.' })]))),
    stackNames: perStack((m) => stackNameField(`${m.title} stack name`)),
    templateBaseUrl: z.string({ error: 'Template base URL must be text.' }).check(
      z.superRefine((value, ctx) => {
        const problem = checkTemplateBaseUrl(value, longestFile);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    ),
    childTemplatesUrl: z.optional(
      z.string({ error: 'Nested templates mirror must be text.' }).check(
        z.superRefine((value, ctx) => {
          const problem = checkChildTemplatesUrl(value, longestChildFile);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      ),
    ),
    params: perStack(() => z.record(z.string(), z.unknown())),
    usage: z.optional(usageSchema),
    releaseVersion: z.optional(z.string({ error: 'Release must be text.' }).check(z.regex(RELEASE_VERSION, 'Release must be a release tag such as v1.7.5.'))),
    accounts: z.optional(z.strictObject(Object.fromEntries(groups.map((g) => [g.id, z.optional(accountTargetSchema)])))),
    imageRegistry: z.optional(
      z.string({ error: 'Image registry must be text.' }).check(
        z.superRefine((value, ctx) => {
          const problem = checkRegistryPrefix(value);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      ),
    ),
  });
  type Shape = z.output<typeof shape>;

  const crossChecks = z.superRefine<Shape>(async (shaped, ctx) => {
    const plan = shaped as Shape & Pick<Plan, 'include' | 'params'>;
    const rules = planRuleIssues(line.rules, plan, metas);
    for (const issue of rules.choices) ctx.addIssue({ code: 'custom', ...issue });

    const seen = new Map<string, StackId>();
    for (const meta of metas) {
      if (!isIncluded(plan, meta)) continue;
      const name = plan.stackNames[meta.id as keyof typeof plan.stackNames] as string;
      const other = seen.get(name);
      if (other) ctx.addIssue({ code: 'custom', path: ['stackNames', meta.id], message: `Stack name ${name} is already used by the ${other} stack.` });
      else seen.set(name, meta.id);
    }

    for (const meta of metas) {
      if (!isIncluded(plan, meta)) continue;
      const schema = toZodSchema(userSpecs(meta, plan, metas), userRules(meta, plan, metas));
      const result = await schema.safeParseAsync(plan.params[meta.id as keyof typeof plan.params]);
      if (!result.success)
        for (const issue of result.error.issues) {
          if (issue.code === 'unrecognized_keys') {
            const known = meta.parameters.map((s) => s.key);
            for (const key of issue.keys.filter((k) => !known.includes(k)))
              ctx.addIssue({ code: 'custom', path: ['params', meta.id, key], message: `Unknown field "${key}".` });
            continue;
          }
          ctx.addIssue({ code: 'custom', path: ['params', meta.id, ...issue.path.map(String)], message: issue.message });
        }
    }

    for (const issue of rules.values) ctx.addIssue({ code: 'custom', ...issue });

    for (const group of groups) {
      const target = (shaped.accounts as Record<string, unknown> | undefined)?.[group.id];
      if (!isObject(target)) continue;
      const role = typeof target.roleArn === 'string' ? ROLE_ARN.exec(target.roleArn.trim()) : null;
      const account = typeof target.accountId === 'string' ? target.accountId.trim() : '';
      if (role && ACCOUNT_ID.test(account) && role[1] !== account)
        ctx.addIssue({ code: 'custom', path: ['accounts', group.id, 'roleArn'], message: ACCOUNT_MESSAGES.roleAccount(account) });
      if (group.sameRegion && typeof target.region === 'string' && target.region !== shaped.region)
        ctx.addIssue({ code: 'custom', path: ['accounts', group.id, 'region'], message: group.sameRegion });
    }
  }, { when: (payload) => isRefinable(payload.value, line) });

  return z.pipe(
    shape.check(crossChecks),
    z.transform((plan: Shape): Plan => ({
      ...plan,
      include: plan.include as Record<StackId, boolean>,
      usage: plan.usage ?? { ...DEFAULT_USAGE },
      ...(plan.imageRegistry !== undefined ? { imageRegistry: plan.imageRegistry.trim() } : {}),
      ...(plan.accounts !== undefined ? { accounts: plan.accounts as PlanAccounts } : {}),
      stackNames: plan.stackNames as Record<StackId, string>,
      params: Object.fromEntries(
        metas.map((m) => {
          const given = plan.params[m.id as keyof typeof plan.params] as Record<string, unknown>;
          return [m.id, Object.fromEntries(m.parameters.map((s) => [s.key, typeof given[s.key] === 'string' ? (given[s.key] as string) : (s.default ?? '')]))];
        }),
      ) as Record<StackId, ParamValues>,
    })),
  );
}

export type PlanInput = z.input<ReturnType<typeof createPlanSchema>>;
