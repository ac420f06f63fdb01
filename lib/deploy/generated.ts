// Secret values the console makes for a run (StackMeta.generatedOnCreate): for a stack the run
// creates and whose plan gives no certificate, a self-signed one, added to the run's secrets so
// the preview and the execution pass the same one. Never for a stack that exists: an update keeps
// the deployed certificate, so the listeners do not churn.
import 'server-only';
import type { AwsContext } from '@/lib/aws/clients';
import type { RunSecrets } from './runtime';
import { describeStack } from './cfn';
import { selfSignedCertificate } from './certificate';
import type { Operation, ScopedStack } from './scope';

/** Statuses a deploy deletes and creates again (or creates over): the stack holds nothing yet. */
const CREATED_AGAIN = new Set(['REVIEW_IN_PROGRESS', 'ROLLBACK_COMPLETE']);

export interface Generated {
  secrets: RunSecrets;
  /** What was made, for the run's log (no values). */
  notes: string[];
}

export async function generateOnCreate(context: Pick<AwsContext, 'cloudFormation'>, scope: readonly ScopedStack[], operation: Operation, given: RunSecrets): Promise<Generated> {
  const secrets: RunSecrets = structuredClone(given);
  const notes: string[] = [];
  if (operation.kind !== 'deploy') return { secrets, notes };
  for (const { stack } of scope) {
    for (const rule of stack.meta.generatedOnCreate ?? []) {
      const valueOf = (key: string) => (secrets[stack.meta.id]?.[key] || stack.values[key] || '').trim();
      if (rule.unless.some((key) => valueOf(key) !== '')) continue;
      const state = await describeStack(context.cloudFormation, stack.stackName);
      if (state && !CREATED_AGAIN.has(state.status)) continue;
      const made = await selfSignedCertificate(rule);
      secrets[stack.meta.id] = { ...secrets[stack.meta.id], [rule.certificate]: made.certificate, [rule.privateKey]: made.privateKey };
      notes.push(
        `No certificate was given for ${stack.stackName}: the console generated a self-signed one (CN ${rule.commonName}, valid ${rule.days} days) for its creation; browsers will warn until you give a certificate ARN.`,
      );
    }
  }
  return { secrets, notes };
}
