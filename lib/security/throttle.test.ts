import { describe, expect, it } from 'vitest';
import { createThrottle, resetThrottlesForTests, throttle } from './throttle';

describe('createThrottle', () => {
  it('allows a burst, then one request per refill interval, per client', () => {
    const limiter = createThrottle({ burst: 3, perMinute: 6 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('a', t0).ok)).toEqual([true, true, true]);
    expect(limiter.take('a', t0)).toEqual({ ok: false, retryAfterSeconds: 10 });
    // another client has its own budget
    expect(limiter.take('b', t0).ok).toBe(true);
    expect(limiter.take('a', t0 + 9_999).ok).toBe(false);
    expect(limiter.take('a', t0 + 10_000).ok).toBe(true);
    expect(limiter.take('a', t0 + 10_001).ok).toBe(false);
  });

  it('refuses do not spend: a client waiting out its retry gets in then', () => {
    const limiter = createThrottle({ burst: 1, perMinute: 60 });
    expect(limiter.take('a', 0).ok).toBe(true);
    for (let t = 0; t < 1000; t += 100) expect(limiter.take('a', t).ok).toBe(false);
    expect(limiter.take('a', 1000).ok).toBe(true);
  });

  it('remembers a bounded number of clients, forgetting idle ones before one that keeps asking', () => {
    const limiter = createThrottle({ burst: 2, perMinute: 1, maxClients: 3 });
    limiter.take('busy', 0);
    limiter.take('busy', 0);
    limiter.take('x', 1);
    expect(limiter.take('busy', 2).ok).toBe(false);
    for (const [client, t] of [['y', 3], ['z', 5], ['w', 7]] as const) {
      limiter.take(client, t);
      expect(limiter.size()).toBeLessThanOrEqual(3);
      // new clients push the idle ones out, not the one that keeps asking over its budget
      expect(limiter.take('busy', t + 1).ok).toBe(false);
    }
  });
});

describe('throttle', () => {
  it('is one per name for the whole process', () => {
    resetThrottlesForTests();
    const a = throttle('t', { burst: 1, perMinute: 1 });
    expect(a.take('c').ok).toBe(true);
    expect(throttle('t', { burst: 1, perMinute: 1 }).take('c').ok).toBe(false);
    resetThrottlesForTests();
  });
});
