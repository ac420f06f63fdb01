import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { audit } from '@/lib/store/audit';
import { column, rows, value } from '@/lib/store/testing/query';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import { keepHouse } from './housekeeping';
import { ATTEMPT_TTL_MS, saveAttempt } from './oidc/attempts';
import { createSession } from './sessions';
import { createUser } from './users';

const DAY_MS = 24 * 60 * 60_000;

describe.each(BACKENDS)('housekeeping (%s)', (backend) => {
  setupTempStore(backend);
  afterEach(() => {
    delete process.env.CONSOLE_AUDIT_RETENTION_DAYS;
    resetEnvForTests();
  });

  it('prunes expired sign-in attempts and sessions, and audit entries past the retention', async () => {
    process.env.CONSOLE_AUDIT_RETENTION_DAYS = '30';
    resetEnvForTests();
    const user = await createUser({ username: 'dana', role: 'viewer', password: 'dana password!' });
    await createSession(user.id, undefined);
    await createSession(user.id, undefined);
    await rows(`UPDATE sessions SET expires_at = expires_at - ${8 * DAY_MS} WHERE token_hash = (SELECT min(token_hash) FROM sessions)`);
    await saveAttempt({ state: 'old', nonce: 'n', codeVerifier: 'v', next: '/' });
    await saveAttempt({ state: 'new', nonce: 'n', codeVerifier: 'v', next: '/' });
    await rows(`UPDATE oidc_attempts SET expires_at = expires_at - ${ATTEMPT_TTL_MS + 1} WHERE state = 'old'`);
    await audit({ actor: 'old', action: 'signout' }, new Date(Date.now() - 31 * DAY_MS));
    await audit({ actor: 'recent', action: 'signout' }, new Date(Date.now() - 29 * DAY_MS));

    expect(await keepHouse()).toEqual({ attempts: 1, sessions: 1, audit: 1 });
    expect(await column('SELECT state FROM oidc_attempts')).toEqual(['new']);
    expect(await value('SELECT count(*) FROM sessions')).toBe(1);
    expect(await column("SELECT actor FROM audit_log WHERE action = 'signout'")).toEqual(['recent']);
  });

  it('keeps every audit entry with a retention of 0', async () => {
    process.env.CONSOLE_AUDIT_RETENTION_DAYS = '0';
    resetEnvForTests();
    await audit({ actor: 'ancient', action: 'signout' }, new Date(Date.now() - 3650 * DAY_MS));
    expect((await keepHouse()).audit).toBe(0);
    expect(await column('SELECT actor FROM audit_log')).toEqual(['ancient']);
  });
});
