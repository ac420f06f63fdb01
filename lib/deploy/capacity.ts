// The Fargate quota preflight: before a run creates anything, the Fargate capacity the plan needs
// after the run (steady, and at the peak of an update) against the account's On-Demand vCPU quota,
// and what to do when it does not fit. Usage by other workloads needs CloudWatch, which the console
// does not read: the messages say that other tasks count against the same quota.
import 'server-only';
import type { AwsContext } from '@/lib/aws/clients';
import { FARGATE_VCPU_QUOTA, FARGATE_VCPU_QUOTA_NAME, readFargateQuota } from '@/lib/aws/quotas';
import type { Plan } from '@/lib/params/plan';
import { sizeParams } from '@/lib/params/sizes';
import { planFootprint } from '@/lib/plan/estimate';
import { lineOf } from '@/templates';
import type { StackId } from '@/templates/stack';
import { planAfter, type Operation } from './scope';

export interface CapacityCheck {
  /** The run cannot work: the steady state alone exceeds the quota. */
  refusal?: string;
  /** Updates may stall: their peak exceeds the quota. */
  warning?: string;
  /** What was checked, for the run's notes. */
  note: string;
}

const vcpus = (n: number) => `${Number(n.toFixed(2)).toLocaleString('en-US')} vCPU${n === 1 ? '' : 's'}`;

/** The plan with every task count at its "Proof of concept" size. */
function proofOfConcept(plan: Plan): Plan {
  const next = structuredClone(plan);
  for (const param of sizeParams(lineOf(plan).stacks)) (next.params[param.stackId] ??= {})[param.key] = param.proofOfConcept;
  return next;
}

/**
 * `only`: the stacks in the account `context` reaches, when the plan spans accounts (each account
 * has its own quota); `account` then names it in the messages.
 */
export async function checkFargateCapacity(context: AwsContext, plan: Plan, operation: Operation, only?: { stacks: (id: StackId) => boolean; account: string }): Promise<CapacityCheck> {
  if (operation.kind === 'teardown') return { note: 'A teardown starts no Fargate tasks.' };
  const target = planAfter(plan, lineOf(plan), operation);
  const footprint = planFootprint(target, only?.stacks);
  const steady = footprint.vcpu;
  const peak = footprint.updatePeakVcpu;
  const ceiling = footprint.ceilingVcpu;
  const quota = await readFargateQuota(context);
  const scaled = ceiling > steady ? `, ${vcpus(ceiling)} with its autoscaled services at their ceilings` : '';
  const needs = `${only ? `The plan's stacks in account ${only.account} run` : 'The plan runs'} ${vcpus(steady)} of Fargate On-Demand capacity (${footprint.tasks} tasks)${scaled}, and up to ${vcpus(peak)} while an update rolls out new tasks before stopping old ones`;
  if ('unavailable' in quota) return { note: `${needs}. The Fargate quota was not checked: ${quota.unavailable}` };

  const where = `the account's quota in ${context.region} is ${vcpus(quota.value)} (Service Quotas → AWS Fargate → "${FARGATE_VCPU_QUOTA_NAME}", ${FARGATE_VCPU_QUOTA.QuotaCode}${quota.source === 'default' ? ', AWS’s default' : ''})`;
  const request = `request an increase to at least ${Math.ceil(peak)} vCPUs in the Service Quotas console`;
  const others = 'Other Fargate tasks in this account and region count against the same quota.';
  if (steady > quota.value) {
    const small = planFootprint(proofOfConcept(target), only?.stacks);
    const smaller =
      small.vcpu < steady
        ? `choose smaller sizes (the "Proof of concept" size runs ${vcpus(small.vcpu)}, up to ${vcpus(small.updatePeakVcpu)} during updates)`
        : 'leave out optional stacks';
    return { refusal: `${needs}, but ${where}. Nothing was created. Before deploying, ${request}, or ${smaller}. ${others}`, note: '' };
  }
  if (peak > quota.value)
    return {
      warning: `${needs}; ${where}. The steady state fits, but an update's new tasks would wait for capacity and the update could stall and roll back: ${request} before updating. ${others}`,
      note: `${needs}; ${where}.`,
    };
  if (ceiling > quota.value)
    return {
      warning: `${needs}; ${where}. The plan fits, but under load its autoscaled services could not grow past the quota (they would stay short of tasks): request an increase to at least ${Math.ceil(ceiling)} vCPUs, or lower their ceilings. ${others}`,
      note: `${needs}; ${where}.`,
    };
  return { note: `${needs}; ${where}, enough for ${ceiling > steady ? 'all three' : 'both'}. ${others}` };
}
