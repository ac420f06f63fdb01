// Run in a child process by db.test.ts (without the capability to override file permissions when
// the tests run as root): opens the store in CONSOLE_DATA_DIR, tries one write and prints what
// happened as JSON.
import { audit } from '../audit';
import { getDb } from '../db';
import { isStoreUnavailable } from '../errors';

function report(result: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(result));
}

try {
  const count = getDb().prepare('SELECT count(*) AS n FROM audit_log').pluck().get();
  audit({ actor: 'probe', action: 'signout' });
  report({ ok: true, count });
} catch (error) {
  report(
    isStoreUnavailable(error)
      ? { ok: false, name: error.name, code: error.code, status: error.status, message: error.message }
      : { ok: false, name: (error as Error).name, message: String(error) },
  );
}
