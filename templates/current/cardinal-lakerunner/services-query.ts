// Child services-query: query-api behind the 443 listener and in Cloud Map (query-api.<namespace>),
// and the query workers it finds through the ECS API. The workers get 100 GiB of ephemeral storage
// (upstream's defaults ask for it but no generator applies it; Fargate's default is 20 GiB).
import { getAtt, ref, sub } from '@/lib/cfn/template';
import { discoveryService, fargateService, fargateTask, logGroup, pathRule, targetGroup } from '../building-blocks';
import type { ChildDefinition } from '../child';
import { childTags, countParam, PORTS, sizeParam } from '../shared';
import { inputs, lakerunnerContainer, migrationSentinel, subnetsFromCsv, tierDataInputs, tierInputs } from './common';

export const QUERY_WORKER_EPHEMERAL_GIB = 100;

/** Listener rule priorities on the 443 listener (unique across every child that attaches there). */
export const QUERY_PRIORITIES = { api: 100, apiExtra: 105 } as const;
export const QUERY_API_PATHS = ['/api/v1/logs/*', '/api/v1/metrics/*', '/api/v1/spans/*', '/api/v1/promql/*', '/api/v1/logql/*'] as const;
export const QUERY_API_EXTRA_PATHS = ['/api/v1/ping', '/api/v1/services', '/api/v1/features'] as const;

const tunable = (group: string) => ({ group });

export const servicesQueryChild: ChildDefinition = {
  meta: { id: 'services-query', logicalId: 'Query', file: 'cardinal-lakerunner/services-query', title: 'Query tier' },
  parameters: [
    ...tierInputs(),
    inputs.httpsListenerArn(),
    inputs.vpcId(),
    inputs.serviceNamespaceId(),
    ...tierDataInputs(),
    countParam('QueryApiReplicas', 'Query API tasks', 'How many query-api tasks run.', 2, tunable('Query API tunables')),
    sizeParam('QueryApiCpu', 'Query API CPU units', 'CPU units of a query-api task.', 1024, tunable('Query API tunables')),
    sizeParam('QueryApiMemory', 'Query API memory (MiB)', 'Memory of a query-api task in MiB.', 2048, tunable('Query API tunables')),
    countParam('QueryWorkerReplicas', 'Query worker tasks', 'How many query-worker tasks run.', 4, tunable('Query Worker tunables')),
    sizeParam('QueryWorkerCpu', 'Query worker CPU units', 'CPU units of a query-worker task.', 4096, tunable('Query Worker tunables')),
    sizeParam('QueryWorkerMemory', 'Query worker memory (MiB)', 'Memory of a query-worker task in MiB.', 8192, tunable('Query Worker tunables')),
    inputs.lakerunnerImage(),
  ],
  build: () => ({
    Description: 'Cardinal services-query: query-api (behind the load balancer and in Cloud Map) and the internal query-worker ECS services.',
    Resources: {
      QueryWorkerLogGroup: logGroup(childTags('query-worker-logs', 'query'), '/cardinal/query-worker'),
      QueryWorkerTaskDef: fargateTask({
        cpu: ref('QueryWorkerCpu'),
        memory: ref('QueryWorkerMemory'),
        ephemeralStorageGiB: QUERY_WORKER_EPHEMERAL_GIB,
        executionRoleArn: ref('ExecutionRoleArn'),
        taskRoleArn: ref('TaskRoleArn'),
        tags: childTags('query-worker-task', 'query'),
        containers: [
          lakerunnerContainer({
            name: 'query-worker',
            command: ['query-worker'],
            logGroup: 'QueryWorkerLogGroup',
            environment: { LAKERUNNER_QUERY_DISABLE_TABLE_CACHE: 'true', LAKERUNNER_QUERY_MAX_SEGMENTS_PER_WORKER_PER_WAVE: '100' },
          }),
        ],
      }),
      QueryWorkerService: {
        ...fargateService({
          cluster: ref('ClusterArn'),
          taskDefinition: 'QueryWorkerTaskDef',
          desiredCount: ref('QueryWorkerReplicas'),
          subnets: subnetsFromCsv(),
          securityGroup: ref('TaskSecurityGroupId'),
          tags: childTags('query-worker', 'query'),
        }),
        Metadata: migrationSentinel(),
      },
      QueryApiLogGroup: logGroup(childTags('query-api-logs', 'query'), '/cardinal/query-api'),
      QueryApiTargetGroup: targetGroup({
        port: PORTS.queryApi,
        vpcId: ref('VpcId'),
        healthPath: '/healthz',
        healthPort: PORTS.health,
        tags: childTags('query-api-tg', 'query'),
      }),
      QueryApiListenerRule: pathRule(ref('HttpsListenerArn'), QUERY_PRIORITIES.api, QUERY_API_PATHS, 'QueryApiTargetGroup'),
      QueryApiExtraListenerRule: pathRule(ref('HttpsListenerArn'), QUERY_PRIORITIES.apiExtra, QUERY_API_EXTRA_PATHS, 'QueryApiTargetGroup'),
      QueryApiTaskDef: fargateTask({
        cpu: ref('QueryApiCpu'),
        memory: ref('QueryApiMemory'),
        executionRoleArn: ref('ExecutionRoleArn'),
        taskRoleArn: ref('TaskRoleArn'),
        tags: childTags('query-api-task', 'query'),
        containers: [
          lakerunnerContainer({
            name: 'query-api',
            command: ['query-api'],
            logGroup: 'QueryApiLogGroup',
            ports: [PORTS.queryApi, PORTS.health],
            environment: {
              EXECUTION_ENVIRONMENT: 'ecs',
              QUERY_WORKER_CLUSTER_NAME: ref('ClusterName'),
              QUERY_WORKER_SERVICE_NAME: getAtt('QueryWorkerService', 'Name'),
              QUERY_WORKER_PORT: String(PORTS.queryWorkerGrpc),
              HEALTH_CHECK_PORT: String(PORTS.health),
            },
          }),
        ],
      }),
      QueryApiDiscoveryService: discoveryService('query-api', ref('ServiceNamespaceId'), childTags('query-api-discovery', 'query')),
      // ECS rejects a service whose target group no listener uses yet.
      QueryApiService: {
        ...fargateService({
          cluster: ref('ClusterArn'),
          taskDefinition: 'QueryApiTaskDef',
          desiredCount: ref('QueryApiReplicas'),
          subnets: subnetsFromCsv(),
          securityGroup: ref('TaskSecurityGroupId'),
          loadBalancers: [{ container: 'query-api', port: PORTS.queryApi, targetGroup: 'QueryApiTargetGroup' }],
          gracePeriod: 60,
          registry: 'QueryApiDiscoveryService',
          dependsOn: ['QueryApiListenerRule'],
          tags: childTags('query-api', 'query'),
        }),
        Metadata: migrationSentinel(),
      },
    },
    Outputs: {
      QueryApiServiceName: { Description: 'Generated name of the query-api ECS service.', Value: getAtt('QueryApiService', 'Name') },
      QueryWorkerServiceName: { Description: 'Generated name of the query-worker ECS service.', Value: getAtt('QueryWorkerService', 'Name') },
    },
  }),
};

/** The query API's URL inside the VPC, through Cloud Map. */
export const queryApiInternalUrl = () => sub(`http://query-api.\${ServiceNamespaceName}:${PORTS.queryApi}`);
