// Fargate tasks as the rendered templates define them: each task definition's size and CPU
// architecture, each service's desired count, and the plan's footprint: steady state and the peak
// of an update (what a Fargate quota must allow). Isomorphic.
import { refTarget, UNKNOWN, type TemplateReader, type Value } from '@/lib/cfn/resolve';
import type { Expr, Template } from '@/lib/cfn/template';
import type { StackId } from '@/templates/stack';
import { templateUnits } from './units';

export interface TaskSize {
  vcpu: number;
  memoryGb: number;
  arch: 'arm64' | 'x86_64';
  /** Ephemeral storage the task asks for beyond the 20 GB every task gets. */
  extraStorageGb: number;
}

export const INCLUDED_EPHEMERAL_GB = 20;

/** Cpu and Memory are "1024" / "2048" (units, MiB) or "1 vCPU" / "2 GB". */
function amount(value: Value | undefined, unitsPerWhole: number, suffix: RegExp): number | undefined {
  if (typeof value === 'number') return value / unitsPerWhole;
  if (typeof value !== 'string') return undefined;
  const n = Number.parseFloat(value);
  if (!Number.isFinite(n)) return undefined;
  return suffix.test(value) ? n : n / unitsPerWhole;
}

const props = (reader: TemplateReader, id: string) => reader.template.Resources[id]?.Properties ?? {};

export function taskSize(reader: TemplateReader, taskDefinitionId: string): TaskSize | undefined {
  const p = props(reader, taskDefinitionId);
  const vcpu = amount(reader.value(p.Cpu), 1024, /vcpu/i);
  const memoryGb = amount(reader.value(p.Memory), 1024, /gb/i);
  if (vcpu === undefined || memoryGb === undefined) return undefined;
  const platform = reader.value(p.RuntimePlatform) as { CpuArchitecture?: Value } | undefined;
  const storage = reader.value(p.EphemeralStorage) as { SizeInGiB?: Value } | undefined;
  return {
    vcpu,
    memoryGb,
    arch: platform?.CpuArchitecture === 'ARM64' ? 'arm64' : 'x86_64',
    extraStorageGb: Math.max(0, Number(storage?.SizeInGiB ?? INCLUDED_EPHEMERAL_GB) - INCLUDED_EPHEMERAL_GB),
  };
}

/** A count from a template value; CloudFormation creates one task when DesiredCount is absent. */
export function countOf(value: Value | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value === UNKNOWN ? NaN : value);
  return Number.isFinite(n) && n >= 0 ? n : 1;
}

export interface RunningService {
  logicalId: string;
  taskDefinition: string;
  count: number;
  size: TaskSize;
  publicIp: boolean;
  /** How far a deployment may exceed the count while it replaces tasks (ECS's default is 200). */
  maximumPercent: number;
}

const found = new WeakMap<TemplateReader, RunningService[]>();

/** A service runs on Fargate by its launch type, or by a capacity provider strategy of FARGATE (and FARGATE_SPOT) only. */
function onFargate(reader: TemplateReader, properties: Record<string, Expr>): boolean {
  if (reader.value(properties.LaunchType) === 'FARGATE') return true;
  const strategy = reader.value(properties.CapacityProviderStrategy) as { CapacityProvider?: Value }[] | undefined;
  return Array.isArray(strategy) && strategy.length > 0 && strategy.every((item) => item.CapacityProvider === 'FARGATE' || item.CapacityProvider === 'FARGATE_SPOT');
}

/** The template's Fargate services that would run, with their task size and count. */
export function runningServices(reader: TemplateReader): RunningService[] {
  const known = found.get(reader);
  if (known) return known;
  const services = reader.resources().flatMap(([logicalId, resource]) => {
    if (resource.Type !== 'AWS::ECS::Service' || !onFargate(reader, resource.Properties ?? {})) return [];
    const taskDefinition = refTarget(resource.Properties?.TaskDefinition);
    const size = taskDefinition && taskSize(reader, taskDefinition);
    if (!taskDefinition || !size) return [];
    const network = reader.value(resource.Properties?.NetworkConfiguration) as { AwsvpcConfiguration?: { AssignPublicIp?: Value } } | undefined;
    const deployment = reader.value(resource.Properties?.DeploymentConfiguration) as { MaximumPercent?: Value } | undefined;
    const maximumPercent = Number(deployment?.MaximumPercent ?? 200);
    return [
      {
        logicalId,
        taskDefinition,
        count: countOf(reader.value(resource.Properties?.DesiredCount)),
        size,
        publicIp: network?.AwsvpcConfiguration?.AssignPublicIp === 'ENABLED',
        maximumPercent: Number.isFinite(maximumPercent) ? maximumPercent : 200,
      },
    ];
  });
  found.set(reader, services);
  return services;
}

