// What a deployment looks like right now in AWS: each stack's live status and outputs, links to
// the AWS console, and the access points a user needs once it is deployed.
import 'server-only';
import { AwsError } from '@/lib/aws/errors';
import { planStacks } from '@/lib/params/plan';
import type { Deployment } from '@/lib/store/deployments';
import { STACKS } from '@/templates';
import { INGEST_PREFIXES } from '@/templates/common';
import { toMeta, type StackId } from '@/templates/stack';
import { describeStack } from './cfn';
import { contextFor } from './engine';

export interface LiveStack {
  id: StackId;
  title: string;
  stackName: string;
  status: string;
  arn?: string;
  consoleUrl?: string;
  outputs: Record<string, string>;
}

export interface AccessPoints {
  grafana?: { url: string; user: string; secretArn: string };
  queryApiUrl?: string;
  bucket?: { name: string; prefixes: readonly string[] };
  collectorEndpoint?: string;
}

export interface Overview {
  stacks: LiveStack[];
  accessPoints: AccessPoints;
  /** Set when AWS could not be asked (no access, expired credentials…). */
  problem?: string;
}

export const stackConsoleUrl = (region: string, arn: string) =>
  `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/stackinfo?stackId=${encodeURIComponent(arn)}`;

/**
 * The URLs are the common stack's outputs (it owns the load balancer, its certificate and domain
 * name), shown once the stack behind them is deployed; stacks made from older templates carried
 * them themselves.
 */
export function accessPointsOf(outputs: Partial<Record<StackId, Record<string, string>>>): AccessPoints {
  const points: AccessPoints = {};
  const { grafana, services, common } = outputs;
  const grafanaUrl = grafana?.GrafanaUrl ?? common?.GrafanaUrl;
  if (grafanaUrl && grafana?.GrafanaAdminSecretArn)
    points.grafana = { url: grafanaUrl, user: grafana.GrafanaAdminUser ?? 'lakerunner', secretArn: grafana.GrafanaAdminSecretArn };
  const queryApiUrl = services?.QueryApiUrl ?? (services?.ExecutionRoleArn ? common?.QueryApiUrl : undefined);
  if (queryApiUrl) points.queryApiUrl = queryApiUrl;
  if (outputs.common?.BucketName) points.bucket = { name: outputs.common.BucketName, prefixes: INGEST_PREFIXES };
  if (outputs.otel?.HttpEndpoint) points.collectorEndpoint = outputs.otel.HttpEndpoint;
  return points;
}

export async function deploymentOverview(deployment: Deployment, username: string): Promise<Overview> {
  const metas = STACKS.map(toMeta);
  const planned = planStacks(deployment.plan, metas);
  try {
    const context = await contextFor(deployment, username);
    const stacks = await Promise.all(
      planned.map(async (s): Promise<LiveStack> => {
        const state = await describeStack(context.cloudFormation, s.stackName);
        const exists = state && state.status !== 'REVIEW_IN_PROGRESS';
        return {
          id: s.meta.id,
          title: s.meta.title,
          stackName: s.stackName,
          status: exists ? state.status : 'NOT_DEPLOYED',
          arn: exists ? state.arn : undefined,
          consoleUrl: exists ? stackConsoleUrl(deployment.region, state.arn) : undefined,
          outputs: exists ? state.outputs : {},
        };
      }),
    );
    return { stacks, accessPoints: accessPointsOf(Object.fromEntries(stacks.map((s) => [s.id, s.outputs]))) };
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return {
      stacks: planned.map((s) => ({ id: s.meta.id, title: s.meta.title, stackName: s.stackName, status: 'UNKNOWN', outputs: {} })),
      accessPoints: {},
      problem: error.message,
    };
  }
}
