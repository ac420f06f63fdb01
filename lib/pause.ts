// Waiting that a stop cuts short. Server-only in practice (node:timers), but imports nothing of ours.
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms`, or less when `signal` aborts first; resolves either way, so callers check
 * `signal.aborted`. Its abort listener goes when it ends (a long run's signal collects none).
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(Math.max(0, ms), undefined, { signal });
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}
