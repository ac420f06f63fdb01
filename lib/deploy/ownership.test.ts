// Stack ownership on the sandbox: a deployment never adopts the stacks of another, nor stacks that
// exist in the account without an owner; it is told whose they are and what to do instead.
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import type { Plan } from '@/lib/params/plan';
import { CORE_ONLY_2025, namedPlan2025 } from '@/lib/plan/testing/line-2025';
import { createDeployment, updateDeployment } from '@/lib/store/deployments';
import { listRuns } from '@/lib/store/runs';
import { rows } from '@/lib/store/testing/query';
import { approveRun, contextFor, foreignStack, prepareRun, RunRefusedError } from './engine';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';

const ACCOUNT = '111111111111';
engineOnSandbox('ownership');

const plan = (name: string, prefix: string): Plan => namedPlan2025(name, CORE_ONLY_2025, prefix);

async function run(deploymentId: string, kind: 'deploy' | 'teardown' = 'deploy') {
  const started = await prepareRun({ deploymentId, user: 'alice', operation: { kind }, confirmedAccount: ACCOUNT });
  await untilRun(started.id, ['awaiting-approval']);
  await approveRun(started.id, 'alice');
  return untilRun(started.id, ['succeeded', 'failed']);
}

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (error instanceof RunRefusedError ? error.message : Promise.reject(error)));

describe('stack ownership', () => {
  it('refuses a second deployment whose stack names another deployment made, naming it, until that one is torn down', async () => {
    const first = await createDeployment({ name: 'Production', plan: plan('Production', 'own'), createdBy: 'alice' });
    expect((await run(first.id)).status).toBe('succeeded');
    const second = await createDeployment({ name: 'Copy', plan: plan('Copy', 'own'), createdBy: 'bob' });

    const message = await refusal(prepareRun({ deploymentId: second.id, user: 'bob', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT }));
    expect(message).toBe(
      `The stack own-vpc (account ${ACCOUNT}, us-east-1) belongs to the deployment Production. Open Production to change it, or choose other stack names for this deployment (make a new plan with other names).`,
    );
    expect(await listRuns({ deploymentId: second.id })).toEqual([]);
    // the access check says so already
    expect((await foreignStack(second, await contextFor(second, 'bob'), ACCOUNT))?.owner).toEqual({ id: first.id, name: 'Production' });
    // nor may it tear them down
    expect(await refusal(prepareRun({ deploymentId: second.id, user: 'bob', operation: { kind: 'teardown' }, confirmedAccount: ACCOUNT }))).toMatch(/belongs to the deployment Production/);

    // once Production is torn down, the names are free
    expect((await run(first.id, 'teardown')).status).toBe('succeeded');
    expect(await foreignStack(second, await contextFor(second, 'bob'), ACCOUNT)).toBeUndefined();
    expect((await run(second.id)).status).toBe('succeeded');
  });

  it('refuses stacks that exist in the account without any deployment of the console, pointing to attaching them', async () => {
    const context = await contextFor(await createDeployment({ name: 'probe', plan: plan('probe', 'probe'), createdBy: 'alice' }), 'alice');
    await context.cloudFormation.send(new CreateStackCommand({ StackName: 'stray-vpc', TemplateBody: JSON.stringify({ Resources: { Log: { Type: 'AWS::Logs::LogGroup' } } }) }));
    const deployment = await createDeployment({ name: 'Stray', plan: plan('Stray', 'stray'), createdBy: 'alice' });
    expect(await refusal(prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT }))).toBe(
      `A stack named stray-vpc already exists in account ${ACCOUNT}, us-east-1, and no deployment of this console made or attached it. To manage it here, attach the existing stacks as a deployment (Deployments → Attach existing stacks); otherwise choose other stack names for this deployment (make a new plan with other names).`,
    );
  });

  it('lets a deployment from before owners were recorded claim the stacks of its plan that exist, once', async () => {
    const legacy = await createDeployment({ name: 'Legacy', plan: plan('Legacy', 'old'), createdBy: 'alice' });
    expect((await run(legacy.id)).status).toBe('succeeded');
    // as the store was before: no owners recorded
    await rows('DELETE FROM stack_owners');
    await updateDeployment(legacy.id, { status: 'deployed' });
    const newcomer = await createDeployment({ name: 'Newcomer', plan: plan('Newcomer', 'old'), createdBy: 'bob' });
    const unowned = await foreignStack(newcomer, await contextFor(newcomer, 'bob'), ACCOUNT);
    expect(unowned?.stackName).toBe('old-vpc');
    expect(unowned?.owner).toBeUndefined();
    // the legacy deployment's next run claims its stacks…
    expect((await run(legacy.id)).status).toBe('succeeded');
    // …and from then on they are its own
    expect((await foreignStack(newcomer, await contextFor(newcomer, 'bob'), ACCOUNT))?.owner?.name).toBe('Legacy');
  });
});
