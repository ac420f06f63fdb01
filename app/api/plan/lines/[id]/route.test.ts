import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSession } from '@/lib/auth/sessions';
import { actAs } from '@/lib/auth/testing';
import { createUser } from '@/lib/auth/users';
import type { LoadedLine } from '@/lib/plan';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { GET } from './route';

vi.mock('next/headers', async () => (await import('@/lib/auth/testing')).fakeNextHeaders);

setupTempStore();
afterEach(() => actAs(undefined));

const get = (id: string, headers: Record<string, string> = {}) =>
  GET(new Request(`http://console.test/api/plan/lines/${encodeURIComponent(id)}`, { headers }), { params: Promise.resolve({ id }) });

async function signIn(username: string) {
  const user = await createUser({ username, role: 'viewer', password: 'a long password' });
  actAs((await createSession(user.id, undefined)).token);
}

describe('GET /api/plan/lines/<id>', () => {
  it('needs a signed-in user', async () => {
    expect((await get('2025')).status).toBe(401);
  });

  it("answers a line's plain data and its stacks' facts, which a browser may keep privately and check again by its ETag", async () => {
    await signIn('reader');
    const response = await get('2025');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{43}"$/);
    const again = await get('2025', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await get('current', { 'If-None-Match': etag })).status).toBe(200);
    const line = (await response.json()) as LoadedLine;
    expect(line.meta.id).toBe('2025');
    expect(line.meta.stacks.map((s) => s.id)).toEqual(['vpc', 'common', 'migration', 'services', 'grafana', 'otel', 'demo']);
    expect(Object.keys(line.info)).toEqual(line.meta.stacks.map((s) => s.id));
    expect(line.info.services!.capabilities.length).toBeGreaterThan(0);
    expect(line.info.services!.yamlBytes).toBeGreaterThan(1000);
  });

  it('answers the current line too', async () => {
    await signIn('reader2');
    const line = (await (await get('current')).json()) as LoadedLine;
    expect(line.meta.id).toBe('current');
    expect(line.meta.stacks.map((s) => s.id)).toContain('satellite-services');
  });

  it('answers an unknown line with a 404 that names the known ones', async () => {
    await signIn('reader3');
    const response = await get('2019');
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'No release line "2019". Known: 2025, current.' });
  });

  it('sends no builder, no function and no secret value: only plain data', async () => {
    await signIn('reader4');
    const text = await (await get('current')).text();
    const line = JSON.parse(text) as LoadedLine;
    // What JSON could not carry (builders) would silently vanish: the metas have the same keys the registry's have.
    const { lineMeta } = await import('@/templates');
    expect(line.meta).toEqual(JSON.parse(JSON.stringify(lineMeta('current'))));
    const secrets = line.meta.stacks.flatMap((s) => s.parameters.filter((p) => p.noEcho));
    expect(secrets.length).toBeGreaterThan(0);
    for (const spec of secrets) expect(spec.default ?? '').toBe('');
  });
});