/** Log group logical ids the task definition's containers write to (awslogs). */
export function logGroupsOf(reader: TemplateReader, taskDefinitionId: string): string[] {
  const containers = (props(reader, taskDefinitionId).ContainerDefinitions ?? []) as Expr[];
  return containers.flatMap((container) => {
    const options = (container as { LogConfiguration?: { Options?: Record<string, Expr> } }).LogConfiguration?.Options;
    const group = refTarget(options?.['awslogs-group']);
    return group ? [group] : [];
  });
}

export interface FootprintStack {
  id: StackId;
  template: Template;
  /** Its nested stacks' templates, by the logical id of their AWS::CloudFormation::Stack resource. */
  children?: Readonly<Record<string, Template>>;
}

export interface FargateFootprint {
  tasks: number;
  vcpu: number;
  memoryGb: number;
  services: { stackId: StackId; logicalId: string; count: number; vcpu: number; memoryGb: number; arch: TaskSize['arch']; maximumPercent: number }[];
  /** The largest one-shot task (a task definition no service runs, such as the setup task). */
  oneShotVcpu: number;
  /**
   * vCPU at the peak of an update: ECS starts a service's new tasks (up to MaximumPercent of its
   * count) before it stops the old ones, every service at once in an image update; the setup task
   * runs before them, beside the steady state.
   */
  updatePeakVcpu: number;
  /** vCPU with every autoscaled service (an ECS scalable target) at its maximum, the others steady. */
  ceilingVcpu: number;
}

/** Task definitions no Fargate service runs: one-shot tasks such as the setup task. */
function oneShotSizes(reader: TemplateReader): TaskSize[] {
  const used = new Set(runningServices(reader).map((s) => s.taskDefinition));
  return reader
    .resources()
    .filter(([id, resource]) => resource.Type === 'AWS::ECS::TaskDefinition' && !used.has(id))
    .flatMap(([id]) => taskSize(reader, id) ?? []);
}

/**
 * The Fargate tasks the plan keeps running (one-shot tasks such as the setup task excluded): the
 * vCPU and memory a Fargate quota must allow at once, besides what deployments briefly add.
 */
export function fargateFootprint(stacks: readonly FootprintStack[], region = 'us-east-1'): FargateFootprint {
  const readers = stacks.flatMap((stack) => templateUnits(stack.template, stack.children, region).map(({ reader }) => ({ id: stack.id, reader })));
  const running = readers.flatMap(({ id, reader }) => runningServices(reader).map((s) => ({ id, s })));
  const services = running.map(({ id, s }) => ({
    stackId: id,
    logicalId: s.logicalId,
    count: s.count,
    vcpu: s.size.vcpu * s.count,
    memoryGb: s.size.memoryGb * s.count,
    arch: s.size.arch,
    maximumPercent: s.maximumPercent,
  }));
  const sum = (pick: (s: (typeof services)[number]) => number) => services.reduce((total, s) => total + pick(s), 0);
  // ECS rounds the upper limit down: at 200 % a service of one task runs two while it rolls.
  const rollingExtra = running.reduce((total, { s }) => total + Math.max(0, Math.floor((s.count * s.maximumPercent) / 100) - s.count) * s.size.vcpu, 0);
  const oneShotVcpu = Math.max(0, ...readers.flatMap(({ reader }) => oneShotSizes(reader).map((size) => size.vcpu)));
  const vcpu = sum((s) => s.vcpu);
  const ceilingExtra = readers.reduce((total, { reader }) => total + autoscaledExtra(reader), 0);
  return {
    tasks: sum((s) => s.count),
    vcpu,
    memoryGb: sum((s) => s.memoryGb),
    services,
    oneShotVcpu,
    updatePeakVcpu: vcpu + Math.max(rollingExtra, oneShotVcpu),
    ceilingVcpu: vcpu + ceilingExtra,
  };
}

/** The vCPU a template's ECS scalable targets add above their services' desired counts at their maximum capacity. */
function autoscaledExtra(reader: TemplateReader): number {
  const services = runningServices(reader);
  return reader.resources().reduce((total, [, resource]) => {
    if (resource.Type !== 'AWS::ApplicationAutoScaling::ScalableTarget' || reader.value(resource.Properties?.ScalableDimension) !== 'ecs:service:DesiredCount') return total;
    const target = JSON.stringify(resource.Properties?.ResourceId ?? '');
    const service = services.find((s) => target.includes(`"${s.logicalId}"`));
    const max = Number(reader.value(resource.Properties?.MaxCapacity));
    return service && Number.isFinite(max) ? total + Math.max(0, max - service.count) * service.size.vcpu : total;
  }, 0);
}
