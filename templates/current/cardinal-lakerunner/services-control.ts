// Child services-control: one service, one task, four small essential containers sharing its
// network namespace (admin-api, sweeper, monitoring, alert-evaluator), so each serves health on
// its own port. admin-api has the 9443 listener to itself: it serves its UI at /, which a
// path-prefixed rule on 443 would break.
import { getAtt, ref } from '@/lib/cfn/template';
import { secretKey } from '../../ecs';
import { discoveryService, fargateService, fargateTask, logGroup, pathRule, targetGroup } from '../building-blocks';
import type { ChildDefinition } from '../child';
import { childTags, inputParam, PORTS } from '../shared';
import { INSTALL_ID_PARAMETERS, inputs, inputsMetadata, lakerunnerContainer, subnetsFromCsv } from './common';
import { queryApiInternalUrl } from './services-query';

export const ADMIN_API_PRIORITY = 1;

export const servicesControlChild: ChildDefinition = {
  meta: { id: 'services-control', logicalId: 'Control', file: 'cardinal-lakerunner/services-control', title: 'Control tier' },
  parameters: [
    ...INSTALL_ID_PARAMETERS,
    inputs.clusterArn(),
    inputs.clusterName(),
    inputs.taskSecurityGroupId(),
    inputs.executionRoleArn(),
    inputs.taskRoleArn(),
    inputs.privateSubnetsCsv(),
    inputs.dbEndpoint(),
    inputs.dbPort(),
    inputs.dbSecretArn(),
    inputs.httpsListenerArn({ description: "ARN of the app load balancer's 443 listener; the control tier attaches nothing there and records it in its service metadata." }),
    inputParam('AdminHttpsListenerArn', 'Admin HTTPS listener ARN', "ARN of the load balancer's 9443 listener admin-api serves on."),
    inputs.adminApiKeySecretArn(),
    inputs.vpcId(),
    inputs.serviceNamespaceName(),
    inputs.serviceNamespaceId(),
    inputs.bucketName(),
    inputs.licenseSecretArn(),
    inputs.selfTelemetryEndpoint(),
    inputs.selfTelemetryEnabled(),
    inputs.migrationComplete(),
    inputs.lakerunnerImage(),
  ],
  build: () => ({
    Description: 'Cardinal services-control: a single ECS service running one task with four containers (admin-api, sweeper, monitoring, alert-evaluator).',
    Resources: {
      AdminApiLogGroup: logGroup(childTags('admin-api-logs', 'control'), '/cardinal/admin-api'),
      SweeperLogGroup: logGroup(childTags('sweeper-logs', 'control'), '/cardinal/sweeper'),
      MonitoringLogGroup: logGroup(childTags('monitoring-logs', 'control'), '/cardinal/monitoring'),
      AlertEvaluatorLogGroup: logGroup(childTags('alert-evaluator-logs', 'control'), '/cardinal/alert-evaluator'),
      AdminApiTargetGroup: targetGroup({
        port: PORTS.adminApi,
        vpcId: ref('VpcId'),
        healthPath: '/healthz',
        healthPort: PORTS.health,
        tags: childTags('admin-api-tg', 'control'),
      }),
      AdminApiHttpsListenerRule: pathRule(ref('AdminHttpsListenerArn'), ADMIN_API_PRIORITY, ['/*'], 'AdminApiTargetGroup'),
      AdminApiDiscoveryService: discoveryService('admin-api', ref('ServiceNamespaceId'), childTags('admin-api-discovery', 'control')),
      ControlTaskDef: fargateTask({
        cpu: '256',
        memory: '512',
        executionRoleArn: ref('ExecutionRoleArn'),
        taskRoleArn: ref('TaskRoleArn'),
        tags: childTags('control-task', 'control'),
        containers: [
          lakerunnerContainer({
            name: 'admin-api',
            command: ['admin-api', 'serve'],
            logGroup: 'AdminApiLogGroup',
            ports: [PORTS.adminApi, PORTS.health],
            environment: { HEALTH_CHECK_PORT: String(PORTS.health) },
            // Seeds admin-api's first valid admin key.
            secrets: { ADMIN_INITIAL_API_KEY: secretKey(ref('AdminApiKeySecretArn'), 'key') },
          }),
          lakerunnerContainer({
            name: 'sweeper',
            command: ['sweeper'],
            logGroup: 'SweeperLogGroup',
            environment: { HEALTH_CHECK_PORT: String(PORTS.sweeperHealth) },
          }),
          lakerunnerContainer({
            name: 'monitoring',
            command: ['monitoring', 'serve'],
            logGroup: 'MonitoringLogGroup',
            environment: { HEALTH_CHECK_PORT: String(PORTS.monitoringHealth) },
          }),
          lakerunnerContainer({
            name: 'alert-evaluator',
            command: ['alert-evaluator'],
            logGroup: 'AlertEvaluatorLogGroup',
            environment: { ALERT_EVALUATOR_QUERY_API_URL: queryApiInternalUrl(), HEALTH_CHECK_PORT: String(PORTS.alertEvaluatorHealth) },
          }),
        ],
      }),
      ControlService: {
        ...fargateService({
          cluster: ref('ClusterArn'),
          taskDefinition: 'ControlTaskDef',
          desiredCount: 1,
          subnets: subnetsFromCsv(),
          securityGroup: ref('TaskSecurityGroupId'),
          loadBalancers: [{ container: 'admin-api', port: PORTS.adminApi, targetGroup: 'AdminApiTargetGroup' }],
          gracePeriod: 60,
          registry: 'AdminApiDiscoveryService',
          dependsOn: ['AdminApiHttpsListenerRule'],
          tags: childTags('control', 'control'),
        }),
        Metadata: inputsMetadata('MigrationComplete', 'HttpsListenerArn'),
      },
    },
    Outputs: {
      ControlServiceName: { Description: 'Generated name of the control ECS service.', Value: getAtt('ControlService', 'Name') },
    },
  }),
};
