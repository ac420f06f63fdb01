// Pricing rules for compute: Fargate services (vCPU and memory by CPU architecture), the one-shot
// setup task each deployment runs, and the Lambda function that runs it.
import { refTarget, type TemplateReader } from '@/lib/cfn/resolve';
import { logGroupsOf, runningServices, taskSize, type TaskSize } from '../fargate';
import { HOURS_PER_MONTH, num, THUMB, type Charge, type Rule } from '../model';
import type { PriceKey } from '../prices';

const n = (value: number) => num(value, 3);

/** vCPU and memory charges (plus storage beyond the included 20 GB) for `hours` task-hours of one size. */
export function fargateCharges(size: TaskSize, hours: number, what: string, kind: Charge['kind']): Charge[] {
  const arch = size.arch === 'arm64' ? 'ARM64' : 'x86';
  const charges: Charge[] = [
    { counted: `${arch} vCPU: ${what} × ${n(size.vcpu)} vCPU`, quantity: size.vcpu * hours, price: `fargate.${size.arch}.vcpuHour` as PriceKey, kind },
    { counted: `${arch} memory: ${what} × ${n(size.memoryGb)} GB`, quantity: size.memoryGb * hours, price: `fargate.${size.arch}.gbHour` as PriceKey, kind },
  ];
  if (size.extraStorageGb > 0)
    charges.push({ counted: `Ephemeral storage beyond 20 GB: ${what} × ${n(size.extraStorageGb)} GB`, quantity: size.extraStorageGb * hours, price: 'fargate.ephemeralGbHour', kind });
  return charges;
}

const setupHoursPerMonth = () => (Math.max(1, THUMB.setupTaskMinutes) / 60) * THUMB.deploymentsPerMonth;

export const COMPUTE_RULES: Record<string, Rule> = {
  'AWS::ECS::Service': {
    charges: ({ reader, logicalId }) => {
      const service = runningServices(reader).find((s) => s.logicalId === logicalId);
      if (!service) return { unpriced: 'Only Fargate services with a known task size are priced.' };
      const tasks = `${service.count} task${service.count === 1 ? '' : 's'} × ${HOURS_PER_MONTH} h`;
      const charges = fargateCharges(service.size, service.count * HOURS_PER_MONTH, tasks, 'fixed');
      if (service.publicIp) charges.push({ counted: `Public IPv4: ${tasks}`, quantity: service.count * HOURS_PER_MONTH, price: 'ipv4.hour', kind: 'fixed' });
      return charges;
    },
  },
  'Custom::SetupTask': {
    charges: ({ reader, resource }) => {
      const taskDefinition = refTarget(resource.Properties?.TaskDefinition);
      const size = taskDefinition && taskSize(reader, taskDefinition);
      if (!size) return { unpriced: 'The setup task definition has no known size.' };
      return fargateCharges(size, setupHoursPerMonth(), `${THUMB.deploymentsPerMonth} run × ${THUMB.setupTaskMinutes} min`, 'usage');
    },
  },
  'AWS::Lambda::Function': {
    charges: ({ reader, logicalId, resource }) => {
      const backsCustomResource = reader.resources().some(([, r]) => {
        const token = r.Properties?.ServiceToken as { 'Fn::GetAtt'?: [string, string] } | undefined;
        return r.Type.startsWith('Custom::') && token?.['Fn::GetAtt']?.[0] === logicalId;
      });
      if (!backsCustomResource) return { unpriced: 'Only functions that back a custom resource (invoked once per deployment) are priced.' };
      const memoryGb = Number(reader.value(resource.Properties?.MemorySize) ?? 128) / 1024;
      const arch = (reader.value(resource.Properties?.Architectures) as unknown[] | undefined)?.[0] === 'arm64' ? 'arm64' : 'x86_64';
      const seconds = THUMB.setupTaskMinutes * 60 * THUMB.deploymentsPerMonth;
      return [
        { counted: `Requests: ${THUMB.deploymentsPerMonth} invocation per deployment`, quantity: THUMB.deploymentsPerMonth / 1e6, price: 'lambda.requestMillion', kind: 'usage' },
        {
          counted: `Duration: waits ${THUMB.setupTaskMinutes} min for the setup task × ${n(memoryGb)} GB`,
          quantity: seconds * memoryGb,
          price: `lambda.${arch}GbSecond` as PriceKey,
          kind: 'usage',
        },
      ];
    },
  },
  'AWS::ECS::TaskDefinition': { free: 'A task definition costs nothing itself; the service or setup task that runs it is priced.' },
  'AWS::ECS::Cluster': { free: 'An ECS cluster has no charge; its Fargate tasks are priced on their services.' },
};

/** Running tasks per log group id: what each group's log volume scales with. */
export function tasksByLogGroup(reader: TemplateReader): Map<string, number> {
  const tasks = new Map<string, number>();
  for (const service of runningServices(reader))
    for (const group of new Set(logGroupsOf(reader, service.taskDefinition))) tasks.set(group, (tasks.get(group) ?? 0) + service.count);
  return tasks;
}
