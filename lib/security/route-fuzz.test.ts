// Hostile input against every route handler under app/, called in-process as a signed-in user of
// the role the route needs: each malformed request must get a 4xx naming the broken field (no 5xx,
// no stack trace, nothing logged), and leave the store, the sandbox and the prototypes unchanged.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isOidcFailure } from '@/lib/auth/oidc/failures';
import { resolveSession } from '@/lib/auth/sessions';
import { safeNextPath } from '@/lib/auth/next-path';
import type { Role } from '@/lib/auth/roles';
import { takeAttempt } from '@/lib/auth/oidc/attempts';
import { resetThrottlesForTests } from '@/lib/security/throttle';
import { attemptCookie, callAs, sessionCookie } from './testing/caller';
import { routeFiles, ROOT, HTTP_METHODS } from './testing/enumerate';
import { startFakeIssuer, type FakeIssuer } from './testing/oidc-issuer';
import { corruptedPayloads, example, fuzz, namesCorruptedField, TRACE_PATTERN, type FieldFuzz, type Malformed } from './testing/fuzz';
import { hostileIdentifier, hostileText, notAnObject, notText } from './testing/hostile';
import { planExamples, planFields } from './testing/plan-fuzz';
import { basePlan, createWorld, FINISHED_RUN, prototypeFingerprint, rowCounts, sandboxCalls, storeFingerprint, type World } from './testing/world';

vi.mock('next/headers', async () => (await import('./testing/caller')).fakeHeaders);

/** Random malformed requests per route and method, on top of the hand-picked examples. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

interface RouteInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body?: unknown;
  /** A body sent as is, with this content type, instead of JSON. */
  raw?: { contentType: string; text: string };
}

interface RouteFuzz {
  role: Role | 'public';
  baseline: () => RouteInput;
  fields: FieldFuzz[];
  /** Corrupted fields answered with 404 (an unknown stack, run or file) instead of field errors. */
  notFound?: string[];
  /** Whether the route reads a JSON body, so raw garbage bodies are tried too. */
  jsonBody?: boolean;
  /** What the valid baseline gets: proof that the refusals come from the corruption. */
  acceptedStatus: number;
  /** Hand-picked malformed requests tried on every run before the random ones. */
  examples?: () => Malformed<RouteInput>[];
  /** The route ends the caller's session, so each call gets a session of its own. */
  endsSession?: boolean;
  /** A browser route: it answers every request with a redirect (the sign-in page says what was wrong). */
  redirects?: boolean;
  /** Reads no input at all (the health check): junk is ignored, and the answer is the same. */
  ignoresInput?: boolean;
}

const notYamlOrJson = fc.oneof(hostileText, notText, fc.constantFrom('YAML', 'xml', 'json ', '')).filter((v) => v !== 'yaml' && v !== 'json');
const repeated = (value: string) => fc.constant([value, value]);
const nonNumeric = hostileText.filter((v) => !(Number.isInteger(Number(v)) && Number(v) >= 0));
const badLastEventId = fc
  .oneof(fc.constantFrom('-1', '1.5', 'abc', '12 34', '9'.repeat(16), '0x10', '1e3'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }))
  .filter((v) => v.trim() !== '' && !/^\d{1,15}$/.test(v.trim()));
const ARN = 'arn:aws:iam::123456789012:role/lakerunner-console';

const field = (path: string[], invalid: fc.Arbitrary<unknown>, reportedAs = path[path.length - 1]!, required = false): FieldFuzz => ({ path, invalid, reportedAs, required });

/** The plan routes: the plan is the JSON body; stack and format, where the route has them, the query. */
function planRoute(options: { stack?: boolean; format?: boolean; templateBaseUrl?: boolean } = {}): RouteFuzz {
  const baseline = (): RouteInput => {
    const plan = basePlan();
    if (options.templateBaseUrl) plan.templateBaseUrl = 'https://fuzz-bucket.s3.us-east-1.amazonaws.com/lakerunner/';
    const query = { ...(options.format ? { format: 'yaml' } : {}), ...(options.stack ? { stack: 'common' } : {}) };
    return { params: {}, query, headers: {}, body: plan };
  };
  const bodyFields = planFields(['body']);
  return {
    role: 'viewer',
    jsonBody: true,
    acceptedStatus: 200,
    baseline,
    examples: () => planExamples(bodyFields).map(({ field, value }) => example(baseline as () => RouteInput & Record<string, unknown>, field, value)),
    fields: [
      ...bodyFields,
      field(['body'], notAnObject, '', true),
      ...(options.format ? [field(['query', 'format'], fc.oneof(notYamlOrJson.filter((v) => typeof v === 'string'), repeated('yaml')))] : []),
      ...(options.stack ? [field(['query', 'stack'], fc.oneof(hostileText, repeated('common'), fc.constantFrom('demo', 'constructor', '__proto__', 'lakerunner-common')), 'stack', true)] : []),
    ],
    notFound: options.stack ? ['stack'] : [],
  };
}

