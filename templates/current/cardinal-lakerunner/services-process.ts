// Child services-process: pubsub-sqs, which polls the satellite queue through the assumed access
// role, and process-logs/metrics/traces, which autoscale on CPU from one task up to their
// *Replicas ceiling. Created at one task each, so a deploy never starts the ceiling's worth.
import { getAtt, ref, sub, type Resource } from '@/lib/cfn/template';
import { fargateService, fargateTask, logGroup } from '../building-blocks';
import type { ChildDefinition } from '../child';
import { childTags, countParam, inputParam, sizeParam } from '../shared';
import { inputs, lakerunnerContainer, migrationSentinel, subnetsFromCsv, tierDataInputs, tierInputs } from './common';

/** Target-tracking goal for the process workers' average CPU (percent). */
export const PROCESS_CPU_TARGET = 50;
export const PROCESS_TASK_CPU = '1024';
/** Bytes of the compacted files the process workers aim for. */
const COMPACT_TARGET_FILE_SIZE = '2097152';

export interface ProcessWorker {
  /** Logical-id prefix and parameter prefix: ProcessLogs → ProcessLogsReplicas, ProcessLogsMemory. */
  id: 'ProcessLogs' | 'ProcessMetrics' | 'ProcessTraces';
  name: string;
  /** Parameter group of its ceiling and memory. */
  group: string;
  memory: number;
  environment: Record<string, string>;
}

export const PROCESS_WORKERS: readonly ProcessWorker[] = [
  {
    id: 'ProcessLogs',
    name: 'process-logs',
    group: 'Process Logs tunables',
    memory: 4096,
    environment: {
      LAKERUNNER_PROCESSING_LOGS_COMPACT_TARGET_FILE_SIZE: COMPACT_TARGET_FILE_SIZE,
      LAKERUNNER_LOG_TRACKED_FIELDS: 'service_name,environment_type,installation,proc_name,partition_id',
    },
  },
  {
    id: 'ProcessMetrics',
    name: 'process-metrics',
    group: 'Process Metrics tunables',
    memory: 4096,
    environment: { LAKERUNNER_PROCESSING_METRICS_COMPACT_TARGET_FILE_SIZE: COMPACT_TARGET_FILE_SIZE },
  },
  {
    id: 'ProcessTraces',
    name: 'process-traces',
    group: 'Process Traces tunables',
    memory: 2048,
    environment: { LAKERUNNER_PROCESSING_TRACES_COMPACT_TARGET_FILE_SIZE: COMPACT_TARGET_FILE_SIZE },
  },
];

const workerParameters = (w: ProcessWorker) => [
  countParam(
    `${w.id}Replicas`,
    `Most ${w.name} tasks`,
    `The autoscaling ceiling of ${w.name}: it runs 1 task and adds tasks up to this many while its CPU stays above ${PROCESS_CPU_TARGET}%.`,
    10,
    { group: w.group },
  ),
  sizeParam(`${w.id}Memory`, `Memory of ${w.name} (MiB)`, `Memory of a ${w.name} task in MiB, with ${Number(PROCESS_TASK_CPU) / 1024} vCPU.`, w.memory, { group: w.group }),
];

