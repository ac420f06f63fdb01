'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { ActionError } from '@/lib/auth/action-error';
import { approveRun, cancelRun, RunRefusedError } from '@/lib/deploy/engine';

const runId = z.object({ runId: z.string().regex(/^run-[0-9a-f]{12}$/, 'Unknown run.') });

async function refusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RunRefusedError) throw new ActionError(error.message, undefined, 409);
    throw error;
  }
}

/** Executes the previewed changes of a run, once, for everyone watching. */
export const approve = defineAction({ role: 'deployer', schema: runId }, async ({ runId }, { user }) => {
  await refusals(() => approveRun(runId, user.username));
  return { approved: true };
});

/** Drops a previewed run's change sets without executing anything. */
export const cancel = defineAction({ role: 'deployer', schema: runId }, async ({ runId }, { user }) => {
  await refusals(() => cancelRun(runId, user.username));
  return { cancelled: true };
});
