// Waiting that a stop, or an end, cuts short. Server-only in practice (node:timers), but imports nothing of ours.
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

/** Resolves once `promise` settles, or after `ms` at the latest; its timer goes when it ends. */
export async function atMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
