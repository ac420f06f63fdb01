import { describe, expect, it } from 'vitest';
import { withDb } from './db';
import { deleteRunSecrets, putRunSecrets, runSecretsOf } from './run-secrets';
import { insertRun } from './testing/runs';
import { BACKENDS, setupTempStore } from './testing/temp-store';

describe.each(BACKENDS)("a run's sealed secrets (%s)", (backend) => {
  setupTempStore(backend);

  it('are kept per run, replaced when put again, and gone once deleted', async () => {
    await insertRun('r1');
    await insertRun('r2');
    expect(await runSecretsOf('r1')).toBeUndefined();
    await putRunSecrets('r1', 'v1.sealed-one');
    await putRunSecrets('r2', 'v1.sealed-two');
    await putRunSecrets('r1', 'v1.sealed-again');
    expect(await runSecretsOf('r1')).toBe('v1.sealed-again');
    expect(await runSecretsOf('r2')).toBe('v1.sealed-two');
    await deleteRunSecrets('r1');
    expect(await runSecretsOf('r1')).toBeUndefined();
    expect(await runSecretsOf('r2')).toBe('v1.sealed-two');
  });

  it('go with their run', async () => {
    await insertRun('r1');
    await putRunSecrets('r1', 'v1.sealed');
    await withDb((db) => db.deleteFrom('runs').where('id', '=', 'r1').execute());
    expect(await runSecretsOf('r1')).toBeUndefined();
  });
});
