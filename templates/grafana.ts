// lakerunner-grafana-service: optional Grafana behind the common ALB on port 3000, its data on
// the common EFS (grafana access point), the admin password generated in Secrets Manager and set
// at every start, and the Lakerunner datasource plus the reset token handled by an init container.
import { equals, exported, getAtt, lifecycle, not, ref, sub, tags } from '@/lib/cfn/template';
import {
  allow,
  containerDefinition,
  curlHealthCheck,
  ECS_EXEC_STATEMENT,
  efsClientStatement,
  efsVolume,
  environment,
  executionRole,
  fargateService,
  forwardRule,
  fromCommon,
  ipTargetGroup,
  logGroup,
  secretKey,
  secrets,
  taskDefinition,
  taskRole,
  taskSubnets,
  taskVolume,
} from './ecs';
import { DATASOURCE_PLUGIN_ID, DATASOURCE_PLUGIN_PREINSTALL, GRAFANA_INIT_SCRIPT } from './grafana-init';
import { commonInfraStackName, imageParam, IMAGES, servicesStackName } from './shared';
import { defineStack } from './stack';

export const GRAFANA_PORT = 3000;
export const GRAFANA_ADMIN_USER = 'lakerunner';
const DATA_PATH = '/var/lib/grafana';
const PROVISIONING_PATH = '/etc/grafana/provisioning';

