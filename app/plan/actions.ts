'use server';

import { redirect } from 'next/navigation';
import { defineAction } from '@/lib/auth/action';
import { serverPlanSchema } from '@/lib/plan';
import { saveAsDeployment } from '@/lib/plan/deployment';

/** Saves the plan as a deployment the console can run, then opens it. */
export const deployWithConsole = defineAction(
  { role: 'deployer', schema: serverPlanSchema, audit: 'deployment.created' },
  async (plan, { user, auditEntry }) => {
    const deployment = await saveAsDeployment(plan, user.username);
    auditEntry({ target: deployment.name, details: { deployment: deployment.id, region: deployment.region } });
    redirect(`/deployments/${deployment.id}`);
  },
);
