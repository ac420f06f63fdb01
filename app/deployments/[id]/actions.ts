'use server';

import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { ActionError } from '@/lib/auth/action-error';
import { awsCall } from '@/lib/aws/errors';
import { trustedPrincipalFor } from '@/lib/aws/deploy-role';
import { preflight } from '@/lib/aws/preflight';
import { checkOtherAccounts } from '@/lib/deploy/accounts';
import { accessFor, contextFor, foreignStack, prepareRun, recoverRun, roleFor } from '@/lib/deploy/engine';
import { refusalsAsActionErrors } from '@/lib/deploy/refusals';
import { deploymentOverview } from '@/lib/deploy/overview';
import type { Operation } from '@/lib/deploy/scope';
import { userRules, userSpecs } from '@/lib/params/plan';
import { toFieldErrors, toZodSchema } from '@/lib/params/schema';
import { RELEASE_VERSION } from '@/lib/params/release-version';
import { addonOperation, imageKeys, operationIssues } from '@/lib/plan/operation-input';
import { findRelease, newerReleases, runningVersion } from '@/lib/releases/known';
import { upgradeOperation } from '@/lib/releases/upgrade';
import { setStepDone, stepsDone } from '@/lib/store/deployment-steps';
import { getDeployment, updateDeployment, type Deployment } from '@/lib/store/deployments';
import { isStackId, lineOf } from '@/templates';
import type { StackId } from '@/templates/stack';

const deploymentId = z.string().regex(/^dep-[0-9a-f]{12}$/, 'Unknown deployment.');
const account = z.string().regex(/^\d{12}$/, 'Check access and confirm the account first.');

async function loadDeployment(id: string): Promise<Deployment> {
  const deployment = await getDeployment(id);
  if (!deployment) throw new ActionError('This deployment does not exist.', undefined, 404);
  return deployment;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Admins set which role a deployment assumes (empty: the console's own credentials). */
export const saveAccess = defineAction(
  {
    role: 'admin',
    audit: 'deployment.access-changed',
    schema: z.object({
      deploymentId,
      roleArn: z.string().trim().refine((v) => v === '' || ROLE_ARN.test(v), 'Role ARN must look like arn:aws:iam::123456789012:role/LakerunnerDeployRole.'),
      /** Omitted: keep the stored ExternalId (the browser never sees it). */
      externalId: z
        .string()
        .trim()
        .max(1224, 'ExternalId must be at most 1,224 characters.')
        .refine((v) => /^[\w+=,.@:/-]{2,}$/.test(v), 'ExternalId must be 2 or more of letters, digits and +=,.@:/-')
        .optional(),
    }),
  },
  async (input, { auditEntry }) => {
    const deployment = await loadDeployment(input.deploymentId);
    if (input.externalId && !input.roleArn) throw new ActionError('An ExternalId needs a role to assume.', 'roleArn');
    // Clearing the role clears its ExternalId too.
    const externalId = input.roleArn ? (input.externalId ?? deployment.externalId) : undefined;
    await updateDeployment(deployment.id, { roleArn: input.roleArn, externalId });
    auditEntry({ target: deployment.name, details: { roleArn: input.roleArn || null } });
    return { saved: true };
  },
);

/** The preflight: who the console acts as for this deployment, in which account. */
export const checkAccess = defineAction({ role: 'deployer', schema: z.object({ deploymentId }) }, async (input, { user }) => {
  const deployment = await loadDeployment(input.deploymentId);
  const role = roleFor(deployment, user.username);
  const context = await contextFor(deployment, user.username);
  const result = await refusalsAsActionErrors(async () => preflight(context, role));
  if (!result.ok) throw new ActionError(result.problem, result.field);
  // Every other account the plan puts stacks in: the role's trust, and the account it reaches.
  const access = await accessFor(deployment, user.username, context);
  const others = await refusalsAsActionErrors(() => checkOtherAccounts(access));
  if (!others.ok) throw new ActionError(others.problem);
  // A stack of the plan that another deployment owns, or that exists without an owner, is refused here already.
  const foreign = await refusalsAsActionErrors(() => foreignStack(deployment, context, result.identity.account, access));
  if (foreign) throw new ActionError(foreign.message, undefined, 409);
  return {
    account: result.identity.account,
    arn: result.identity.arn,
    region: deployment.region,
    role: role?.arn,
    others: access.all.flatMap((p) => (p.target ? [{ account: p.target.accountId, region: p.target.region, arn: others.identities.get(p.id)?.arn ?? '', stacks: p.stacks.map((id) => deployment.plan.stackNames[id] ?? id) }] : [])),
    // Without a role yet: a role template that trusts exactly the identity the console runs as.
    roleTemplateUrl: role ? undefined : `/api/aws/deploy-role?format=yaml&TrustedPrincipalArn=${encodeURIComponent(trustedPrincipalFor(result.identity.arn))}`,
  };
});

/** Values per stack and parameter key; which stacks and keys, and the values themselves, the deployment's line checks. */
const perStack = z.record(z.string(), z.record(z.string(), z.string().trim().optional()).optional());

const operation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deploy') }),
  z.object({ kind: z.literal('update-images'), images: z.record(z.string(), z.string().trim()) }),
  z.object({ kind: z.literal('grafana-reset') }),
  z.object({ kind: z.literal('otlp-endpoint'), endpoint: z.string().trim() }),
  z.object({ kind: z.literal('update-sizes'), sizes: perStack }),
  z.object({ kind: z.literal('update-settings'), settings: perStack }),
  z.object({ kind: z.literal('teardown'), confirmName: z.string(), forceDeleteSecrets: z.boolean().optional() }),
  z.object({ kind: z.literal('upgrade-release'), version: z.string().regex(RELEASE_VERSION, 'Choose a release such as v1.7.6.') }),
  z.object({ kind: z.literal('add-addon'), stack: z.string(), settings: z.record(z.string(), z.string().trim()), stackName: z.string().trim().optional() }),
  z.object({ kind: z.literal('change-addon'), stack: z.string(), settings: z.record(z.string(), z.string().trim()) }),
  z.object({ kind: z.literal('remove-addon'), stack: z.string() }),
]);

