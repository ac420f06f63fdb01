// ECS clusters as a preflight reads them: whether one exists, its status and its capacity providers.
import 'server-only';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import type { AwsContext } from './clients';
import { awsCall } from './errors';

export interface ClusterSummary {
  name: string;
  arn: string;
  status: string;
  capacityProviders: string[];
}

/** The cluster by name or ARN, or undefined when ECS reports it MISSING (another account's or region's ARN included). */
export async function describeCluster(context: AwsContext, identifier: string): Promise<ClusterSummary | undefined> {
  const result = await awsCall('DescribeClusters', () => context.ecs.send(new DescribeClustersCommand({ clusters: [identifier] })));
  const cluster = result.clusters?.[0];
  if (!cluster) return undefined;
  return { name: cluster.clusterName ?? identifier, arn: cluster.clusterArn ?? '', status: cluster.status ?? 'UNKNOWN', capacityProviders: cluster.capacityProviders ?? [] };
}
