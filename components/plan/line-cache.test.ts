import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LoadedLine } from '@/lib/plan';
import { LINE_2025_META } from '@/lib/plan/testing/line-2025';
import { toLineMeta } from '@/templates/line';
import { FIXTURE_LINE } from '@/templates/testing/line-fixture';
import { lineCache, toLineChoice } from './line-cache';
import { fetchLine } from './line-fetch';

const fixture: LoadedLine = { meta: toLineMeta(FIXTURE_LINE), info: {}, checkedDefault: null };
const line2025: LoadedLine = { meta: LINE_2025_META, info: {}, checkedDefault: null };

afterEach(() => vi.unstubAllGlobals());

describe('the release lines the plan form knows', () => {
  it('starts with the line the page came with, and fetches another once, however often it is asked for', async () => {
    const fetcher = vi.fn(async () => line2025);
    const cache = lineCache(fixture, fetcher);
    expect(cache.metas().map((m) => m.id)).toEqual([fixture.meta.id]);
    expect(cache.get('2025')).toBeUndefined();
    const [a, b] = await Promise.all([cache.load('2025'), cache.load('2025')]);
    expect(a).toBe(line2025);
    expect(b).toBe(line2025);
    await cache.load('2025');
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(cache.get('2025')).toBe(line2025);
    expect(cache.metas().map((m) => m.id)).toEqual([fixture.meta.id, '2025']);
    expect(await cache.load(fixture.meta.id)).toBe(fixture);
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('tries a failed fetch again on the next ask', async () => {
    const fetcher = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValueOnce(line2025);
    const cache = lineCache(fixture, fetcher);
    await expect(cache.load('2025')).rejects.toThrow('offline');
    expect(cache.get('2025')).toBeUndefined();
    expect(await cache.load('2025')).toBe(line2025);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('refuses an answer for another line than the one asked for', async () => {
    const cache = lineCache(line2025, async () => line2025);
    await expect(cache.load('current')).rejects.toThrow('The console answered with the 2025 line instead of current.');
    expect(cache.get('current')).toBeUndefined();
  });

  it('offers a line by its id, title, sentence and release only', () => {
    expect(toLineChoice(LINE_2025_META)).toEqual({ id: '2025', title: LINE_2025_META.title, summary: LINE_2025_META.summary, release: LINE_2025_META.release });
  });
});

describe('fetching a line', () => {
  it('asks the console for it by id', async () => {
    const fetch = vi.fn(async () => Response.json(line2025));
    vi.stubGlobal('fetch', fetch);
    expect(await fetchLine('2025')).toEqual(JSON.parse(JSON.stringify(line2025)));
    expect(fetch).toHaveBeenCalledWith('/api/plan/lines/2025', { headers: { Accept: 'application/json' } });
  });

  it("says the console's own words when it refuses, and its status when it gives none", async () => {
    vi.stubGlobal('fetch', async () => Response.json({ error: 'Sign in first.' }, { status: 401 }));
    await expect(fetchLine('2025')).rejects.toThrow('Sign in first.');
    vi.stubGlobal('fetch', async () => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(fetchLine('2025')).rejects.toThrow('The console answered 502.');
  });

  it('says the console could not be reached when the request fails', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(fetchLine('current')).rejects.toThrow('The console could not be reached: check the connection.');
  });
});