function workerResources(w: ProcessWorker): Record<string, Resource> {
  const service = `${w.id}Service`;
  return {
    [`${w.id}LogGroup`]: logGroup(childTags(`${w.name}-logs`, 'process'), `/cardinal/${w.name}`),
    [`${w.id}TaskDef`]: fargateTask({
      cpu: PROCESS_TASK_CPU,
      memory: ref(`${w.id}Memory`),
      executionRoleArn: ref('ExecutionRoleArn'),
      taskRoleArn: ref('TaskRoleArn'),
      tags: childTags(`${w.name}-task`, 'process'),
      containers: [lakerunnerContainer({ name: w.name, command: [w.name], logGroup: `${w.id}LogGroup`, environment: w.environment })],
    }),
    [service]: {
      ...fargateService({
        cluster: ref('ClusterArn'),
        taskDefinition: `${w.id}TaskDef`,
        desiredCount: 1,
        subnets: subnetsFromCsv(),
        securityGroup: ref('TaskSecurityGroupId'),
        tags: childTags(w.name, 'process'),
      }),
      Metadata: migrationSentinel(),
    },
    // Uses the ECS application-autoscaling service-linked role (no RoleARN).
    [`${w.id}ScalableTarget`]: {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: sub('service/${ClusterName}/${Service}', { Service: getAtt(service, 'Name') }),
        MinCapacity: 1,
        MaxCapacity: ref(`${w.id}Replicas`),
      },
    },
    [`${w.id}CpuScalingPolicy`]: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: {
        PolicyName: sub('${Service}-cpu', { Service: getAtt(service, 'Name') }),
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: ref(`${w.id}ScalableTarget`),
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: PROCESS_CPU_TARGET,
        },
      },
    },
  };
}

export const servicesProcessChild: ChildDefinition = {
  meta: { id: 'services-process', logicalId: 'Process', file: 'cardinal-lakerunner/services-process', title: 'Process tier' },
  parameters: [
    ...tierInputs(),
    ...tierDataInputs(),
    ...PROCESS_WORKERS.flatMap(workerParameters),
    countParam('PubsubSqsReplicas', 'Pubsub-SQS tasks', 'How many pubsub-sqs tasks poll the queue (not autoscaled).', 1, { group: 'Pubsub-SQS tunables' }),
    inputParam('QueueUrl', 'Queue URL', "URL of the satellite's raw-ingest SQS queue pubsub-sqs polls; empty leaves pubsub-sqs idle.", {
      group: 'Pubsub-SQS tunables',
      default: '',
    }),
    inputParam('QueueRoleArn', 'Queue role ARN', "ARN of the satellite's access role pubsub-sqs assumes to read the queue and the raw bucket.", {
      group: 'Pubsub-SQS tunables',
      default: '',
    }),
    inputs.lakerunnerImage(),
  ],
  build: () => ({
    Description: 'Cardinal services-process: the pubsub-sqs and process-logs/metrics/traces ECS services; none attaches to the load balancer.',
    Resources: {
      ...Object.assign({}, ...PROCESS_WORKERS.map(workerResources)),
      PubsubSqsLogGroup: logGroup(childTags('pubsub-sqs-logs', 'process'), '/cardinal/pubsub-sqs'),
      PubsubSqsTaskDef: fargateTask({
        cpu: PROCESS_TASK_CPU,
        memory: '2048',
        executionRoleArn: ref('ExecutionRoleArn'),
        taskRoleArn: ref('TaskRoleArn'),
        tags: childTags('pubsub-sqs-task', 'process'),
        containers: [
          lakerunnerContainer({
            name: 'pubsub-sqs',
            command: ['pubsub', 'sqs'],
            logGroup: 'PubsubSqsLogGroup',
            // Plain variables: the image is distroless, so no shell could export them.
            environment: { SQS_QUEUE_URL: ref('QueueUrl'), SQS_REGION: ref('AWS::Region'), SQS_ROLE_ARN: ref('QueueRoleArn') },
          }),
        ],
      }),
      PubsubSqsService: {
        ...fargateService({
          cluster: ref('ClusterArn'),
          taskDefinition: 'PubsubSqsTaskDef',
          desiredCount: ref('PubsubSqsReplicas'),
          subnets: subnetsFromCsv(),
          securityGroup: ref('TaskSecurityGroupId'),
          tags: childTags('pubsub-sqs', 'process'),
        }),
        Metadata: migrationSentinel(),
      },
    },
    Outputs: {
      ...Object.fromEntries(
        PROCESS_WORKERS.map((w) => [`${w.id}ServiceName`, { Description: `Generated name of the ${w.name} ECS service.`, Value: getAtt(`${w.id}Service`, 'Name') }]),
      ),
      PubsubSqsServiceName: { Description: 'Generated name of the pubsub-sqs ECS service.', Value: getAtt('PubsubSqsService', 'Name') },
    },
  }),
};
