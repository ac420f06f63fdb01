// cardinal-poc-ecs-cluster (ours, for proofs of concept): the ECS cluster a customer otherwise
// brings. Every Lakerunner service asks for the FARGATE capacity provider, which ECS accepts only
// when it is associated with the cluster; FARGATE_SPOT is associated too, for later use.
import { getAtt, ref, sub } from '@/lib/cfn/template';
import { defineStack } from '../stack';
import type { CurrentStackId } from './ids';
import { cardinalTags } from './shared';

export const CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'] as const;

export const clusterStack = defineStack<CurrentStackId>({
  id: 'cluster',
  stem: 'cardinal-poc-ecs-cluster',
  aliases: [],
  title: 'ECS cluster (proof of concept)',
  purpose: 'Creates an ECS cluster with the FARGATE and FARGATE_SPOT capacity providers, for a proof of concept in an account without a cluster ready.',
  inclusion: 'toggle',
  lossOnDelete: 'No Lakerunner data; a cluster can be deleted only once no service runs in it.',
  needs: [],
  after: [],
  inputs: {},
  rules: [],
  parameters: [
    {
      key: 'EnvironmentName',
      type: 'String',
      label: 'Environment name',
      description: 'Prefix of the cluster\'s Name tag.',
      group: 'Cluster',
      default: 'cardinal-poc',
      allowedPattern: '^[a-zA-Z][a-zA-Z0-9-]*$',
      maxLength: 64,
      constraintDescription: 'Environment name must start with a letter and contain only letters, digits and hyphens (at most 64).',
    },
    {
      key: 'ContainerInsights',
      type: 'String',
      label: 'Container Insights',
      description: 'enabled collects per-task CPU, memory and network metrics in CloudWatch (charged as custom metrics); disabled keeps ECS\'s free service metrics only.',
      group: 'Cluster',
      default: 'disabled',
      allowedValues: ['enabled', 'disabled'],
      constraintDescription: 'Container Insights must be enabled or disabled.',
    },
  ],
  build: () => ({
    Description: 'Cardinal proof-of-concept ECS cluster with the FARGATE and FARGATE_SPOT capacity providers associated.',
    Resources: {
      Cluster: {
        Type: 'AWS::ECS::Cluster',
        Properties: {
          CapacityProviders: [...CAPACITY_PROVIDERS],
          DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
          ClusterSettings: [{ Name: 'containerInsights', Value: ref('ContainerInsights') }],
          Tags: cardinalTags(sub('${EnvironmentName}-cluster'), 'compute', 'cardinal-cfn-poc'),
        },
      },
    },
    Outputs: {
      ClusterName: { Description: 'Name of the ECS cluster.', Value: ref('Cluster') },
      ClusterArn: { Description: 'ARN of the ECS cluster.', Value: getAtt('Cluster', 'Arn') },
    },
  }),
});
