// The preflight of a customer's own VPC and ECS cluster, for plans that bring them: before a run
// creates anything, the VPC exists; each list of private subnets has at least two in distinct
// Availability Zones, in that VPC; public subnets route to an internet gateway when something is
// internet-facing; the cluster exists, is ACTIVE and has the FARGATE capacity provider. Which
// fields name them is the line's data (ReleaseLine.environment); fields the plan fills from the
// line's own VPC or cluster stacks are not checked.
import 'server-only';
import type { AwsContext } from '@/lib/aws/clients';
import { describeCluster, type ClusterSummary } from '@/lib/aws/ecs';
import { AwsError, describeAwsFailure } from '@/lib/aws/errors';
import { describeSubnets, vpcExists } from '@/lib/aws/network';
import { isIncluded, settler, userSpecs, type Plan } from '@/lib/params/plan';
import { splitList } from '@/lib/params/spec';
import { andList } from '@/lib/text';
import type { EnvironmentField, ParamAt, ReleaseLine } from '@/templates/line';
import type { StackId, StackMeta } from '@/templates/stack';

/** A value the plan's user gave that cannot work, on its field (params.<stack>.<key>). */
export interface EnvironmentProblem {
  path: string;
  /** The field's stack and label, e.g. "Lakerunner services: ECS cluster name". */
  label: string;
  /** What is wrong with the value and what to do, without the field's name. */
  reason: string;
}

/** The problem as its field's error message. */
export const problemMessage = (p: EnvironmentProblem) => `${p.label}: ${p.reason}`;

export interface EnvironmentCheck {
  problems: EnvironmentProblem[];
  /** Why part of it could not be checked (no permission to describe, say): CloudFormation judges it then. */
  unchecked?: string;
}

interface Given {
  path: string;
  label: string;
  value: string;
  meta: StackMeta;
}

type EnvironmentLine = Pick<ReleaseLine, 'stacks' | 'environment' | 'toggles' | 'network'>;

/** The fields among `fields` the user gives in this plan, with their values (empty ones left to the form's own checks). */
function given(plan: Plan, line: EnvironmentLine, fields: readonly EnvironmentField[], keepEmpty = false): Given[] {
  const metas = line.stacks;
  const settle = settler(plan, metas);
  return fields.flatMap((field) => {
    const meta = metas.find((m) => m.id === field.stack);
    if (!meta || !isIncluded(plan, meta)) return [];
    const spec = userSpecs(meta, plan, metas).find((s) => s.key === field.key);
    if (!spec) return [];
    if (field.when) {
      const chooser = meta.parameters.find((p) => p.key === field.when!.key);
      const settled = chooser && settle(meta, chooser);
      if (!settled || !('value' in settled) || settled.value !== field.when.equals) return [];
    }
    const value = (plan.params[meta.id]?.[field.key] ?? spec.default ?? '').trim();
    return value || keepEmpty ? [{ path: `params.${meta.id}.${field.key}`, label: `${meta.title}: ${spec.label}`, value, meta }] : [];
  });
}

/** How the plan could make this field's value itself instead: the toggle or network choice of the stack its input comes from. */
function ownInstead(line: EnvironmentLine, field: Given): string {
  const input = field.meta.inputs[field.path.split('.')[2]!];
  const producer = input && 'output' in input ? line.stacks.find((m) => m.id === input.output[0]) : undefined;
  if (producer?.inclusion === 'toggle') {
    const toggle = line.toggles.find((t) => t.id === producer.id);
    if (toggle) return `, or turn on “${toggle.label}” so the console creates one`;
  }
  if (producer?.inclusion === 'new-network') return `, or choose “${line.network.new.label}”`;
  return '';
}

async function checkVpcs(context: AwsContext, plan: Plan, line: EnvironmentLine): Promise<EnvironmentProblem[]> {
  const fields = given(plan, line, line.environment?.vpc ?? []);
  const missing = new Set<string>();
  for (const vpcId of new Set(fields.map((f) => f.value))) if (!(await vpcExists(context, vpcId))) missing.add(vpcId);
  return fields
    .filter((f) => missing.has(f.value))
    .map((f) => ({ path: f.path, label: f.label, reason: `the VPC ${f.value} does not exist in ${context.region} for this account. Give one of the account's VPCs in ${context.region}${ownInstead(line, f)}.` }));
}

