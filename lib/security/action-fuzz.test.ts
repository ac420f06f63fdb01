// Hostile input against every server action on disk, called in-process as a signed-in user of the
// action's role: each malformed call must be refused with field errors naming the broken field (or
// the handler's own refusal), never SERVER_FAILED or a trace, and must change nothing anywhere.
import { isRedirectError } from 'next/dist/client/components/redirect-error';
import { getURLFromRedirectError } from 'next/dist/client/components/redirect';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ActionResult } from '@/lib/auth/action';
import { FORBIDDEN, PASSWORD_CHANGE_REQUIRED, SERVER_FAILED, SIGN_IN_REQUIRED } from '@/lib/auth/messages';
import { PASSWORD_MAX_LENGTH } from '@/lib/auth/passwords';
import type { Role } from '@/lib/auth/roles';
import { createUser, type User } from '@/lib/auth/users';
import { cancelRun } from '@/lib/deploy/engine';
import { getRun } from '@/lib/store/runs';
import { callAs } from './testing/caller';
import { actionFiles, ROOT } from './testing/enumerate';
import { corruptedPayloads, example, fuzz, namesCorruptedField, TRACE_PATTERN, type FieldFuzz, type Malformed } from './testing/fuzz';
import { AWKWARD_UNICODE, hostileIdentifier, hostileText, INJECTIONS, notAnObject, notText, PROTO_KEYS, tainted } from './testing/hostile';
import { HOSTILE_IMAGES, planExamples, planFields } from './testing/plan-fuzz';
import { basePlan, createWorld, PASSWORD, prototypeFingerprint, sandboxCalls, storeFingerprint, type World } from './testing/world';

vi.mock('next/headers', async () => (await import('./testing/caller')).fakeHeaders);
// Outside a Next request there is no cache to revalidate.
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

type Payload = Record<string, unknown>;
type Outcome = { result: ActionResult<unknown> } | { redirect: string };
type Action = (...args: unknown[]) => Promise<ActionResult<unknown>>;

interface ActionFuzz {
  role: Role | 'public';
  baseline: () => Payload;
  fields: FieldFuzz[];
  /** Form errors the handler itself answers some corrupted values with (an unknown id, say). */
  refusals?: RegExp;
  examples?: () => Malformed<Payload>[];
  /** Whether the valid baseline got past every check: proof the refusals came from the corruption. */
  accepted: (outcome: Outcome) => boolean;
}

const field = (path: string[], invalid: fc.Arbitrary<unknown>, required = true): FieldFuzz => ({ path, invalid, required, reportedAs: path.join('.') });
const ok = (outcome: Outcome) => 'result' in outcome && outcome.result.ok;
const redirectedTo = (pattern: RegExp) => (outcome: Outcome) => 'redirect' in outcome && pattern.test(outcome.redirect);
const refusedWith = (pattern: RegExp) => (outcome: Outcome) => 'result' in outcome && !outcome.result.ok && pattern.test(outcome.result.formError ?? '');

