// One sandbox per process for the console. Kept on globalThis because Next bundles modules
// more than once (route handlers, server actions, instrumentation) and each copy must share it.
import 'server-only';
import { startSandbox, type Sandbox, type SandboxOptions } from './index';

const KEY = Symbol.for('lakerunner.sandbox.embedded');
type Holder = { [KEY]?: Promise<Sandbox> };

/** Starts the sandbox on first use; later calls get the same one (their options are ignored). */
export function getEmbeddedSandbox(options: SandboxOptions): Promise<Sandbox> {
  const holder = globalThis as Holder;
  holder[KEY] ??= startSandbox(options).catch((error: unknown) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}
