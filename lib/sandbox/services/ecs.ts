// ECS's read side over JSON 1.1 (x-amz-target AmazonEC2ContainerServiceV20141113.*): DescribeClusters
// and ListClusters for the caller's account and region — the clusters its stacks created and the
// customer-owned ones seeded in process or over the control API — with their capacity providers,
// status, settings, tags and service counts, for preflights. Seeding lives here too.
import { isObject, listOf, propString, type JsonObject } from '../cfn/json';
import type { ResourceState } from '../cfn/model';
import { AwsError } from '../core/errors';
import { SEEDED_OWNER as SEEDED, type ClusterState, type RegionState } from '../core/state';
import { clusterCapacityProviders, lastSegment, liveResources } from '../resources/live';

type Body = Record<string, unknown>;

interface ClusterView {
  clusterName: string;
  status: ClusterState['status'];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: ClusterState['defaultCapacityProviderStrategy'];
  settings: ClusterState['settings'];
  tags: ClusterState['tags'];
}

const FIELDS = ['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'];
const STATUSES: readonly ClusterState['status'][] = ['ACTIVE', 'PROVISIONING', 'DEPROVISIONING', 'FAILED', 'INACTIVE'];
const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const PROVIDER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const CLUSTER_ARN = /^arn:aws[\w-]*:ecs:([a-z0-9-]+):(\d{12}):cluster\/([a-zA-Z0-9_-]{1,255})$/;
const PAGE = 100;

const invalid = (message: string) => new AwsError('InvalidParameterException', message);
const clusterArn = (region: string, account: string, name: string) => `arn:aws:ecs:${region}:${account}:cluster/${name}`;

function strategyOf(value: unknown): ClusterState['defaultCapacityProviderStrategy'] {
  return listOf(value as JsonObject[] | undefined)
    .filter(isObject)
    .map((item) => ({ capacityProvider: String(item.CapacityProvider ?? ''), weight: Number(item.Weight ?? 0), base: Number(item.Base ?? 0) }));
}

/** A cluster some stack created, as ECS describes it. */
function stackCluster(r: RegionState, resource: ResourceState): ClusterView {
  const p = resource.properties;
  const name = resource.physicalId!;
  const association = liveResources(r, 'AWS::ECS::ClusterCapacityProviderAssociations').find((a) => a.physicalId === name);
  const settings = listOf(p.ClusterSettings)
    .filter(isObject)
    .map((s) => ({ name: String(s.Name ?? ''), value: String(s.Value ?? '') }));
  return {
    clusterName: name,
    status: 'ACTIVE',
    capacityProviders: [...clusterCapacityProviders(r, name)],
    defaultCapacityProviderStrategy: strategyOf(association?.properties.DefaultCapacityProviderStrategy ?? p.DefaultCapacityProviderStrategy),
    settings: settings.length ? settings : [{ name: 'containerInsights', value: 'disabled' }],
    tags: listOf(p.Tags)
      .filter(isObject)
      .map((t) => ({ key: String(t.Key ?? ''), value: String(t.Value ?? '') })),
  };
}

/** Every cluster of the region: seeded ones first, then the stacks'. */
function clusters(r: RegionState): ClusterView[] {
  // A stack may associate more providers with a seeded cluster; an inactive one keeps what it was seeded with.
  const seeded = r.clusters.map((c) => ({ ...c, capacityProviders: c.status === 'INACTIVE' ? [...c.capacityProviders] : [...clusterCapacityProviders(r, c.clusterName)] }));
  const fromStacks = liveResources(r, 'AWS::ECS::Cluster')
    .filter((c) => !seeded.some((s) => s.clusterName === c.physicalId))
    .map((c) => stackCluster(r, c));
  return [...seeded, ...fromStacks];
}

/** The live services of a cluster: ECS counts them, and their desired tasks as running (nothing runs in the sandbox, but nothing fails either). */
function servicesOf(r: RegionState, name: string): ResourceState[] {
  return liveResources(r, 'AWS::ECS::Service').filter((s) => lastSegment(propString(s.properties, 'Cluster') ?? 'default') === name);
}

function stringList(body: Body, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new AwsError('SerializationException', `${key} must be a list of strings`);
  return value as string[];
}

function describeClusters(body: Body, r: RegionState, region: string, account: string): Body {
  const wanted = stringList(body, 'clusters') ?? ['default'];
  if (wanted.length > 100) throw invalid('clusters can have at most 100 items.');
  const include = stringList(body, 'include') ?? [];
  const unknown = include.find((field) => !FIELDS.includes(field));
  if (unknown) {
    throw new AwsError('ValidationException', `1 validation error detected: Value '[${include.join(', ')}]' at 'include' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${FIELDS.join(', ')}]]`);
  }
  const all = clusters(r);
  const found: Body[] = [];
  const failures: Body[] = [];
  for (const identifier of wanted) {
    let name = identifier;
    if (identifier.startsWith('arn:')) {
      const match = CLUSTER_ARN.exec(identifier);
      if (!match) throw new AwsError('ClientException', `Invalid identifier: ${identifier}`);
      // Another region's or account's cluster is not this endpoint's to describe.
      if (match[1] !== region || match[2] !== account) {
        failures.push({ arn: identifier, reason: 'MISSING' });
        continue;
      }
      name = match[3]!;
    }
    const cluster = all.find((c) => c.clusterName === name);
    if (!cluster) {
      failures.push({ arn: clusterArn(region, account, name), reason: 'MISSING' });
      continue;
    }
    const services = cluster.status === 'INACTIVE' ? [] : servicesOf(r, name);
    const running = services.reduce((sum, s) => sum + Number(s.properties.DesiredCount ?? 1), 0);
    found.push({
      clusterArn: clusterArn(region, account, name),
      clusterName: name,
      status: cluster.status,
      registeredContainerInstancesCount: 0,
      runningTasksCount: running,
      pendingTasksCount: 0,
      activeServicesCount: services.length,
      statistics: include.includes('STATISTICS')
        ? [
            ['runningEC2TasksCount', 0],
            ['runningFargateTasksCount', running],
            ['pendingEC2TasksCount', 0],
            ['pendingFargateTasksCount', 0],
            ['activeEC2ServiceCount', 0],
            ['activeFargateServiceCount', services.length],
            ['drainingEC2ServiceCount', 0],
            ['drainingFargateServiceCount', 0],
          ].map(([key, value]) => ({ name: key, value: String(value) }))
        : [],
      tags: include.includes('TAGS') ? cluster.tags : [],
      settings: include.includes('SETTINGS') ? cluster.settings : undefined,
      configuration: include.includes('CONFIGURATIONS') ? {} : undefined,
      attachments: include.includes('ATTACHMENTS') ? [] : undefined,
      capacityProviders: cluster.capacityProviders,
      defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
    });
  }
  return { clusters: found, failures };
}