const ROUTES: Record<string, RouteFuzz> = {
  'POST /account/signout': { role: 'viewer', acceptedStatus: 303, baseline: () => ({ params: {}, query: {}, headers: {} }), fields: [], jsonBody: true, endsSession: true },
  'GET /healthz': { role: 'public', acceptedStatus: 200, baseline: () => ({ params: {}, query: {}, headers: {} }), fields: [], ignoresInput: true },
  'HEAD /healthz': { role: 'public', acceptedStatus: 200, baseline: () => ({ params: {}, query: {}, headers: {} }), fields: [], ignoresInput: true },
  'GET /auth/oidc/start': { role: 'public', acceptedStatus: 303, baseline: () => ({ params: {}, query: { next: '/plan' }, headers: {} }), fields: [], redirects: true },
  'GET /auth/oidc/callback': { role: 'public', acceptedStatus: 303, baseline: () => ({ params: {}, query: { code: 'c', state: 's' }, headers: {} }), fields: [], redirects: true },
  'GET /api/aws/deploy-role': {
    role: 'viewer',
    acceptedStatus: 200,
    baseline: () => ({ params: {}, query: { format: 'json', TrustedPrincipalArn: ARN }, headers: {} }),
    fields: [
      field(['query', 'format'], notYamlOrJson.filter((v) => typeof v === 'string')),
      field(['query', 'TrustedPrincipalArn'], fc.oneof(hostileIdentifier, repeated(ARN), fc.constant('arn:aws:iam::1234:role/x'))),
      field(['query', 'ExternalId'], fc.oneof(hostileText, fc.constant('lakerunner-sandbox'))),
    ],
  },
  'GET /api/aws/stack-outputs': {
    role: 'viewer',
    acceptedStatus: 200,
    baseline: () => ({ params: {}, query: { region: 'us-east-1', stacks: 'fuzz-vpc,fuzz-common' }, headers: {} }),
    fields: [
      field(['query', 'region'], fc.oneof(hostileText, repeated('us-east-1'), fc.constantFrom('US-EAST-1', 'mars-north-1', '')), 'region', true),
      // Names CloudFormation would accept are not malformed (an unknown stack is simply left out).
      field(['query', 'stacks'], fc.oneof(hostileIdentifier.filter((text) => !text.split(',').every((name) => /^[A-Za-z][A-Za-z0-9-]*$/.test(name.trim()) || !name.trim())), repeated('fuzz-vpc'), fc.constantFrom('', ',', '1bad', Array.from({ length: 21 }, (_, i) => `s${i}`).join(','))), 'stacks', true),
    ],
  },
  'POST /api/aws/stack-outputs': {
    role: 'deployer',
    jsonBody: true,
    acceptedStatus: 200,
    baseline: () => ({
      params: {},
      query: {},
      headers: {},
      body: { stacks: ['fuzz-satellite'], account: { accountId: '222222222222', region: 'us-east-1', roleArn: 'arn:aws:iam::222222222222:role/FuzzDeploy', externalId: 'fuzz-external-id' } },
    }),
    fields: [
      field(['body'], notAnObject, '', true),
      field(['body', 'stacks'], fc.oneof(notAnObject, fc.constantFrom([], [''], ['1bad'], 'fuzz-vpc', Array.from({ length: 21 }, (_, i) => `s${i}`))), 'stacks', true),
      field(['body', 'account', 'accountId'], fc.oneof(hostileIdentifier.filter((v) => !/^\d{12}$/.test(v)), fc.constantFrom('2222', '', 'abcdefghijkl')), 'account.accountId', true),
      field(['body', 'account', 'region'], fc.oneof(hostileText, fc.constantFrom('US-EAST-1', 'mars-north-1', '')), 'account.region', true),
      field(['body', 'account', 'roleArn'], fc.oneof(hostileText.filter((v) => !v.startsWith('arn:')), fc.constantFrom('arn:aws:iam::111111111111:role/Elsewhere', 'arn:aws:iam::1234:role/x')), 'account.roleArn', true),
      field(['body', 'account', 'externalId'], fc.oneof(notText, fc.constantFrom('x', 'has space', 'a'.repeat(1300))), 'account.externalId'),
    ],
  },
  'GET /api/aws/network': {
    role: 'viewer',
    acceptedStatus: 200,
    baseline: () => ({ params: {}, query: { region: 'us-east-1' }, headers: {} }),
    fields: [field(['query', 'region'], fc.oneof(hostileText, repeated('us-east-1'), fc.constantFrom('US-EAST-1', 'mars-north-1', '')), 'region', true)],
  },
  'GET /api/plan/lines/[id]': {
    role: 'viewer',
    acceptedStatus: 200,
    baseline: () => ({ params: { id: 'current' }, query: {}, headers: {} }),
    fields: [field(['params', 'id'], fc.oneof(hostileIdentifier, fc.constantFrom('Current', '2024', '', 'constructor', '__proto__', 'toString', '../current', 'current/')))],
    notFound: ['id'],
  },
  'POST /api/plan/bundle': planRoute({ format: true }),
  'POST /api/plan/estimate': planRoute(),
  'POST /api/plan/preview': planRoute({ stack: true, format: true }),
  'POST /api/plan/quick-create-files': planRoute({ templateBaseUrl: true }),
  'POST /api/plan/template': planRoute({ stack: true, format: true }),
  'POST /api/plan/validate': planRoute(),
  'GET /api/runs/[id]/events': {
    role: 'viewer',
    acceptedStatus: 200,
    baseline: () => ({ params: { id: FINISHED_RUN }, query: {}, headers: {} }),
    fields: [
      field(['params', 'id'], fc.oneof(hostileIdentifier, fc.constantFrom('run-ffffffffffff', '', 'a'.repeat(129), '../run-0123456789ab'))),
      field(['query', 'after'], fc.oneof(nonNumeric, fc.constantFrom('-1', '1.5', 'NaN', 'Infinity', '1e400'), repeated('1'))),
      field(['headers', 'last-event-id'], badLastEventId, 'Last-Event-ID'),
    ],
    notFound: ['id'],
  },
  'GET /api/templates/[stack]': {
    role: 'viewer',
    acceptedStatus: 200,
    baseline: () => ({ params: { stack: 'vpc' }, query: { format: 'json', EnvironmentName: 'fuzz', VpcCidr: '10.1.0.0/16', CreateNatGateway: 'No' }, headers: {} }),
    fields: [
      field(['params', 'stack'], fc.oneof(hostileIdentifier, fc.constantFrom('lakerunner-vpc.yaml', 'VPC', '../vpc', 'constructor', '__proto__', 'toString'))),
      field(['query', 'format'], notYamlOrJson.filter((v) => typeof v === 'string')),
      field(['query', 'EnvironmentName'], fc.oneof(hostileIdentifier, repeated('fuzz'), fc.constantFrom('1digit', 'a'.repeat(65)))),
      field(['query', 'VpcCidr'], fc.oneof(hostileIdentifier, fc.constantFrom('10.0.0.1/16', '10.0.0.0/8', '999.0.0.0/16'))),
      field(['query', 'CreateNatGateway'], fc.oneof(hostileText, fc.constantFrom('yes', 'true', 'No '))),
      field(['query', 'ApiKeysOverride'], hostileText),
      field(['query', 'constructor'], fc.constantFrom('x', '{}')),
    ],
    notFound: ['stack'],
  },
  'GET /templates/[file]': {
    role: 'public',
    acceptedStatus: 200,
    baseline: () => ({ params: { file: 'lakerunner-vpc.yaml' }, query: {}, headers: {} }),
    fields: [
      field(
        ['params', 'file'],
        fc.oneof(
          hostileIdentifier,
          fc.constantFrom('lakerunner-vpc.yaml.exe', '../lakerunner-vpc.yaml', 'LAKERUNNER-VPC.YAML', 'lakerunner-vpc', 'constructor.yaml', '__proto__.json', 'toString.yaml', 'lakerunner-vpc.yaml\u0000.txt'),
        ),
        'file',
        true,
      ),
    ],
    notFound: ['file'],
  },
};

