// The per-client budgets of the anonymous sign-in routes, called in-process like a browser would:
// past the burst a client gets 429 with Retry-After, and the refused request stores nothing and
// never reaches the provider or the audit log.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUDGETS } from '@/lib/auth/budgets';
import { GET as callback } from '@/app/auth/oidc/callback/route';
import { GET as start } from '@/app/auth/oidc/start/route';
import { attemptCookie, callAs } from './testing/caller';
import { startFakeIssuer, type FakeIssuer } from './testing/oidc-issuer';
import { createWorld, rowCounts, type World } from './testing/world';
import { resetThrottlesForTests } from './throttle';

vi.mock('next/headers', async () => (await import('./testing/caller')).fakeHeaders);

const CONSOLE_URL = 'http://console.test';
let world: World;
let issuer: FakeIssuer;

beforeAll(async () => {
  world = await createWorld();
  issuer = await startFakeIssuer(CONSOLE_URL);
}, 120_000);
afterAll(async () => {
  await issuer?.close();
  await world?.close();
});
beforeEach(() => {
  resetThrottlesForTests();
  // The clock stands still, so however slowly the requests run here, no budget refills meanwhile.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
});
afterEach(() => vi.useRealTimers());

const get = (handler: (request: Request) => Promise<Response>, path: string) => handler(new Request(`${CONSOLE_URL}${path}`));

describe('sign-in budgets per client', () => {
  it(`GET /auth/oidc/start: ${BUDGETS['oidc-start'].burst} at once, then 429 with Retry-After, storing nothing`, async () => {
    callAs(undefined);
    for (let i = 0; i < BUDGETS['oidc-start'].burst; i += 1) expect((await get(start, '/auth/oidc/start')).status).toBe(303);
    const before = await rowCounts();
    callAs(undefined);
    const refused = await get(start, '/auth/oidc/start');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.text()).toContain('Too many sign-ins were started from your address');
    expect(attemptCookie()).toBeUndefined();
    expect(await rowCounts()).toEqual(before);
  });

  it(`GET /auth/oidc/callback: ${BUDGETS['oidc-callback'].burst} at once, then 429 without an audit entry, keeping the attempt cookie`, async () => {
    callAs(undefined);
    for (let i = 0; i < BUDGETS['oidc-callback'].burst; i += 1) expect((await get(callback, '/auth/oidc/callback?code=c&state=s')).status).toBe(303);
    callAs(undefined);
    await get(start, '/auth/oidc/start');
    const cookie = attemptCookie();
    const before = await rowCounts();
    const refused = await get(callback, '/auth/oidc/callback?code=c&state=s');
    expect(refused.status).toBe(429);
    expect(await rowCounts()).toEqual(before);
    expect(attemptCookie()).toBe(cookie);
  });
});
