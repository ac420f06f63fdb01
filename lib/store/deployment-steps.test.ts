import { describe, expect, it } from 'vitest';
import { defaultPlan } from '@/lib/params/plan';
import { FIXTURE_LINE } from '@/templates/testing/line-fixture';
import { withDb } from './db';
import { setStepDone, stepsDone } from './deployment-steps';
import { createDeployment } from './deployments';
import { BACKENDS, setupTempStore } from './testing/temp-store';

const deployment = (name: string) => createDeployment({ name, plan: defaultPlan(FIXTURE_LINE), createdBy: 'ada' });

describe.each(BACKENDS)("a deployment's manual steps (%s)", (backend) => {
  setupTempStore(backend);

  it('remember who ticked each step and when, per deployment, until unticked', async () => {
    const one = await deployment('one');
    const two = await deployment('two');
    expect(await stepsDone(one.id)).toEqual([]);
    await setStepDone(one.id, 'map-raw-bucket', { by: 'ada', at: 1_000 });
    await setStepDone(two.id, 'map-raw-bucket', { by: 'bob', at: 2_000 });
    await setStepDone(one.id, 'map-cwmetrics-prefix', { by: 'ada', at: 3_000 });
    expect(await stepsDone(one.id)).toEqual([
      { stepId: 'map-raw-bucket', doneBy: 'ada', doneAt: new Date(1_000) },
      { stepId: 'map-cwmetrics-prefix', doneBy: 'ada', doneAt: new Date(3_000) },
    ]);
    // ticked again by someone else: the latest tick wins
    await setStepDone(one.id, 'map-raw-bucket', { by: 'cy', at: 4_000 });
    await setStepDone(one.id, 'map-cwmetrics-prefix', false);
    expect(await stepsDone(one.id)).toEqual([{ stepId: 'map-raw-bucket', doneBy: 'cy', doneAt: new Date(4_000) }]);
    expect(await stepsDone(two.id)).toEqual([{ stepId: 'map-raw-bucket', doneBy: 'bob', doneAt: new Date(2_000) }]);
  });

  it('go with their deployment', async () => {
    const one = await deployment('one');
    await setStepDone(one.id, 'map-raw-bucket', { by: 'ada' });
    await withDb((db) => db.deleteFrom('deployments').where('id', '=', one.id).execute());
    expect(await stepsDone(one.id)).toEqual([]);
  });
});