const ACCOUNT = '111111111111';
const badDeploymentId = fc.oneof(hostileIdentifier, notText, fc.constantFrom('dep-', 'DEP-0123456789AB', 'dep-0123456789abc', 'dep-ffffffffffff'));
const badAccount = fc.oneof(hostileIdentifier, notText, fc.constantFrom('11111111111', '1111111111111', ' 111111111111', '１１１１１１１１１１１１'));
const badRunId = fc.oneof(hostileIdentifier, notText, fc.constantFrom('run-FFFFFFFFFFFF', 'run-0123', 'run-ffffffffffff'));
const badRegion = fc.oneof(hostileText, notText, fc.constantFrom('US-EAST-1', 'mars-north-1', 'us-east-1 '));
const badUserId = fc.oneof(tainted(hostileText), fc.constantFrom<unknown>(-1, 0, 1.5, 'NaN', 'Infinity', '1e400', {}, null, [], ['1', '2'], '-3', 2 ** 53 + 2, 999_999));
const badRole = fc.oneof(hostileText, notText, fc.constantFrom('Admin', 'root', 'superadmin', 'admin '));
const badPlanName = fc.oneof(tainted(hostileText).filter((s) => !/^z[A-Za-z0-9 _.-]*z$/.test(s)), fc.constantFrom('', '   ', '-x', 'x'.repeat(64)), notText);
const badOperation = fc.oneof(
  notText,
  hostileText.map((kind) => ({ kind })),
  fc.constantFrom(...HOSTILE_IMAGES).map((image) => ({ kind: 'update-images', images: { GoServicesImage: image } })),
  fc.constant({ kind: 'update-images', images: {} }),
  fc.constant({ kind: 'update-images', images: 'latest' }),
  tainted(hostileText).map((endpoint) => ({ kind: 'otlp-endpoint', endpoint })),
  hostileText.map((confirmName) => ({ kind: 'teardown', confirmName })),
);
const badSecrets = fc.oneof(
  hostileText,
  fc.constantFrom<unknown>([], 5, { common: 'x' }, { nostack: {} }, { common: { ApiKeysOverride: 5 } }, { common: [] }, { common: { DbPassword: 'x' } }, { vpc: { VpcCidr: 'x' } }),
  // secrets are checked as the plan form checks them: YAML syntax and shape, bytes
  fc.constantFrom('keys: [unclosed', '- organization_id: not-a-uuid\n  keys: [a]', 'a: &a [*a, *a]', 'é'.repeat(2_049)).map((yaml) => ({ common: { ApiKeysOverride: yaml } })),
  fc.integer({ min: 4_097, max: 70_000 }).map((length) => ({ common: { ApiKeysOverride: 'k'.repeat(length) } })),
);

let world: World;
let throwaway: User;
const actions = new Map<string, Action>();
const tried = new Map<string, number>();

