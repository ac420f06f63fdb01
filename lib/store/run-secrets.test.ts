import { describe, expect, it } from 'vitest';
import { withDb } from './db';
import { deleteExpiredRunSecrets, deleteRunSecrets, putRunSecrets, resealRunSecrets, runSecretsOf } from './run-secrets';
import { rows } from './testing/query';
import { insertRun } from './testing/runs';
import { BACKENDS, setupTempStore } from './testing/temp-store';

const HOUR = 60 * 60_000;
const sealedOf = async (runId: string) => (await runSecretsOf(runId))?.sealed;

describe.each(BACKENDS)("a run's sealed secrets (%s)", (backend) => {
  setupTempStore(backend);

  it('are kept per run, replaced when put again, and gone once deleted', async () => {
    await insertRun('r1');
    await insertRun('r2');
    expect(await runSecretsOf('r1')).toBeUndefined();
    await putRunSecrets('r1', 'v1.sealed-one');
    await putRunSecrets('r2', 'v1.sealed-two');
    await putRunSecrets('r1', 'v1.sealed-again');
    expect(await sealedOf('r1')).toBe('v1.sealed-again');
    expect(await sealedOf('r2')).toBe('v1.sealed-two');
    await deleteRunSecrets('r1');
    expect(await runSecretsOf('r1')).toBeUndefined();
    expect(await sealedOf('r2')).toBe('v1.sealed-two');
  });

  it('go with their run', async () => {
    await insertRun('r1');
    await putRunSecrets('r1', 'v1.sealed');
    await withDb((db) => db.deleteFrom('runs').where('id', '=', 'r1').execute());
    expect(await runSecretsOf('r1')).toBeUndefined();
  });

  it("age by the database's clock; sealed again they keep their age", async () => {
    await insertRun('r1');
    await putRunSecrets('r1', 'v1.sealed');
    expect((await runSecretsOf('r1'))!.ageMs).toBeLessThan(5000);
    await rows(`UPDATE run_secrets SET created_at = created_at - ${3 * HOUR}`);
    await resealRunSecrets('r1', 'v1.sealed-with-the-new-key');
    const stored = (await runSecretsOf('r1'))!;
    expect(stored.sealed).toBe('v1.sealed-with-the-new-key');
    expect(stored.ageMs).toBeGreaterThanOrEqual(3 * HOUR);
  });

  it('expire only for runs awaiting approval, once older than the limit', async () => {
    for (const [runId, status] of [['old-waiting', 'awaiting-approval'], ['new-waiting', 'awaiting-approval'], ['old-running', 'running']] as const) {
      await insertRun(runId, status);
      await putRunSecrets(runId, `v1.${runId}`);
    }
    await rows(`UPDATE run_secrets SET created_at = created_at - ${25 * HOUR} WHERE run_id <> 'new-waiting'`);
    expect(await deleteExpiredRunSecrets(24 * HOUR)).toEqual(['old-waiting']);
    expect(await runSecretsOf('old-waiting')).toBeUndefined();
    expect(await sealedOf('new-waiting')).toBe('v1.new-waiting');
    expect(await sealedOf('old-running')).toBe('v1.old-running');
    expect(await deleteExpiredRunSecrets(24 * HOUR)).toEqual([]);
  });
});
