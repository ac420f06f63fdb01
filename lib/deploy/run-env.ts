// What every step of a run shares: its environment (run, plan, scope, AWS context, secrets),
// the options it executes with, and the errors that stop it. The engine's modules build on this.
import 'server-only';
import type { AwsContext } from '@/lib/aws/clients';
import type { Plan } from '@/lib/params/plan';
import type { Run } from '@/lib/store/runs';
import type { ReleaseLine } from '@/templates/line';
import type { StackId } from '@/templates/stack';
import type { ScopedStack } from './scope';

export class RunStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunStopped';
  }
}

/** This replica stopped driving the run (its lease lapsed or went to another replica): nothing more is done or recorded here. */
export class NotDriving extends RunStopped {
  constructor(readonly runId: string) {
    super(`This console replica no longer drives run ${runId}; nothing more is changed from here.`);
    this.name = 'NotDriving';
  }
}

/** CloudFormation refused a stack's change set: nothing of the stack changed. */
export class ChangeSetRefused extends RunStopped {
  constructor(
    readonly stackName: string,
    readonly reason: string,
  ) {
    super(`CloudFormation refused the change set for ${stackName}: ${reason}`);
    this.name = 'ChangeSetRefused';
  }
}

export const REFUSED = 'CloudFormation refused the change set; the root cause says why.';

export const changeSetName = (runId: string, stackId: StackId, attempt = 'preview') => `lakerunner-${runId}-${stackId}-${attempt}`;

export interface StackAccess {
  context: AwsContext;
  account: string;
}

export interface RunEnv {
  run: Run;
  plan: Plan;
  /** The plan's release line. */
  line: ReleaseLine;
  scope: ScopedStack[];
  /** The deployment's own account. */
  context: AwsContext;
  /** Where a stack acts: its account's context (the deployment's, or the one the plan gives it) and that account's id. */
  accessOf: (stackId: StackId) => StackAccess;
  secrets: (stackId: StackId) => Record<string, string>;
  pollMs: number;
  signal?: AbortSignal;
  /**
   * Called right before every call that changes a stack (creating or executing a change set,
   * deleting, continuing a rollback): throws NotDriving once this replica may no longer drive the run.
   */
  beforeChange?: () => Promise<void>;
}

export interface ExecuteOptions {
  timeoutMs: number;
  /** Grafana reset: after the stack is updated with the token, update it again with this value. */
  followUp?: Record<string, string>;
  /** Recovery: continue a failed update rollback skipping these resources, or delete the stack. */
  recovery?: { skipResources: string[] };
  /** How many stacks may run at once (CONSOLE_MAX_PARALLEL_STACKS); 1 runs them one after another. */
  maxParallel: number;
}
