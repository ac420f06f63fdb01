// For engine tests: wait until a run reaches one of the statuses, polling the store.
import { getRun, type Run } from '@/lib/store/runs';
import type { RunStatus } from '../types';

export async function untilRun(runId: string, statuses: readonly RunStatus[], timeoutMs = 60_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const run = (await getRun(runId))!;
    if (statuses.includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`run ${runId} stayed ${(await getRun(runId))?.status}`);
}