/** Bodies that are not a JSON object at all, or not JSON, or too big, or of another type. */
const rawBodies: fc.Arbitrary<{ contentType: string; text: string }> = fc.oneof(
  fc.record({ contentType: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''), text: fc.constant('{}') }),
  fc.record({ contentType: fc.constant('application/json'), text: fc.oneof(hostileText, fc.constantFrom('[1,2]', '"plan"', 'null', '1', '{"plan":', '\u0000', '{"a":1}{"b":2}')) }),
  fc.record({ contentType: fc.constant('application/json'), text: fc.constantFrom('x'.repeat(300_000), `{"plan":"${'y'.repeat(1_100_000)}"}`) }),
  fc.record({ contentType: fc.constant('application/json'), text: fc.integer({ min: 1_000, max: 60_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`) }),
);

function malformedRequests(spec: RouteFuzz): fc.Arbitrary<Malformed<RouteInput>> {
  const families: fc.Arbitrary<Malformed<RouteInput>>[] = [];
  // Header names and path segments are tokens Next has already parsed; hostile keys go in the query and the body.
  const extrasAllowed = (path: readonly string[]) => path[0] === 'query' || path[0] === 'body';
  // A JSON body is checked strictly: extra keys at its top are refused as the form's own error,
  // deeper ones at the object that holds them (a query ignores keys it does not know).
  const extrasReportedAs = (path: readonly string[]) => (path[0] !== 'body' ? undefined : path.length === 1 ? '_form' : path.slice(1).join('.'));
  if (spec.fields.length > 0) families.push(corruptedPayloads(spec.baseline as () => RouteInput & Record<string, unknown>, spec.fields, extrasAllowed, extrasReportedAs));
  if (spec.jsonBody) {
    families.push(rawBodies.map((raw) => ({ payload: { ...spec.baseline(), raw }, corrupted: [] })));
    families.push(notAnObject.map((body) => ({ payload: { ...spec.baseline(), body }, corrupted: [] })));
  }
  return fc.oneof(...families);
}

function toRequest(method: string, route: string, input: RouteInput): Request {
  const url = new URL(`http://console.test${route}`);
  for (const key of Object.keys(input.query)) {
    const value = input.query[key];
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
  const headers = new Headers();
  for (const key of Object.keys(input.headers)) headers.set(key, String(input.headers[key]));
  let body: string | undefined;
  if (input.raw) {
    if (input.raw.contentType) headers.set('content-type', input.raw.contentType);
    body = input.raw.text;
  } else if (method !== 'GET' && method !== 'HEAD') {
    headers.set('content-type', 'application/json');
    body = input.body === undefined ? '' : JSON.stringify(input.body);
  }
  return new Request(url, { method, headers, body });
}

type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

const CONSOLE_URL = 'http://console.test';

let world: World;
let issuer: FakeIssuer;
const handlers = new Map<string, Handler>();
const tried = new Map<string, number>();

beforeAll(async () => {
  world = await createWorld();
  issuer = await startFakeIssuer(CONSOLE_URL);
  for (const { file, route } of routeFiles()) {
    const exports = (await import(`${ROOT}/${file}`)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) if (typeof exports[method] === 'function') handlers.set(`${method} ${route}`, exports[method] as Handler);
  }
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  await world?.close();
});

async function signIn(spec: Pick<RouteFuzz, 'role' | 'endsSession'>) {
  if (spec.role === 'public') callAs(undefined);
  else callAs(spec.endsSession ? await world.freshSession(spec.role) : world.session(spec.role));
}

async function send(key: string, input: RouteInput): Promise<{ status: number; text: string; response: Response }> {
  const [method, route] = key.split(' ') as [string, string];
  // Every call here comes from one address and one user: the fuzz is about what a request holds;
  // the per-client budgets are tested on their own (lib/security/budgets.test.ts).
  resetThrottlesForTests();
  const response = await handlers.get(key)!(toRequest(method, route, input), { params: Promise.resolve(input.params) });
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, text: '', response };
  }
  return { status: response.status, text: await response.text(), response };
}

/** The request gets a 4xx that names a corrupted field, and nothing anywhere changed. */
async function expectRefused(key: string, spec: RouteFuzz, { payload, corrupted }: Malformed<RouteInput>): Promise<void> {
  await signIn(spec);
  const before = [await storeFingerprint(), sandboxCalls(world.sandbox), prototypeFingerprint()];
  const { status, text } = await send(key, payload);
  expect(status, text.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(status, text.slice(0, 300)).toBeLessThan(500);
  expect([401, 403]).not.toContain(status);
  expect(text).not.toMatch(TRACE_PATTERN);
  const body = JSON.parse(text) as { error?: unknown; fieldErrors?: Record<string, unknown> };
  expect(typeof body.error).toBe('string');
  if (corrupted.length > 0) {
    if (status === 404) expect(corrupted.some((path) => spec.notFound?.includes(path)), `404 for ${corrupted.join(', ')}`).toBe(true);
    else {
      expect(status).toBe(400);
      const keys = Object.keys(body.fieldErrors ?? {});
      expect(keys.some((k) => namesCorruptedField(k, corrupted)), `field errors ${JSON.stringify(body.fieldErrors)?.slice(0, 300)} for ${corrupted.join(', ')}`).toBe(true);
    }
  }
  expect([await storeFingerprint(), sandboxCalls(world.sandbox), prototypeFingerprint()]).toEqual(before);
}

describe('route handlers under hostile input', () => {
  it('every route handler on disk has a fuzz specification, and every specification a handler', async () => {
    expect([...handlers.keys()].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  for (const [key, spec] of Object.entries(ROUTES).filter(([k, spec]) => k !== 'POST /account/signout' && !spec.redirects && !spec.ignoresInput)) {
    it(`${key}: ${RUNS} malformed requests get a 4xx naming the field, and change nothing`, async () => {
      const errors = vi.spyOn(console, 'error').mockClear();
      try {
        tried.set(key, await fuzz(malformedRequests(spec), (malformed) => expectRefused(key, spec, malformed), RUNS, spec.examples?.() ?? []));
        expect(errors).not.toHaveBeenCalled();
      } finally {
        errors.mockRestore();
      }
    });
  }

  it(`POST /account/signout: ${RUNS} requests with junk only end the caller's own session`, async () => {
    const junk = fc.record({ query: fc.dictionary(hostileText, hostileText, { maxKeys: 3 }), raw: rawBodies });
    const count = await fuzz(
      junk,
      async ({ query, raw }) => {
        const token = await world.freshSession('viewer');
        callAs(token);
        const counts = await rowCounts();
        const calls = sandboxCalls(world.sandbox);
        const proto = prototypeFingerprint();
        const { status, text, response } = await send('POST /account/signout', { params: {}, query, headers: {}, raw });
        expect(status, text).toBe(303);
        expect(response.headers.get('location')).toBe('/signin');
        expect(await resolveSession(token)).toBeUndefined();
        expect(sessionCookie()).toBeUndefined();
        const after = await rowCounts();
        const changed = Object.keys(after).filter((table) => after[table] !== counts[table]).map((table) => `${table} ${counts[table]}→${after[table]}`);
        expect(changed).toEqual([`audit_log ${counts.audit_log}→${counts.audit_log! + 1}`, `sessions ${counts.sessions}→${counts.sessions! - 1}`]);
        expect([sandboxCalls(world.sandbox), prototypeFingerprint()]).toEqual([calls, proto]);
      },
      RUNS,
    );
    tried.set('POST /account/signout', count);
  });

  for (const key of ['GET /healthz', 'HEAD /healthz']) {
    it(`${key}: ${RUNS} requests with junk get the same 200, say nothing more, and change nothing`, async () => {
      const count = await fuzz(fc.dictionary(hostileText, hostileText, { maxKeys: 3 }), async (query) => {
        callAs(undefined);
        const before = [await storeFingerprint(), sandboxCalls(world.sandbox), prototypeFingerprint()];
        const { status, text } = await send(key, { params: {}, query, headers: {} });
        expect(status).toBe(200);
        expect(text).toBe(key.startsWith('GET') ? 'ok\n' : '');
        expect([await storeFingerprint(), sandboxCalls(world.sandbox), prototypeFingerprint()]).toEqual(before);
      }, RUNS);
      tried.set(key, count);
    });
  }

  const junkQuery = fc.dictionary(fc.oneof(hostileText, fc.constantFrom('next', 'code', 'state', 'iss', 'error', 'error_description', '__proto__')), fc.oneof(hostileText, fc.array(hostileText, { maxLength: 3 })), { maxKeys: 5 });

  /** The redirect to the sign-in page a refused sign-in gets: only a known reason, and a next path on this console. */
  function expectSignInPage(location: string | null): string | undefined {
    expect(location).toMatch(/^\/signin(\?|$)/);
    const query = new URL(location!, CONSOLE_URL).searchParams;
    const next = query.get('next');
    if (next !== null) expect(safeNextPath(next)).toBe(next);
    const reason = query.get('error') ?? undefined;
    expect(isOidcFailure(reason), `reason ${reason}`).toBe(true);
    return reason;
  }

  it(`GET /auth/oidc/start: ${RUNS} hostile queries only ever send the browser to the provider, with a next path on this console`, async () => {
    const errors = vi.spyOn(console, 'error').mockClear();
    try {
      const count = await fuzz(junkQuery, async (query) => {
        callAs(undefined);
        const counts = await rowCounts();
        const { status, response } = await send('GET /auth/oidc/start', { params: {}, query, headers: {} });
        expect(status).toBe(303);
        const location = new URL(response.headers.get('location')!);
        expect(`${location.origin}${location.pathname}`).toBe(`${issuer.issuer}/auth`);
        expect(location.searchParams.get('redirect_uri')).toBe(`${CONSOLE_URL}/auth/oidc/callback`);
        expect(location.searchParams.get('code_challenge_method')).toBe('S256');
        const attempt = await takeAttempt(attemptCookie());
        expect(attempt?.state).toBe(location.searchParams.get('state'));
        expect(safeNextPath(attempt?.next)).toBe(attempt?.next);
        const after = await rowCounts();
        expect(Object.keys(after).filter((table) => after[table] !== counts[table])).toEqual([]);
      }, RUNS);
      tried.set('GET /auth/oidc/start', count);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it(`GET /auth/oidc/callback: ${RUNS} hostile answers, with and without a sign-in started, go back to the sign-in page and open no session`, async () => {
    const errors = vi.spyOn(console, 'error').mockClear();
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const count = await fuzz(fc.record({ query: junkQuery, started: fc.boolean() }), async ({ query, started }) => {
        callAs(undefined);
        if (started) await send('GET /auth/oidc/start', { params: {}, query: {}, headers: {} });
        const counts = await rowCounts();
        const calls = sandboxCalls(world.sandbox);
        const { status, response } = await send('GET /auth/oidc/callback', { params: {}, query, headers: {} });
        expect(status).toBe(303);
        const reason = expectSignInPage(response.headers.get('location'));
        // Refused by the console's or the library's checks of the answer, never as a fault.
        expect(['server', 'not-configured', 'unreachable', 'discovery']).not.toContain(reason);
        if (!started) expect(reason).toBe('attempt');
        expect(sessionCookie()).toBeUndefined();
        expect(attemptCookie()).toBeUndefined();
        const after = await rowCounts();
        const changed = Object.keys(after).filter((table) => after[table] !== counts[table]).map((table) => `${table} ${counts[table]}→${after[table]}`);
        const used = started ? [`oidc_attempts ${counts.oidc_attempts}→${counts.oidc_attempts! - 1}`] : [];
        expect(changed).toEqual([`audit_log ${counts.audit_log}→${counts.audit_log! + 1}`, ...used]);
        expect(sandboxCalls(world.sandbox)).toBe(calls);
      }, RUNS);
      tried.set('GET /auth/oidc/callback', count);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      warnings.mockRestore();
    }
  });

  it('the valid baselines are accepted, so the refusals above came from the corruption', async () => {
    for (const [key, spec] of Object.entries(ROUTES)) {
      await signIn(spec);
      const { status, text } = await send(key, spec.baseline());
      expect(status, `${key}: ${text.slice(0, 300)}`).toBe(spec.acceptedStatus);
    }
  });

  it('prototype keys in an otherwise valid request are refused or ignored, and pollute nothing', async () => {
    const proto = prototypeFingerprint();
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      await signIn({ role: 'viewer' });
      const plan = JSON.parse(JSON.stringify(basePlan()).replace('"common":{', `"common":{"${key}":{"fuzzPolluted":true},`)) as unknown;
      const validate = await send('POST /api/plan/validate', { params: {}, query: {}, headers: {}, body: plan });
      expect(validate.status, `${key}: ${validate.text}`).toBe(key === '__proto__' ? 200 : 400);
      const query = await send('GET /api/templates/[stack]', { params: { stack: 'vpc' }, query: { [key]: 'x' }, headers: {} });
      expect(query.status, `${key}: ${query.text}`).toBe(400);
      expect(JSON.parse(query.text).fieldErrors).toEqual({ [key]: `Unknown field "${key}".` });
    }
    expect(prototypeFingerprint()).toBe(proto);
  });

  it(`tried at least ${RUNS} malformed requests on every route`, async () => {
    expect(Object.fromEntries(tried)).toEqual(Object.fromEntries(Object.entries(ROUTES).map(([k, spec]) => [k, RUNS + (spec.examples?.().length ?? 0)])));
    if (process.env.FUZZ_COUNTS) console.info(JSON.stringify(Object.fromEntries(tried)));
  });
});
