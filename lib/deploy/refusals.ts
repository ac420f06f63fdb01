// The deploy engine's expected refusals (a run it will not start, a stack another run holds, an
// AWS call AWS refused) as ActionErrors, so server actions show them on the form.
import 'server-only';
import { ActionError } from '@/lib/auth/action-error';
import { AwsError, describeAwsFailure } from '@/lib/aws/errors';
import { StackLockedError } from '@/lib/store/runs';
import { RunRefusedError } from './engine';

export async function refusalsAsActionErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RunRefusedError) throw new ActionError(error.message, error.field, 409);
    if (error instanceof StackLockedError)
      throw new ActionError(`${error.stackName} is in use by run ${error.runId}. Wait for it to finish (or cancel it) before starting another.`, undefined, 409);
    if (error instanceof AwsError) throw new ActionError(describeAwsFailure(error), undefined, 502);
    throw error;
  }
}
