import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { resetEnvForTests } from '@/lib/env';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { ActionError } from './action-error';
import { FORBIDDEN, INVALID_REQUEST, SERVER_FAILED, SIGN_IN_REQUIRED } from './messages';
import { defineRoute } from './route';
import { createSession } from './sessions';
import { actAs } from './testing';
import { createUser } from './users';

vi.mock('next/headers', async () => (await import('./testing')).fakeNextHeaders);

const store = setupTempStore();
afterEach(async () => {
  actAs(undefined);
  vi.restoreAllMocks();
});

const handler = defineRoute(
  {
    role: 'deployer',
    params: z.object({ id: z.string().regex(/^\d+$/, 'Must be a number.') }),
    query: z.object({ verbose: z.enum(['0', '1']).default('0') }),
    body: z.strictObject({ stackName: z.string().max(128, 'Too long.') }),
    maxBodyBytes: 200,
  },
  async ({ params, query, body }, { user }) => Response.json({ id: params.id, verbose: query.verbose, stackName: body.stackName, by: user.username }),
);

function call(init: { id?: string; query?: string; body?: string; contentType?: string } = {}) {
  const request = new Request(`http://console.test/api/x/${init.id ?? '7'}${init.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json' },
    body: init.body ?? JSON.stringify({ stackName: 'lakerunner-vpc' }),
  });
  return handler(request, { params: Promise.resolve({ id: init.id ?? '7' }) });
}

async function signIn(role: 'viewer' | 'deployer') {
  const user = await createUser({ username: role, role, password: 'a long password' });
  actAs((await createSession(user.id, undefined)).token);
}

describe('defineRoute', () => {
  it('401 for anonymous and 403 for under-privileged callers', async () => {
    const anonymous = await call();
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: SIGN_IN_REQUIRED });
    await signIn('viewer');
    const viewer = await call();
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toEqual({ error: FORBIDDEN });
  });

  it('refuses a user who must replace a one-time password, unless the route allows it', async () => {
    const user = await createUser({ username: 'fresh', role: 'admin', password: 'a long password', mustChangePassword: true });
    actAs((await createSession(user.id, undefined)).token);
    expect((await call()).status).toBe(403);
    const signOut = defineRoute({ role: 'viewer', duringPasswordChange: true }, async (_input, { sessionToken }) =>
      Response.json({ hasToken: typeof sessionToken === 'string' }),
    );
    const response = await signOut(new Request('http://console.test/account/signout', { method: 'POST' }), { params: Promise.resolve({}) });
    expect(await response.json()).toEqual({ hasToken: true });
  });

  it('parses params, query and body and hands them over', async () => {
    await signIn('deployer');
    const response = await call({ query: '?verbose=1' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: '7', verbose: '1', stackName: 'lakerunner-vpc', by: 'deployer' });
  });

  it('400 with every field error at once', async () => {
    await signIn('deployer');
    const response = await call({ id: 'x', query: '?verbose=2', body: JSON.stringify({ stackName: 'y'.repeat(129), extra: 1 }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: INVALID_REQUEST,
      fieldErrors: { id: 'Must be a number.', verbose: expect.any(String), stackName: 'Too long.', extra: 'Unknown field "extra".' },
    });
  });

  it.each([
    ['not JSON', { body: '{"stackName":' }, 400],
    ['the wrong content type', { contentType: 'text/plain' }, 415],
    ['too large', { body: JSON.stringify({ stackName: 'z'.repeat(300) }) }, 413],
    ['a JSON array', { body: '[1,2]' }, 400],
    ['prototype keys', { body: '{"__proto__":{"admin":true},"stackName":"a"}' }, 400],
  ])('a body that is %s gets a 4xx, not a 500', async (_name, init, status) => {
    await signIn('deployer');
    const response = await call(init);
    expect(response.status).toBe(status);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('counts a body as it streams in: without a Content-Length, reading stops at the limit with a 413', async () => {
    await signIn('deployer');
    // a client that would send forever, in 64-byte chunks, declaring no length
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64;
        controller.enqueue(new TextEncoder().encode(`{"stackName":"${'z'.repeat(49)}`));
      },
    });
    const request = new Request('http://console.test/api/x/7', { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' } as RequestInit);
    expect(request.headers.get('content-length')).toBeNull();
    const response = await handler(request, { params: Promise.resolve({ id: '7' }) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'The body is larger than 200 bytes.' });
    // it stopped reading just past the limit (the stream may have queued a chunk or two ahead)
    expect(sent).toBeLessThanOrEqual(200 + 3 * 64);
  });

  it('a body whose Content-Length understates it is still cut at the limit', async () => {
    await signIn('deployer');
    const body = JSON.stringify({ stackName: 'z'.repeat(300) });
    const request = new Request('http://console.test/api/x/7', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '20' }, body });
    expect((await handler(request, { params: Promise.resolve({ id: '7' }) })).status).toBe(413);
  });

  it('ActionError keeps its status; other failures become a plain 500 without details', async () => {
    await signIn('deployer');
    const conflict = defineRoute({ role: 'viewer' }, async () => {
      throw new ActionError('Another run of this plan is in progress.', undefined, 409);
    });
    const broken = defineRoute({ role: 'viewer' }, async () => {
      throw new Error('secret-ish internal detail');
    });
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const ctx = { params: Promise.resolve({}) };
    const a = await conflict(new Request('http://console.test/'), ctx);
    expect(a.status).toBe(409);
    expect(await a.json()).toEqual({ error: 'Another run of this plan is in progress.' });
    const b = await broken(new Request('http://console.test/'), ctx);
    expect(b.status).toBe(500);
    expect(await b.text()).toBe(JSON.stringify({ error: SERVER_FAILED }));
    expect(log).toHaveBeenCalled();
  });

  it('503 with the operator message when the store is unavailable', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await signIn('deployer');
    writeFileSync(join(store.dir(), 'blocker'), '');
    process.env.CONSOLE_DATA_DIR = join(store.dir(), 'blocker', 'sub');
    resetEnvForTests();
    const response = await call();
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatch(/cannot be used/);
  });
});