const ACTIONS: Record<string, ActionFuzz> = {
  'app/account/actions.ts#changePasswordAction': {
    role: 'viewer',
    baseline: () => ({ currentPassword: PASSWORD, newPassword: 'another fuzz password, long', confirmPassword: 'another fuzz password, long' }),
    fields: [
      field(['currentPassword'], fc.oneof(fc.constant(''), notText, fc.constant('p'.repeat(1025)))),
      field(['newPassword'], fc.oneof(fc.constantFrom('', 'short', 'x'.repeat(PASSWORD_MAX_LENGTH + 1)), notText)),
      field(['confirmPassword'], fc.oneof(notText, hostileText)),
    ],
    accepted: ok,
  },
  'app/admin/users/actions.ts#createUserAction': {
    role: 'admin',
    baseline: () => ({ username: 'fuzz-new', role: 'viewer' }),
    fields: [
      // Leading and trailing white space (U+FEFF included) is trimmed away, so such names are not malformed.
      field(['username'], fc.oneof(tainted(hostileText), fc.constantFrom('', '   ', '.leading', '-x', 'u'.repeat(255), ...INJECTIONS, ...AWKWARD_UNICODE).filter((name) => !/^[A-Za-z0-9][\w.@+-]*$/.test(name.trim())), notText)),
      field(['role'], badRole),
    ],
    accepted: ok,
  },
  'app/admin/users/actions.ts#changeRoleAction': {
    role: 'admin',
    baseline: () => ({ id: world.target.id, role: 'viewer' }),
    fields: [field(['id'], badUserId), field(['role'], badRole)],
    refusals: /no longer exists/,
    accepted: ok,
  },
  'app/admin/users/actions.ts#resetPasswordAction': { role: 'admin', baseline: () => ({ id: world.target.id }), fields: [field(['id'], badUserId)], refusals: /no longer exists/, accepted: ok },
  'app/admin/users/actions.ts#revokeSessionsAction': { role: 'admin', baseline: () => ({ id: world.target.id }), fields: [field(['id'], badUserId)], refusals: /no longer exists/, accepted: ok },
  'app/admin/users/actions.ts#deleteUserAction': { role: 'admin', baseline: () => ({ id: throwaway.id }), fields: [field(['id'], badUserId)], refusals: /no longer exists/, accepted: ok },
  'app/deployments/[id]/actions.ts#saveAccess': {
    role: 'admin',
    baseline: () => ({ deploymentId: world.deployment.id, roleArn: `arn:aws:iam::${ACCOUNT}:role/LakerunnerDeployRole`, externalId: 'lakerunner-sandbox' }),
    fields: [
      field(['deploymentId'], badDeploymentId),
      field(['roleArn'], fc.oneof(hostileIdentifier, notText, fc.constantFrom('arn:aws:iam::123:role/x', `arn:aws:iam::${ACCOUNT}:user/x`, `arn:aws:iam::${ACCOUNT}:role/`))),
      field(['externalId'], fc.oneof(hostileIdentifier, notText, fc.constantFrom('a', 'x'.repeat(1225))), false),
    ],
    refusals: /does not exist/,
    accepted: ok,
  },
  'app/deployments/[id]/actions.ts#checkAccess': { role: 'deployer', baseline: () => ({ deploymentId: world.deployment.id }), fields: [field(['deploymentId'], badDeploymentId)], refusals: /does not exist/, accepted: ok },
  'app/deployments/[id]/actions.ts#startRun': {
    role: 'deployer',
    baseline: () => ({ deploymentId: world.deployment.id, confirmedAccount: ACCOUNT, operation: { kind: 'deploy' } }),
    fields: [
      field(['deploymentId'], badDeploymentId),
      field(['confirmedAccount'], badAccount),
      field(['operation'], badOperation),
      field(['secrets'], badSecrets, false),
      field(['resumedFrom'], fc.oneof(hostileIdentifier, notText, fc.constant('run-0123')), false),
    ],
    refusals: /does not exist/,
    accepted: redirectedTo(/^\/runs\/run-[0-9a-f]{12}$/),
  },
  'app/deployments/[id]/actions.ts#recoverStack': {
    role: 'deployer',
    baseline: () => ({ deploymentId: world.deployment.id, confirmedAccount: ACCOUNT, stackId: 'demo', skipResources: [] }),
    fields: [
      field(['deploymentId'], badDeploymentId),
      field(['confirmedAccount'], badAccount),
      field(['stackId'], fc.oneof(hostileText, notText, fc.constantFrom('VPC', 'constructor', 'lakerunner-vpc'))),
      field(['skipResources'], fc.oneof(hostileText, fc.constantFrom<unknown>(null, {}, 5, Array.from({ length: 201 }, () => 'Resource')), fc.array(hostileIdentifier, { minLength: 1, maxLength: 3 })), false),
    ],
    refusals: /does not exist/,
    accepted: refusedWith(/not part of the plan/),
  },
  'app/deployments/[id]/actions.ts#revealGrafanaPassword': {
    role: 'deployer',
    baseline: () => ({ deploymentId: world.deployment.id }),
    fields: [field(['deploymentId'], badDeploymentId)],
    refusals: /does not exist/,
    accepted: refusedWith(/Grafana is not deployed/),
  },
  'app/deployments/[id]/actions.ts#checkStep': {
    role: 'deployer',
    baseline: () => ({ deploymentId: world.deployment.id, stepId: 'map-raw-bucket', done: true }),
    fields: [
      field(['deploymentId'], badDeploymentId),
      field(['stepId'], fc.oneof(hostileIdentifier, notText, fc.constantFrom('', 'Map-Raw-Bucket', 'map_raw_bucket', 'a'.repeat(61)))),
      field(['done'], fc.oneof(hostileText, fc.constantFrom<unknown>(null, 0, 1, 'true', 'false', [], {}, [true]))),
    ],
    refusals: /does not exist/,
    // The fuzz world's deployment has no stacks yet, so no manual step is due: ticking one is refused as stale.
    accepted: (outcome) => 'result' in outcome && !outcome.result.ok && /not one the deployment needs now/.test(outcome.result.fieldErrors?.stepId ?? ''),
  },
  'app/deployments/attach/actions.ts#discoverStacksAction': { role: 'deployer', baseline: () => ({ region: 'us-east-1' }), fields: [field(['region'], badRegion)], accepted: ok },
  'app/deployments/attach/actions.ts#attachStacksAction': {
    role: 'deployer',
    baseline: () => ({ region: 'us-east-1', anchor: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/fuzz-vpc/0a1b2c3d-0000-4000-8000-000000000000`, name: 'attached fuzz' }),
    fields: [
      field(['region'], badRegion),
      field(['anchor'], fc.oneof(hostileIdentifier, notText, fc.constantFrom(`arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/1bad/x`, 'arn:aws:s3:::bucket'))),
      field(['name'], badPlanName),
    ],
    accepted: refusedWith(/no longer there/),
  },
  'app/plan/actions.ts#deployWithConsole': {
    role: 'deployer',
    baseline: () => ({ ...basePlan(), name: 'fuzz console deploy' }),
    fields: planFields(),
    examples: () => planExamples(planFields()).map(({ field: f, value }) => example(() => ({ ...basePlan(), name: 'fuzz console deploy' }) as Payload, f, value)),
    accepted: redirectedTo(/^\/deployments\/dep-[0-9a-f]{12}$/),
  },
  'app/runs/[id]/actions.ts#approve': { role: 'deployer', baseline: () => ({ runId: 'run-000000000000' }), fields: [field(['runId'], badRunId)], refusals: /does not exist/, accepted: refusedWith(/does not exist/) },
  'app/runs/[id]/actions.ts#cancel': { role: 'deployer', baseline: () => ({ runId: 'run-000000000000' }), fields: [field(['runId'], badRunId)], refusals: /does not exist/, accepted: refusedWith(/does not exist/) },
  'app/signin/actions.ts#signInAction': {
    role: 'public',
    baseline: () => ({ username: 'fuzz-deployer', password: PASSWORD }),
    fields: [
      field(['username'], fc.oneof(fc.constantFrom('', '   ', 'u'.repeat(255)), notText)),
      field(['password'], fc.oneof(fc.constantFrom('', 'p'.repeat(1025)), notText)),
      field(['next'], fc.oneof(notText, fc.constant('n'.repeat(4097))), false),
    ],
    accepted: redirectedTo(/^\//),
  },
};

/** FormData as a browser would post it, with hostile names, values and files instead of the fields. */
const hostileForm: fc.Arbitrary<FormData> = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom<string>(...PROTO_KEYS, '', '$ACTION_ID_x'), fc.constantFrom<string>(...AWKWARD_UNICODE), hostileText), fc.oneof(hostileText, fc.constant(null))), { minLength: 1, maxLength: 4 })
  .map((entries) => {
    const form = new FormData();
    for (const [name, value] of entries) form.append(name, value === null ? new Blob(['file']) : value);
    return form;
  });

type Call = { payload: unknown; corrupted: string[]; form?: 'direct' | 'state' };

function malformedCalls(spec: ActionFuzz): fc.Arbitrary<Call> {
  return fc.oneof(
    { weight: 6, arbitrary: corruptedPayloads(spec.baseline, spec.fields) },
    { weight: 1, arbitrary: notAnObject.map((payload) => ({ payload, corrupted: [] })) },
    { weight: 1, arbitrary: fc.tuple(hostileForm, fc.constantFrom('direct' as const, 'state' as const)).map(([payload, form]) => ({ payload, corrupted: [], form })) },
  );
}

async function invoke(key: string, call: Pick<Call, 'payload' | 'form'>): Promise<Outcome> {
  const action = actions.get(key)!;
  try {
    return { result: await (call.form === 'state' ? action(null, call.payload) : action(call.payload)) };
  } catch (error) {
    if (isRedirectError(error)) return { redirect: getURLFromRedirectError(error) };
    throw error;
  }
}

function signIn(role: Role | 'public') {
  callAs(role === 'public' ? undefined : world.session(role));
}

/** Refused with field errors naming a corrupted field (or the handler's own refusal); nothing changed. */
async function expectRefused(key: string, spec: ActionFuzz, call: Call): Promise<void> {
  signIn(spec.role);
  const before = [await storeFingerprint(), sandboxCalls(world.sandbox), prototypeFingerprint()];
  const outcome = await invoke(key, call);
  if (!('result' in outcome)) throw new Error(`accepted and redirected to ${outcome.redirect}`);
  const { result } = outcome;
  const text = JSON.stringify(result);
  expect(result.ok, text.slice(0, 300)).toBe(false);
  if (result.ok) return;
  expect(text).not.toMatch(TRACE_PATTERN);
  if (result.fieldErrors) {
    const keys = Object.keys(result.fieldErrors);
    expect(keys.length).toBeGreaterThan(0);
    expect(Object.values(result.fieldErrors).every((m) => typeof m === 'string' && m.length > 0)).toBe(true);
    if (call.corrupted.length > 0) expect(keys.some((k) => namesCorruptedField(k, call.corrupted)), `${text.slice(0, 300)} for ${call.corrupted.join(', ')}`).toBe(true);
  } else {
    expect([SERVER_FAILED, SIGN_IN_REQUIRED, FORBIDDEN, PASSWORD_CHANGE_REQUIRED]).not.toContain(result.formError);
    expect(spec.refusals?.test(result.formError ?? '') ?? false, `form error "${result.formError}" for ${call.corrupted.join(', ')}`).toBe(true);
  }
  expect([await storeFingerprint(), sandboxCalls(world.sandbox), prototypeFingerprint()]).toEqual(before);
}

beforeAll(async () => {
  world = await createWorld();
  throwaway = await createUser({ username: 'fuzz-throwaway', role: 'viewer', password: PASSWORD });
  for (const file of actionFiles()) {
    const exports = (await import(`${ROOT}/${file}`)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) if (typeof value === 'function') actions.set(`${file}#${name}`, value as Action);
  }
}, 120_000);
afterAll(async () => world?.close());

describe('server actions under hostile input', () => {
  it('every server action on disk has a fuzz specification, and every specification an action', async () => {
    expect([...actions.keys()].sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  for (const [key, spec] of Object.entries(ACTIONS)) {
    it(`${key}: ${RUNS} malformed calls are refused field by field, and change nothing`, async () => {
      const errors = vi.spyOn(console, 'error').mockClear();
      try {
        tried.set(key, await fuzz(malformedCalls(spec), (call) => expectRefused(key, spec, call), RUNS, spec.examples?.() ?? []));
        expect(errors).not.toHaveBeenCalled();
      } finally {
        errors.mockRestore();
      }
    });
  }

  it('the valid baselines get past every check, so the refusals above came from the corruption', async () => {
    for (const [key, spec] of Object.entries(ACTIONS)) {
      signIn(spec.role);
      const outcome = await invoke(key, { payload: spec.baseline() });
      expect(spec.accepted(outcome), `${key}: ${JSON.stringify(outcome).slice(0, 300)}`).toBe(true);
      // The run the start action prepared is left alone no longer than its preview takes.
      if ('redirect' in outcome && outcome.redirect.startsWith('/runs/')) {
        const runId = outcome.redirect.split('/').pop()!;
        for (let i = 0; i < 500 && (await getRun(runId))?.status === 'preparing'; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
        if ((await getRun(runId))?.status === 'awaiting-approval') await cancelRun(runId, 'fuzz-deployer');
      }
    }
  });

  it(`tried at least ${RUNS} malformed calls on every action`, async () => {
    expect(Object.fromEntries(tried)).toEqual(Object.fromEntries(Object.entries(ACTIONS).map(([k, spec]) => [k, RUNS + (spec.examples?.().length ?? 0)])));
    if (process.env.FUZZ_COUNTS) console.info(JSON.stringify(Object.fromEntries(tried)));
  });
});