export const grafanaStack = defineStack({
  id: 'grafana',
  stem: 'lakerunner-grafana-service',
  aliases: [],
  title: 'Grafana',
  purpose: 'Runs Grafana on the shared load balancer (port 3000) with the Lakerunner datasource ready to query, its data kept on EFS.',
  inclusion: 'toggle',
  lossOnDelete:
    'Grafana\'s logs and its admin-password secret: the new stack generates a new password, which Grafana takes at its next start; its dashboards and users stay on the file system.',
  needs: ['common'],
  // The datasource queries the services' query API, so Grafana starts once they run.
  after: ['services'],
  inputs: { CommonInfraStackName: { stackName: 'common' }, ServicesStackName: { stackName: 'services' } },
  rules: [],
  parameters: [
    commonInfraStackName(),
    servicesStackName({
      description:
        "Name of the lakerunner-services stack whose query API the datasource queries, as the original README's commands pass it. Grafana reaches the query API through the common stack's load balancer, so the name only tags the Grafana service.",
    }),
    imageParam(
      'GrafanaImage',
      'Grafana image',
      IMAGES.grafana,
      'Grafana 12.1 or later, multi-arch (linux/arm64); its shell also runs the init container that provisions the datasource.',
    ),
    {
      key: 'GrafanaResetToken',
      type: 'String',
      label: 'Grafana reset token',
      description:
        'Set a new value to wipe all Grafana data (dashboards, users, settings) once and start again as the lakerunner admin with the password in Secrets Manager; the same value again, or an empty one, keeps the data.',
      group: 'Grafana',
      default: '',
      allowedPattern: '^[A-Za-z0-9._-]{0,64}$',
      constraintDescription: 'Grafana reset token may contain only letters, digits, dots, underscores and hyphens, at most 64 of them.',
    },
  ],
  build: () => ({
    Description: 'Lakerunner Grafana: Grafana on the common load balancer (port 3000) with the Lakerunner datasource, data on EFS.',
    Conditions: { HasResetToken: not(equals(ref('GrafanaResetToken'), '')) },
    Resources: {
      // Derived: the init container sets Grafana's admin password from it at every start.
      GrafanaAdminSecret: {
        Type: 'AWS::SecretsManager::Secret',
        ...lifecycle('Delete'),
        Properties: {
          Description: sub('Grafana admin user and password for ${AWS::StackName}.'),
          GenerateSecretString: {
            SecretStringTemplate: JSON.stringify({ username: GRAFANA_ADMIN_USER }),
            GenerateStringKey: 'password',
            PasswordLength: 32,
            ExcludePunctuation: true,
          },
        },
      },
      GrafanaLogGroup: logGroup('Delete'),
      GrafanaTargetGroup: ipTargetGroup({ port: GRAFANA_PORT, vpcId: fromCommon('VpcId'), healthPath: '/api/health' }),
      GrafanaListenerRule: forwardRule(fromCommon('GrafanaListenerArn'), 'GrafanaTargetGroup'),
      GrafanaExecutionRole: executionRole([
        allow(['secretsmanager:GetSecretValue'], [ref('GrafanaAdminSecret'), fromCommon('ApiKeysSecretArn')]),
      ]),
      GrafanaTaskRole: taskRole([efsClientStatement(fromCommon('EfsId'), fromCommon('GrafanaAccessPointId')), ECS_EXEC_STATEMENT]),
      GrafanaTaskDefinition: taskDefinition({
        cpu: 512,
        memory: 1024,
        arm64: true,
        executionRoleArn: getAtt('GrafanaExecutionRole', 'Arn'),
        taskRoleArn: getAtt('GrafanaTaskRole', 'Arn'),
        volumes: [efsVolume('grafana-data', fromCommon('EfsId'), fromCommon('GrafanaAccessPointId')), taskVolume('grafana-provisioning')],
        containers: [
          containerDefinition({
            name: 'grafana-init',
            image: ref('GrafanaImage'),
            essential: false,
            // Fargate bind-mount volumes belong to root; on EFS the access point still makes it uid 472.
            user: '0',
            entryPoint: ['sh', '-c'],
            command: [GRAFANA_INIT_SCRIPT],
            logGroup: 'GrafanaLogGroup',
            streamPrefix: 'grafana-init',
            // A changed token changes the task definition, so ECS replaces the running task.
            environment: environment(
              {
                GF_PATHS_DATA: DATA_PATH,
                GF_PATHS_PROVISIONING: PROVISIONING_PATH,
                QUERY_API_URL: fromCommon('QueryApiUrl'),
              },
              [{ condition: 'HasResetToken', name: 'RESET_TOKEN', value: ref('GrafanaResetToken') }],
            ),
            secrets: secrets({
              API_KEYS_ENV: fromCommon('ApiKeysSecretArn'),
              GF_SECURITY_ADMIN_PASSWORD: secretKey(ref('GrafanaAdminSecret'), 'password'),
            }),
            mounts: [
              { volume: 'grafana-data', path: DATA_PATH },
              { volume: 'grafana-provisioning', path: PROVISIONING_PATH },
            ],
          }),
          containerDefinition({
            name: 'grafana',
            image: ref('GrafanaImage'),
            logGroup: 'GrafanaLogGroup',
            streamPrefix: 'grafana',
            dependsOn: [{ container: 'grafana-init', condition: 'SUCCESS' }],
            ports: [GRAFANA_PORT],
            environment: environment({
              GF_SECURITY_ADMIN_USER: GRAFANA_ADMIN_USER,
              GF_SERVER_ROOT_URL: fromCommon('GrafanaUrl'),
              GF_PATHS_DATA: DATA_PATH,
              GF_PATHS_PROVISIONING: PROVISIONING_PATH,
              GF_PLUGINS_PREINSTALL_SYNC: DATASOURCE_PLUGIN_PREINSTALL,
              // The plugin's signature is bound to CardinalHQ's own root URLs.
              GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS: DATASOURCE_PLUGIN_ID,
              GF_ANALYTICS_REPORTING_ENABLED: 'false',
            }),
            secrets: secrets({ GF_SECURITY_ADMIN_PASSWORD: secretKey(ref('GrafanaAdminSecret'), 'password') }),
            mounts: [
              { volume: 'grafana-data', path: DATA_PATH },
              { volume: 'grafana-provisioning', path: PROVISIONING_PATH, readOnly: true },
            ],
            healthCheck: curlHealthCheck(GRAFANA_PORT, '/api/health'),
            // Installing the datasource plugin on first start downloads it from GitHub.
            healthCheckStartPeriod: 120,
          }),
        ],
      }),
      GrafanaService: withSingleWriterDeployments(
        fargateService({
          cluster: fromCommon('ClusterArn'),
          taskDefinition: 'GrafanaTaskDefinition',
          desiredCount: 1,
          subnets: taskSubnets(),
          securityGroups: [fromCommon('TaskSecurityGroupId')],
          loadBalancers: [{ container: 'grafana', port: GRAFANA_PORT, targetGroup: 'GrafanaTargetGroup' }],
          dependsOn: ['GrafanaListenerRule'],
          gracePeriod: 180,
          tags: tags({ 'lakerunner:services-stack': ref('ServicesStackName') }),
        }),
      ),
    },
    Outputs: {
      GrafanaAdminSecretArn: exported(
        'Secrets Manager secret holding the Grafana admin user name and password (key "password").',
        ref('GrafanaAdminSecret'),
        'GrafanaAdminSecretArn',
      ),
      GrafanaAdminUser: { Description: 'Grafana admin user name.', Value: GRAFANA_ADMIN_USER },
      GrafanaServiceArn: { Description: 'ARN of the Grafana ECS service.', Value: ref('GrafanaService') },
    },
  }),
});

/**
 * Grafana keeps SQLite on EFS: two tasks must never share it, and the init container must not
 * wipe it under a running Grafana, so the old task stops before the new one starts.
 */
function withSingleWriterDeployments(service: ReturnType<typeof fargateService>): ReturnType<typeof fargateService> {
  const properties = service.Properties ?? {};
  return {
    ...service,
    Properties: {
      ...properties,
      DeploymentConfiguration: {
        MinimumHealthyPercent: 0,
        MaximumPercent: 100,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      },
    },
  };
}
