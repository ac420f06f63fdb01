import { describe, expect, it } from 'vitest';
import { audit, listAudit, redactDetails } from './audit';
import { BACKENDS, setupTempStore } from './testing/temp-store';


describe.each(BACKENDS)('audit log (%s)', (backend) => {
  setupTempStore(backend);

  it('lists entries newest first, a page at a time', async () => {
    for (let i = 1; i <= 7; i += 1) await audit({ actor: 'ann', action: 'user.created', target: `u${i}` }, new Date(Date.UTC(2026, 0, i)));
    const first = await listAudit({ pageSize: 3 });
    expect(first).toMatchObject({ total: 7, pages: 3, page: 1 });
    expect(first.entries.map((e) => e.target)).toEqual(['u7', 'u6', 'u5']);
    expect((await listAudit({ page: 3, pageSize: 3 })).entries.map((e) => e.target)).toEqual(['u1']);
    expect((await listAudit({ page: 99, pageSize: 3 })).page).toBe(3);
    expect((await listAudit({ page: -5, pageSize: 3 })).page).toBe(1);
    expect(first.entries[0]?.at.toISOString()).toBe('2026-01-07T00:00:00.000Z');
  });

  it('keeps actor, target, details and client', async () => {
    await audit({ actor: 'ann', action: 'user.role-changed', target: 'bob', details: { from: 'viewer', to: 'admin' }, client: '10.0.0.5' });
    expect((await listAudit()).entries[0]).toMatchObject({
      actor: 'ann',
      action: 'user.role-changed',
      target: 'bob',
      details: { from: 'viewer', to: 'admin' },
      client: '10.0.0.5',
    });
  });

  it('never stores values under secret-sounding keys', async () => {
    const details = { password: 'p1', newPassword: 'p2', sessionId: 's', apiKey: 'k', awsSecretAccessKey: 'a', token: 't', role: 'admin', count: 2 };
    await audit({ actor: 'ann', action: 'user.password-reset', details });
    const stored = (await listAudit()).entries[0]!.details;
    expect(stored).toEqual({ ...redactDetails(details) });
    expect(Object.values(stored).filter((v) => v === '[redacted]')).toHaveLength(6);
    expect(stored).toMatchObject({ role: 'admin', count: 2 });
    expect(JSON.stringify(await listAudit())).not.toMatch(/p1|p2|"s"|"k"|"a"|"t"/);
  });

  it('an empty log is one empty page', async () => {
    expect(await listAudit()).toEqual({ entries: [], total: 0, pages: 1, page: 1 });
  });
});
