import { describe, expect, it } from 'vitest';
import type { Expr } from '@/lib/cfn/template';
import { isRequired } from '@/lib/params/spec';
import { demoStack } from './demo';
import { isValidFargateSize } from './ecs';
import { renderTemplate } from './stack';

type Container = { Name: string; Environment: { Name: string; Value: Expr }[]; HealthCheck?: { Command: string[] }; PortMappings?: unknown[] };

const template = renderTemplate(demoStack);
const props = (id: string) => {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  return resource.Properties as Record<string, unknown>;
};
const taskDefinition = props('SampleAppTaskDefinition');
const [app] = taskDefinition.ContainerDefinitions as Container[];
const env = Object.fromEntries((app?.Environment ?? []).map((e) => [e.Name, e.Value]));
const importOf = (param: string, name: string) => ({ 'Fn::ImportValue': { 'Fn::Sub': `\${${param}}-${name}` } });

describe('the demo apps stack', () => {
  it('takes the three stack names from the plan, and requires them when deployed by hand', () => {
    expect(demoStack.inputs).toEqual({
      CommonInfraStackName: { stackName: 'common' },
      ServicesStackName: { stackName: 'services' },
      OtelCollectorStackName: { stackName: 'otel' },
    });
    expect(demoStack.needs).toEqual(['common', 'services', 'otel']);
    for (const key of Object.keys(demoStack.inputs)) {
      const spec = demoStack.parameters.find((p) => p.key === key);
      expect(spec && isRequired(spec), key).toBe(true);
    }
  });

  it('sends OTLP/HTTP to the endpoint the collector stack exports', () => {
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toEqual(importOf('OtelCollectorStackName', 'HttpEndpoint'));
    expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('http/protobuf');
    expect(env.OTEL_SERVICE_NAME).toBe('sample-app');
  });

  it("runs with the services stack's execution role and no task role, so ECS Exec stays off", () => {
    expect(taskDefinition.ExecutionRoleArn).toEqual(importOf('ServicesStackName', 'ExecutionRoleArn'));
    expect(taskDefinition).not.toHaveProperty('TaskRoleArn');
    expect(props('SampleAppService').EnableExecuteCommand).toBe(false);
    expect(Object.values(template.Resources).map((r) => r.Type)).not.toContain('AWS::IAM::Role');
  });

  it('runs on the common cluster, private subnets and task security group, without a public IP', () => {
    const service = props('SampleAppService');
    expect(service.Cluster).toEqual(importOf('CommonInfraStackName', 'ClusterArn'));
    expect((service.NetworkConfiguration as { AwsvpcConfiguration: unknown }).AwsvpcConfiguration).toEqual({
      AssignPublicIp: 'DISABLED',
      Subnets: { 'Fn::Split': [',', importOf('CommonInfraStackName', 'PrivateSubnets')] },
      SecurityGroups: [importOf('CommonInfraStackName', 'TaskSecurityGroupId')],
    });
  });

  it('uses a valid Fargate size and a health check ECS accepts', () => {
    expect(isValidFargateSize(Number(taskDefinition.Cpu), Number(taskDefinition.Memory))).toBe(true);
    expect(app?.HealthCheck?.Command).toEqual(['CMD-SHELL', 'curl -fsS http://localhost:8080/health > /dev/null || exit 1']);
  });

  it('outputs the service ARN without exporting it', () => {
    expect(template.Outputs?.SampleAppServiceArn).toEqual({ Description: expect.any(String), Value: { Ref: 'SampleAppService' } });
  });
});
