import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { atMost, pause } from './pause';

describe('pause', () => {
  it('waits the time it is given', async () => {
    const start = performance.now();
    await pause(40, new AbortController().signal);
    expect(performance.now() - start).toBeGreaterThanOrEqual(35);
  });

  it('ends as soon as its signal aborts, without throwing', async () => {
    const stop = new AbortController();
    const start = performance.now();
    setTimeout(() => stop.abort(new Error('stopped')), 10);
    await expect(pause(60_000, stop.signal)).resolves.toBeUndefined();
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('returns at once when the signal has already aborted, and treats a negative time as none', async () => {
    const stopped = AbortSignal.abort();
    await expect(pause(60_000, stopped)).resolves.toBeUndefined();
    await expect(pause(-50, new AbortController().signal)).resolves.toBeUndefined();
  });

  it('leaves no listener on a signal that lives on (a run polls with one for half an hour)', async () => {
    const run = new AbortController();
    for (let i = 0; i < 20; i += 1) await pause(1, run.signal);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });
});

describe('atMost', () => {
  it('ends with the promise when it settles first, and at the time given when it does not', async () => {
    const start = performance.now();
    await atMost(pause(10), 60_000);
    expect(performance.now() - start).toBeLessThan(30_000);
    const never = new Promise<void>(() => {});
    const again = performance.now();
    await atMost(never, 40);
    expect(performance.now() - again).toBeGreaterThanOrEqual(35);
  });
});