async function checkSubnets(context: AwsContext, plan: Plan, line: EnvironmentLine): Promise<EnvironmentProblem[]> {
  const environment = line.environment!;
  const privates = given(plan, line, environment.privateSubnets);
  const publics = given(plan, line, environment.publicSubnets, true);
  const ids = [...new Set([...privates, ...publics].flatMap((f) => splitList(f.value)))];
  const subnets = ids.length ? await describeSubnets(context, ids) : new Map();
  const vpcOf = (f: Given) => {
    const vpc = environment.vpc.find((v) => v.stack === f.meta.id);
    return vpc ? plan.params[vpc.stack]?.[vpc.key]?.trim() : undefined;
  };
  const check = (f: Given, kind: 'private' | 'public'): string | undefined => {
    const list = splitList(f.value);
    if (list.length === 0) return `the load balancer is internet-facing, so it needs public subnets (routed to an internet gateway) in two Availability Zones. Give them, or make the load balancer internal.`;
    const absent = list.filter((id) => !subnets.has(id));
    if (absent.length) return `${andList(absent)} ${absent.length === 1 ? 'does' : 'do'} not exist in ${context.region} for this account. Give subnets of the chosen VPC.`;
    const found = list.map((id) => subnets.get(id)!);
    const vpcId = vpcOf(f);
    const foreign = vpcId ? found.find((s) => s.vpcId !== vpcId) : undefined;
    if (foreign) return `${foreign.id} is in ${foreign.vpcId}, not in the chosen VPC ${vpcId}. Give subnets of ${vpcId}.`;
    if (kind === 'private') {
      const exposed = found.find((s) => s.routedToInternet);
      if (exposed) return `${exposed.id} routes 0.0.0.0/0 to an internet gateway, so it is a public subnet. Give private subnets (with outbound access through a NAT gateway or VPC endpoints).`;
    } else {
      const closed = found.find((s) => !s.routedToInternet);
      if (closed) return `${closed.id} has no route to an internet gateway, so an internet-facing load balancer in it cannot be reached. Give public subnets, or make the load balancer internal.`;
    }
    const zones = new Set(found.map((s) => s.availabilityZone));
    if (zones.size < 2)
      return `it needs at least two ${kind} subnets in different Availability Zones: ${list.length === 1 ? `only ${list[0]} is given` : `${andList(list)} are all in ${[...zones][0]}`}. Add a ${kind} subnet in another Availability Zone.`;
    return undefined;
  };
  return [
    ...privates.map((f) => ({ path: f.path, label: f.label, reason: check(f, 'private') })),
    ...publics.map((f) => ({ path: f.path, label: f.label, reason: check(f, 'public') })),
  ].filter((p): p is EnvironmentProblem => p.reason !== undefined);
}

async function checkClusters(context: AwsContext, plan: Plan, line: EnvironmentLine): Promise<EnvironmentProblem[]> {
  const fields = given(plan, line, line.environment?.cluster ?? []);
  const found = new Map<string, ClusterSummary | undefined>();
  for (const value of new Set(fields.map((f) => f.value))) found.set(value, await describeCluster(context, value));
  return fields.flatMap((f) => {
    const cluster = found.get(f.value);
    if (!cluster)
      return [{ path: f.path, label: f.label, reason: `the ECS cluster ${f.value} does not exist in ${context.region} for this account. Give the name or ARN of a cluster in this account and region${ownInstead(line, f)}.` }];
    if (cluster.status !== 'ACTIVE')
      return [{ path: f.path, label: f.label, reason: `the ECS cluster ${cluster.name} is ${cluster.status}, not ACTIVE, so ECS cannot start services in it. Give an active cluster${ownInstead(line, f)}.` }];
    if (!cluster.capacityProviders.includes('FARGATE'))
      return [
        {
          path: f.path,
          label: f.label,
          reason: `the ECS cluster ${cluster.name} does not have the FARGATE capacity provider associated (it has ${cluster.capacityProviders.length ? andList(cluster.capacityProviders) : 'none'}), and every service of the plan runs on FARGATE. Associate it (aws ecs put-cluster-capacity-providers --cluster ${cluster.name} --capacity-providers FARGATE FARGATE_SPOT --default-capacity-provider-strategy capacityProvider=FARGATE,weight=1)${ownInstead(line, f)}.`,
        },
      ];
    return [];
  });
}

/**
 * Checks the plan's own VPC and cluster against the account; nothing to check when the line names
 * none or the plan brings none. With `contextOf`, each stack's fields are checked in the account
 * that stack goes to (a satellite in another account names that account's VPC and cluster); a
 * stack whose context is undefined is not checked here.
 */
export async function checkEnvironment(context: AwsContext, plan: Plan, line: EnvironmentLine, contextOf?: (stack: StackId) => AwsContext | undefined): Promise<EnvironmentCheck> {
  const environment = line.environment;
  if (!environment) return { problems: [] };
  const groups = new Map<AwsContext, Set<StackId>>();
  for (const meta of line.stacks) {
    const own = contextOf ? contextOf(meta.id) : context;
    if (own) groups.set(own, (groups.get(own) ?? new Set()).add(meta.id));
  }
  const problems: EnvironmentProblem[] = [];
  const unchecked: string[] = [];
  for (const [own, stacks] of groups) {
    const mine = <F extends ParamAt>(fields: readonly F[]) => fields.filter((f) => stacks.has(f.stack));
    const part = {
      ...line,
      environment: { vpc: mine(environment.vpc), privateSubnets: mine(environment.privateSubnets), publicSubnets: mine(environment.publicSubnets), cluster: mine(environment.cluster) },
    };
    for (const check of [checkVpcs, checkSubnets, checkClusters]) {
      try {
        problems.push(...(await check(own, plan, part)));
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        unchecked.push(describeAwsFailure(error));
      }
    }
  }
  return { problems, ...(unchecked.length ? { unchecked: `The VPC and cluster were not fully checked (${unchecked.join('; ')}): CloudFormation judges them when it creates the stacks.` } : {}) };
}

/** The problems as one refusal: each reason once, with every field it applies to, then that nothing was created. */
export function environmentRefusal(problems: readonly EnvironmentProblem[]): string {
  const fields = new Map<string, string[]>();
  for (const p of problems) fields.set(p.reason, [...(fields.get(p.reason) ?? []), p.label]);
  const sentences = [...fields].map(([reason, labels]) => `${andList(labels)}: ${reason}`);
  return `${sentences.join(' ')} Nothing was created.`;
}
