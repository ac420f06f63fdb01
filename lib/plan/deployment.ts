// Turning a checked plan into a deployment the console can run: the plan is stored without its
// secret (NoEcho) values, under a name no other deployment uses.
import 'server-only';
import { ActionError } from '@/lib/auth/action-error';
import type { Plan } from '@/lib/params/plan';
import { createDeployment, DuplicateNameError, type Deployment } from '@/lib/store/deployments';
import { stackMetasOf } from './index';

export function withoutSecrets(plan: Plan): Plan {
  const copy = structuredClone(plan);
  for (const meta of stackMetasOf(plan)) for (const spec of meta.parameters) if (spec.noEcho && copy.params[meta.id]) copy.params[meta.id]![spec.key] = '';
  return copy;
}

export async function saveAsDeployment(plan: Plan, createdBy: string): Promise<Deployment> {
  try {
    return await createDeployment({ name: plan.name, plan: withoutSecrets(plan), createdBy });
  } catch (error) {
    if (error instanceof DuplicateNameError)
      throw new ActionError(`A deployment named ${plan.name} exists already. Choose another plan name, or open that deployment to change it.`, 'name', 409);
    throw error;
  }
}