function listClusters(body: Body, r: RegionState, region: string, account: string): Body {
  const max = body.maxResults === undefined ? PAGE : Number(body.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > PAGE) throw invalid('maxResults must be between 1 and 100.');
  let start = 0;
  if (typeof body.nextToken === 'string') {
    start = Number.parseInt(Buffer.from(body.nextToken, 'base64url').toString('utf8').replace(/^clusters:/, ''), 10);
    if (!Number.isInteger(start) || start < 0) throw invalid('Invalid nextToken.');
  }
  const arns = clusters(r)
    .filter((c) => c.status !== 'INACTIVE')
    .map((c) => clusterArn(region, account, c.clusterName));
  const page = arns.slice(start, start + max);
  return { clusterArns: page, nextToken: start + max < arns.length ? Buffer.from(`clusters:${start + max}`).toString('base64url') : undefined };
}

export function handleEcs(action: string, body: Body, r: RegionState, region: string, account: string): Body {
  switch (action) {
    case 'DescribeClusters':
      return describeClusters(body, r, region, account);
    case 'ListClusters':
      return listClusters(body, r, region, account);
    default:
      throw new AwsError('UnknownOperationException', `The sandbox does not serve ECS ${action}.`);
  }
}

// ---------------------------------------------------------------- seeding

export interface ClusterSeed {
  clusterName: string;
  /** Default none, as CreateCluster does; e.g. ['FARGATE', 'FARGATE_SPOT'], or an Auto Scaling group provider's name. */
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  /** Default ACTIVE. */
  status?: ClusterState['status'];
  /** Default containerInsights disabled. */
  settings?: { name: string; value: string }[];
  tags?: { key: string; value: string }[];
}

const isPairs = (value: unknown, a: string, b: string) =>
  Array.isArray(value) && value.every((v) => isObject(v as JsonObject) && typeof (v as Record<string, unknown>)[a] === 'string' && typeof (v as Record<string, unknown>)[b] === 'string');

/** Adds or replaces a customer-owned cluster; its name then counts as taken, as a stack's cluster's does. */
export function seedCluster(r: RegionState, region: string, account: string, seed: ClusterSeed): { clusterArn: string } {
  const name = seed.clusterName;
  if (typeof name !== 'string' || !CLUSTER_NAME.test(name)) throw new Error('clusterName must be 1 to 255 letters, digits, hyphens or underscores');
  const providers = seed.capacityProviders ?? [];
  if (!Array.isArray(providers) || providers.some((p) => typeof p !== 'string' || !PROVIDER_NAME.test(p))) throw new Error('capacityProviders must be a list of capacity provider names');
  const strategy = seed.defaultCapacityProviderStrategy ?? [];
  if (!Array.isArray(strategy) || strategy.some((s) => !isObject(s as unknown as JsonObject) || !providers.includes(s.capacityProvider))) {
    throw new Error('defaultCapacityProviderStrategy may only name the cluster\'s capacityProviders');
  }
  const status = seed.status ?? 'ACTIVE';
  if (!STATUSES.includes(status)) throw new Error(`status must be one of ${STATUSES.join(', ')}`);
  if (seed.settings !== undefined && !isPairs(seed.settings, 'name', 'value')) throw new Error('settings must be a list of { name, value }');
  if (seed.tags !== undefined && !isPairs(seed.tags, 'key', 'value')) throw new Error('tags must be a list of { key, value }');
  const key = `AWS::ECS::Cluster|${name}`;
  const holder = r.names[key];
  if (holder && holder !== SEEDED) throw new Error(`A cluster named ${name} already exists in ${account}/${region} (created by a stack)`);
  r.clusters = r.clusters.filter((c) => c.clusterName !== name);
  r.clusters.push({
    clusterName: name,
    status,
    capacityProviders: [...providers],
    defaultCapacityProviderStrategy: strategy.map((s) => ({ capacityProvider: s.capacityProvider, weight: s.weight ?? 0, base: s.base ?? 0 })),
    settings: seed.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
    tags: seed.tags ?? [],
    createdAt: Date.now(),
  });
  // An inactive cluster hosts nothing; its name may be created again.
  if (status === 'INACTIVE') delete r.names[key];
  else r.names[key] = SEEDED;
  return { clusterArn: clusterArn(region, account, name) };
}

export function removeCluster(r: RegionState, clusterName: string): boolean {
  const before = r.clusters.length;
  r.clusters = r.clusters.filter((c) => c.clusterName !== clusterName);
  if (r.names[`AWS::ECS::Cluster|${clusterName}`] === SEEDED) delete r.names[`AWS::ECS::Cluster|${clusterName}`];
  return r.clusters.length < before;
}