/**
 * NoEcho values given again for a run, per stack: checked exactly as the plan form checks them
 * (constraints, bytes, YAML shape), so a bad value is a field error here, not a failed change set.
 * Empty means "keep the deployed value".
 */
const secrets = z.record(z.string(), z.record(z.string(), z.string().optional()).optional()).optional();

const runInput = z
  .object({ deploymentId, confirmedAccount: account, operation, secrets, resumedFrom: z.string().regex(/^run-[0-9a-f]{12}$/).optional() })
  .superRefine(async (input, ctx) => {
    // The deployment's line says which stacks and parameters exist; an unknown deployment is the handler's to report.
    const deployment = await getDeployment(input.deploymentId);
    if (!deployment) return;
    for (const issue of await operationIssues(lineOf(deployment.plan), input)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

/** Prepares a run (preflight, locks, preview) and opens its page. */
export const startRun = defineAction(
  {
    role: 'deployer',
    schema: runInput,
  },
  async (input, { user }) => {
    const deployment = await loadDeployment(input.deploymentId);
    let op: Operation;
    switch (input.operation.kind) {
      case 'update-images': {
        const keys = imageKeys(lineOf(deployment.plan)).map(([key]) => key);
        const given = input.operation.images;
        const images = Object.fromEntries(keys.flatMap((key) => (given[key] ? [[key, given[key]] as const] : [])));
        if (Object.keys(images).length === 0) throw new ActionError('Give at least one image to change.', keys[0] && `operation.images.${keys[0]}`);
        op = { kind: 'update-images', images };
        break;
      }
      case 'otlp-endpoint':
        op = { kind: 'otlp-endpoint', endpoint: input.operation.endpoint };
        break;
      case 'grafana-reset':
        op = { kind: 'grafana-reset', token: `reset-${Date.now()}` };
        break;
      case 'update-sizes': {
        const given = Object.entries(input.operation.sizes as Record<string, Record<string, string | undefined> | undefined>)
          .map(([id, values]) => [id, Object.fromEntries(Object.entries(values ?? {}).filter((e): e is [string, string] => Boolean(e[1])))] as const)
          .filter(([, values]) => Object.keys(values).length > 0);
        if (given.length === 0) throw new ActionError('Change at least one task count: these are the deployed ones.');
        op = { kind: 'update-sizes', sizes: Object.fromEntries(given) };
        break;
      }
      case 'update-settings':
        op = { kind: 'update-settings', settings: await changedSettings(deployment, input.operation.settings as Record<string, Record<string, string | undefined> | undefined>) };
        break;
      case 'upgrade-release': {
        const manifest = findRelease(deployment.plan, input.operation.version);
        if (!manifest) throw new ActionError(`The console knows no release ${input.operation.version} of this deployment's line.`, 'operation.version', 404);
        if (!newerReleases(deployment.plan).includes(manifest))
          throw new ActionError(`This deployment runs ${runningVersion(deployment.plan)}; ${manifest.version} is not newer.`, 'operation.version', 409);
        op = upgradeOperation(lineOf(deployment.plan), manifest);
        break;
      }
      case 'add-addon':
      case 'change-addon':
      case 'remove-addon':
        op = addonOperation(deployment.plan, lineOf(deployment.plan), input.operation);
        break;
      case 'teardown':
        if (input.operation.confirmName !== deployment.name) throw new ActionError(`Type ${deployment.name} to confirm.`, 'operation.confirmName');
        if (input.operation.forceDeleteSecrets && !lineOf(deployment.plan).operations.teardown?.retainedSecrets?.length)
          throw new ActionError('This deployment’s stacks keep no secrets for a teardown to force-delete.', 'operation.forceDeleteSecrets');
        op = { kind: 'teardown', ...(input.operation.forceDeleteSecrets ? { forceDeleteSecrets: true } : {}) };
        break;
      default:
        op = { kind: 'deploy' };
    }
    const given = Object.entries(input.secrets ?? {}).map(([id, values]) => [id, Object.fromEntries(Object.entries(values ?? {}).filter((e): e is [string, string] => e[1] !== undefined))]);
    const run = await refusalsAsActionErrors(() =>
      prepareRun({ deploymentId: deployment.id, user: user.username, operation: op, secrets: input.secrets && Object.fromEntries(given), confirmedAccount: input.confirmedAccount, resumedFrom: input.resumedFrom }),
    );
    redirect(`/runs/${run.id}`);
  },
);

/**
 * The settings that differ from the deployment's plan, checked together with the rest of each
 * stack's values (a certificate needs a domain name; internet-facing needs public subnets).
 */
async function changedSettings(deployment: Deployment, given: Record<string, Record<string, string | undefined> | undefined>) {
  const changed: Partial<Record<StackId, Record<string, string>>> = {};
  const metas = lineOf(deployment.plan).stacks;
  for (const [id, values] of Object.entries(given) as [StackId, Record<string, string | undefined> | undefined][]) {
    const current = deployment.plan.params[id] ?? {};
    const diff = Object.fromEntries(Object.entries(values ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== (current[entry[0]] ?? '')));
    if (Object.keys(diff).length === 0) continue;
    const meta = metas.find((m) => m.id === id);
    if (!meta) throw new ActionError(`Unknown stack "${id}".`, `operation.settings.${id}`);
    const specs = userSpecs(meta, deployment.plan, metas);
    const merged = Object.fromEntries(specs.map((spec) => [spec.key, diff[spec.key] ?? current[spec.key] ?? spec.default ?? '']));
    const result = await toZodSchema(specs, userRules(meta, deployment.plan, metas)).safeParseAsync(merged);
    if (!result.success) {
      const [key, message] = Object.entries(toFieldErrors(result.error))[0]!;
      throw new ActionError(message, `operation.settings.${id}.${key}`);
    }
    changed[id] = diff;
  }
  if (Object.keys(changed).length === 0) throw new ActionError('Change at least one setting: these are the deployed ones.');
  return changed;
}

/** Recovers a failed stack (delete a failed create, or continue a failed rollback) and opens the run. */
export const recoverStack = defineAction(
  {
    role: 'deployer',
    schema: z.object({
      deploymentId,
      confirmedAccount: account,
      stackId: z.string().refine(isStackId, 'Unknown stack.'),
      skipResources: z.array(z.string().regex(/^[A-Za-z0-9]{1,255}$/, 'Not a logical resource id.')).max(200).default([]),
    }),
  },
  async (input, { user }) => {
    const run = await refusalsAsActionErrors(() =>
      recoverRun({ deploymentId: input.deploymentId, stackId: input.stackId, user: user.username, skipResources: input.skipResources, confirmedAccount: input.confirmedAccount }),
    );
    redirect(`/runs/${run.id}`);
  },
);

/**
 * Fetches a sign-in's password (the Grafana admin's on the 2025 line) from Secrets Manager on an
 * explicit click; never stored. `label` names the access point when a deployment has several.
 */
export const revealGrafanaPassword = defineAction(
  { role: 'deployer', schema: z.object({ deploymentId, label: z.string().max(100).optional() }), audit: 'deployment.password-revealed' },
  async (input, { user, auditEntry }) => {
    const deployment = await loadDeployment(input.deploymentId);
    const overview = await refusalsAsActionErrors(() => deploymentOverview(deployment, user.username));
    const login = overview.accessPoints.find((p) => p.kind === 'login' && (input.label === undefined || p.label === input.label));
    if (login?.kind !== 'login') throw new ActionError(`${input.label ?? 'Grafana'} is not deployed for this deployment.`);
    const context = await contextFor(deployment, user.username);
    const secret = await refusalsAsActionErrors(() => awsCall('GetSecretValue', () => context.secretsManager.send(new GetSecretValueCommand({ SecretId: login.secretArn }))));
    const password = (JSON.parse(secret.SecretString ?? '{}') as { password?: string }).password;
    if (!password) throw new ActionError(`The ${login.label} admin secret holds no password.`);
    auditEntry({ target: deployment.name, details: { secret: login.secretArn } });
    return { password };
  },
);

/** Ticks a manual step of the deployment's line off, or back on; remembered with who and when. */
export const checkStep = defineAction(
  {
    role: 'deployer',
    audit: 'deployment.step-checked',
    schema: z.object({ deploymentId, stepId: z.string().regex(/^[a-z0-9-]{1,60}$/, 'Unknown step.'), done: z.boolean() }),
  },
  async (input, { user, auditEntry }) => {
    const deployment = await loadDeployment(input.deploymentId);
    const overview = await deploymentOverview(deployment, user.username);
    if (input.done && !overview.manualSteps.some((step) => step.id === input.stepId))
      throw new ActionError('This step is not one the deployment needs now: reload the page.', 'stepId', 409);
    await setStepDone(deployment.id, input.stepId, input.done ? { by: user.username } : false);
    auditEntry({ target: deployment.name, details: { step: input.stepId, done: input.done } });
    return { steps: await stepsDone(deployment.id) };
  },
);
