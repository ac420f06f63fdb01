// Run in a child process by db.test.ts (without the capability to override file permissions when
// the tests run as root): opens the store in CONSOLE_DATA_DIR, tries one write and prints what
// happened as JSON.
import { audit } from '../audit';
import { withDb } from '../db';
import { isStoreUnavailable } from '../errors';

function report(result: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(result));
}

void (async () => {
  try {
    const { count } = await withDb((db) => db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow());
    await audit({ actor: 'probe', action: 'signout' });
    report({ ok: true, count });
  } catch (error) {
    report(
      isStoreUnavailable(error)
        ? { ok: false, name: error.name, code: error.code, status: error.status, message: error.message }
        : { ok: false, name: (error as Error).name, message: String(error) },
    );
  }
})();
