'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { approveRun, cancelRun } from '@/lib/deploy/engine';
import { refusalsAsActionErrors } from '@/lib/deploy/refusals';

const runId = z.object({ runId: z.string().regex(/^run-[0-9a-f]{12}$/, 'Unknown run.') });

/** Executes the previewed changes of a run, once, for everyone watching. */
export const approve = defineAction({ role: 'deployer', schema: runId.extend({ confirmName: z.string().max(200).optional() }) }, async ({ runId, confirmName }, { user }) => {
  await refusalsAsActionErrors(() => approveRun(runId, user.username, confirmName));
  return { approved: true };
});

/** Drops a previewed run's change sets without executing anything. */
export const cancel = defineAction({ role: 'deployer', schema: runId }, async ({ runId }, { user }) => {
  await refusalsAsActionErrors(() => cancelRun(runId, user.username));
  return { cancelled: true };
});
