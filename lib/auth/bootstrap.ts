// First start: make sure an admin exists (see ensureInitialAdmin). Runs once per process, from
// instrumentation.ts at start-up and again before any sign-in.
import 'server-only';
import { env } from '@/lib/env';
import { isStoreUnavailable } from '@/lib/store/errors';
import { ensureInitialAdmin } from './users';

const DONE = Symbol.for('lakerunner.console.bootstrap');
type Holder = typeof globalThis & { [DONE]?: Promise<void> };

export function bootstrapAuth(): Promise<void> {
  const holder = globalThis as Holder;
  holder[DONE] ??= ensureInitialAdmin(env().CONSOLE_ADMIN_PASSWORD, (message) => console.warn(message)).then(
    () => undefined,
    (error: unknown) => {
      // Let the next caller try again (the store may have been fixed meanwhile).
      delete holder[DONE];
      throw error;
    },
  );
  return holder[DONE];
}

/**
 * For instrumentation.ts at start-up. A store fault is logged rather than fatal: the console still
 * starts, so its pages can explain the fault, and the next sign-in tries again.
 */
export async function startAuth(): Promise<void> {
  try {
    await bootstrapAuth();
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    console.error(error.message);
  }
}
