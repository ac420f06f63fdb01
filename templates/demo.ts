// lakerunner-demo-apps: optional sample applications that send OTLP/HTTP telemetry to the
// collector stack, so a new install has logs and metrics to query. They run on the common
// cluster with the services stack's execution role and need no AWS permissions of their own.
import { importFrom, ref, split, type Resource } from '@/lib/cfn/template';
import { containerDefinition, curlHealthCheck, environment, fargateService, fromCommon, logGroup, taskDefinition } from './ecs';
import { commonInfraStackName, imageParam, IMAGES, otelCollectorStackName, servicesStackName } from './shared';
import { defineStack } from './stack';

interface DemoApp {
  /** Logical-id prefix, e.g. SampleApp. */
  id: string;
  /** Container and OTEL service name. */
  name: string;
  imageParam: string;
  command: string[];
  port: number;
  healthPath: string;
  cpu: number;
  memory: number;
  env: Record<string, string>;
}

const APPS: readonly DemoApp[] = [
  {
    id: 'SampleApp',
    name: 'sample-app',
    imageParam: 'SampleAppImage',
    command: ['./sample-app'],
    port: 8080,
    healthPath: '/health',
    cpu: 512,
    memory: 1024,
    env: { APP_NAME: 'sample-app', LOG_LEVEL: 'info', HTTP_PORT: '8080' },
  },
];

function appResources(app: DemoApp): Record<string, Resource> {
  const logGroupId = `${app.id}LogGroup`;
  return {
    [logGroupId]: logGroup('Delete'),
    [`${app.id}TaskDefinition`]: taskDefinition({
      cpu: app.cpu,
      memory: app.memory,
      arm64: true,
      // No task role: the apps call no AWS API.
      executionRoleArn: importFrom('ServicesStackName', 'ExecutionRoleArn'),
      containers: [
        containerDefinition({
          name: app.name,
          image: ref(app.imageParam),
          command: app.command,
          logGroup: logGroupId,
          streamPrefix: app.name,
          ports: [app.port],
          environment: environment({
            ...app.env,
            OTEL_SERVICE_NAME: app.name,
            OTEL_EXPORTER_OTLP_ENDPOINT: importFrom('OtelCollectorStackName', 'HttpEndpoint'),
            OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
            OTEL_RESOURCE_ATTRIBUTES: `service.name=${app.name}`,
          }),
          healthCheck: curlHealthCheck(app.port, app.healthPath),
        }),
      ],
    }),
    [`${app.id}Service`]: withoutExec(
      fargateService({
        cluster: fromCommon('ClusterArn'),
        taskDefinition: `${app.id}TaskDefinition`,
        desiredCount: 1,
        subnets: split(',', fromCommon('PrivateSubnets')),
        securityGroups: [fromCommon('TaskSecurityGroupId')],
      }),
    ),
  };
}

/** ECS Exec needs ssmmessages on a task role; the demo has no task role, so it stays off. */
function withoutExec(service: Resource): Resource {
  return { ...service, Properties: { ...service.Properties, EnableExecuteCommand: false } };
}

export const demoStack = defineStack({
  id: 'demo',
  stem: 'lakerunner-demo-apps',
  aliases: [],
  title: 'Demo apps',
  purpose: 'Runs a sample application that sends logs and metrics through the OTEL collector, to try Lakerunner with live data.',
  inclusion: 'toggle',
  lossOnDelete: 'Only the sample app\'s logs.',
  needs: ['common', 'services', 'otel'],
  after: ['services', 'otel'],
  inputs: {
    CommonInfraStackName: { stackName: 'common' },
    ServicesStackName: { stackName: 'services' },
    OtelCollectorStackName: { stackName: 'otel' },
  },
  rules: [],
  parameters: [
    commonInfraStackName(),
    servicesStackName({ description: 'Name of the lakerunner-services stack whose task execution role the demo apps run with.' }),
    otelCollectorStackName(),
    imageParam(
      'SampleAppImage',
      'Sample app image',
      IMAGES.sampleApp,
      'Image of the sample application (linux/arm64) that emits OpenTelemetry logs and metrics.',
    ),
  ],
  build: () => ({
    Description: 'Lakerunner demo apps: a sample application sending OTLP/HTTP telemetry to the Lakerunner OTEL collector.',
    Resources: Object.assign({}, ...APPS.map(appResources)),
    Outputs: Object.fromEntries(
      APPS.map((app) => [
        `${app.id}ServiceArn`,
        { Description: `ARN of the ${app.name} ECS service.`, Value: ref(`${app.id}Service`) },
      ]),
    ),
  }),
});
