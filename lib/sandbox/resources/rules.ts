// The rules AWS's own services apply when CloudFormation creates or updates a resource: things that
// must exist (VPCs, subnets, clusters, listeners, queues), things that must not clash (listener
// priorities, namespaces per VPC, names pending deletion), and shapes a service refuses. A broken
// rule fails the resource with the service's message.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { parseCidr } from '../cfn/intrinsics';
import { isObject, listOf, propString, propStrings, type Json, type JsonObject } from '../cfn/json';
import { ResourceFailure, handlerFailure, serviceMessage, type ProvisionContext } from './context';
import { attachedTargetGroups, clusterCapacityProviders, lastSegment, liveResources } from './live';
import { scalableTargetId } from './registry';

const ec2Fail = (message: string) => new ResourceFailure(serviceMessage(message, 'Ec2'));
const fail = (message: string, service: string, code = 'InvalidRequest') => handlerFailure(serviceMessage(message, service), code);
const objects = (value: Json | undefined): JsonObject[] => listOf(value).filter(isObject);
const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

/** Checks the rules for a resource about to be created or updated; `self` is its physical id when it has one. */
export function checkTypeRules(ctx: ProvisionContext, self?: string) {
  const check = RULES[ctx.info.type];
  if (check) check(ctx, self);
}

type Rule = (ctx: ProvisionContext, self: string | undefined) => void;

function vpcExists(ctx: ProvisionContext, id: string | undefined) {
  if (id !== undefined && !ctx.r.vpcs.some((v) => v.vpcId === id)) throw ec2Fail(`The vpc ID '${id}' does not exist`);
}

function subnetsExist(ctx: ProvisionContext, ids: string[]) {
  const missing = ids.find((id) => !ctx.r.subnets.some((s) => s.subnetId === id));
  if (missing) throw ec2Fail(`The subnet ID '${missing}' does not exist`);
}

function zonesOf(ctx: ProvisionContext, ids: string[]): Set<string> {
  return new Set(ids.map((id) => ctx.r.subnets.find((s) => s.subnetId === id)!.availabilityZone));
}

// ---------------------------------------------------------------- EC2, RDS, EFS

const subnet: Rule = (ctx) => {
  const p = ctx.properties;
  const vpcId = propString(p, 'VpcId');
  vpcExists(ctx, vpcId);
  const vpc = ctx.r.vpcs.find((v) => v.vpcId === vpcId);
  const cidr = propString(p, 'CidrBlock');
  const range = cidr ? parseCidr(cidr) : undefined;
  const vpcRange = vpc ? parseCidr(vpc.cidrBlock) : undefined;
  if (cidr && (!range || !vpcRange || range.start < vpcRange.start || range.end > vpcRange.end)) throw ec2Fail(`The CIDR '${cidr}' is invalid.`);
  const clash = ctx.r.subnets.find((s) => {
    const other = parseCidr(s.cidrBlock);
    return s.vpcId === vpcId && other && range && other.start <= range.end && range.start <= other.end;
  });
  if (cidr && clash) throw ec2Fail(`The CIDR '${cidr}' conflicts with another subnet`);
};

const dbSubnetGroup: Rule = (ctx) => {
  const ids = propStrings(ctx.properties, 'SubnetIds');
  subnetsExist(ctx, ids);
  const zones = zonesOf(ctx, ids);
  if (zones.size < 2) {
    throw new ResourceFailure(
      serviceMessage(`The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: ${[...zones].join(', ')}. Add subnets to cover at least 2 AZs.`, 'Rds'),
    );
  }
};

const dbInstance: Rule = (ctx) => {
  const group = propString(ctx.properties, 'DBSubnetGroupName');
  if (group && !liveResources(ctx.r, 'AWS::RDS::DBSubnetGroup').some((g) => g.physicalId === group.toLowerCase())) {
    throw fail(`DBSubnetGroup '${group}' not found.`, 'Rds', 'NotFound');
  }
};

// ---------------------------------------------------------------- ECS

function checkProviders(providers: string[]) {
  const unknown = providers.find((p) => !FARGATE_PROVIDERS.has(p));
  // Auto Scaling group capacity providers are not modelled: only Fargate's exist in the sandbox.
  if (unknown) throw fail('The specified capacity provider does not exist. Specify a valid capacity provider and try again.', 'Ecs', 'NotFound');
}

const NOT_ASSOCIATED =
  'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.';

function strategyProviders(value: Json | undefined): string[] {
  return objects(value).map((item) => String(item.CapacityProvider ?? ''));
}

const cluster: Rule = (ctx) => {
  const providers = propStrings(ctx.properties, 'CapacityProviders');
  checkProviders(providers);
  if (strategyProviders(ctx.properties.DefaultCapacityProviderStrategy).some((p) => !providers.includes(p))) throw fail(NOT_ASSOCIATED, 'Ecs');
};

function clusterExists(ctx: ProvisionContext, cluster: string) {
  if (!ctx.r.names[`AWS::ECS::Cluster|${lastSegment(cluster)}`]) throw handlerFailure('Cluster not found.', 'NotFound');
}

const capacityAssociations: Rule = (ctx) => {
  clusterExists(ctx, propString(ctx.properties, 'Cluster') ?? '');
  const providers = propStrings(ctx.properties, 'CapacityProviders');
  checkProviders(providers);
  if (strategyProviders(ctx.properties.DefaultCapacityProviderStrategy).some((p) => !providers.includes(p))) throw fail(NOT_ASSOCIATED, 'Ecs');
};

const service: Rule = (ctx) => {
  const p = ctx.properties;
  const clusterName = propString(p, 'Cluster') ?? 'default';
  clusterExists(ctx, clusterName);
  const strategy = strategyProviders(p.CapacityProviderStrategy);
  if (strategy.length && p.LaunchType !== undefined) {
    throw fail('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.', 'Ecs');
  }
  const associated = clusterCapacityProviders(ctx.r, clusterName);
  if (strategy.some((provider) => !associated.has(provider))) throw fail(NOT_ASSOCIATED, 'Ecs');
  const targetGroups = objects(p.LoadBalancers).map((lb) => propString(lb, 'TargetGroupArn')).filter((arn): arn is string => !!arn);
  if (targetGroups.length) {
    // ECS refuses a target group no listener or rule forwards to yet: services DependsOn their rules.
    const attached = attachedTargetGroups(ctx.r);
    const loose = targetGroups.find((arn) => !attached.has(arn));
    if (loose) throw fail(`The target group with targetGroupArn ${loose} does not have an associated load balancer.`, 'Ecs');
  }
};

/** Fargate's task sizes: memory choices (MiB) per CPU units. */
function fargateMemory(cpu: number): number[] {
  const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
  switch (cpu) {
    case 256:
      return [512, 1024, 2048];
    case 512:
      return range(1024, 4096, 1024);
    case 1024:
      return range(2048, 8192, 1024);
    case 2048:
      return range(4096, 16384, 1024);
    case 4096:
      return range(8192, 30720, 1024);
    case 8192:
      return range(16384, 61440, 4096);
    case 16384:
      return range(32768, 122880, 8192);
    default:
      return [];
  }
}

const DEPENDENCY_CONDITIONS = new Set(['START', 'COMPLETE', 'SUCCESS', 'HEALTHY']);

const taskDefinition: Rule = (ctx) => {
  const p = ctx.properties;
  const containers = objects(p.ContainerDefinitions);
  const invalid = (message: string) => fail(`Invalid request provided: Create TaskDefinition: ${message}`, 'Ecs');
  const byName = new Map(containers.map((c) => [String(c.Name ?? ''), c]));
  const essential = (c: JsonObject) => c.Essential !== false && c.Essential !== 'false';
  if (containers.length && !containers.some(essential)) throw invalid('A task definition must have at least one essential container.');
  for (const container of containers) {
    for (const dependency of objects(container.DependsOn)) {
      const target = String(dependency.ContainerName ?? '');
      const condition = String(dependency.Condition ?? '');
      const on = byName.get(target);
      if (!on) throw invalid(`Container ${String(container.Name)} depends on container ${target}, which is not in this task definition.`);
      if (!DEPENDENCY_CONDITIONS.has(condition)) throw invalid(`Dependency condition ${condition} is not one of START, COMPLETE, SUCCESS, HEALTHY.`);
      // The COMPLETE and SUCCESS conditions cannot be set on an essential container (ContainerDependency reference).
      if ((condition === 'COMPLETE' || condition === 'SUCCESS') && essential(on)) {
        throw invalid(`Dependency condition ${condition} cannot be set on essential container ${target}.`);
      }
      if (condition === 'HEALTHY' && !isObject(on.HealthCheck)) throw invalid(`Dependency condition HEALTHY requires container ${target} to have a health check.`);
    }
  }
  const platform = isObject(p.RuntimePlatform) ? p.RuntimePlatform : undefined;
  const architecture = platform ? propString(platform, 'CpuArchitecture') : undefined;
  if (architecture !== undefined && architecture !== 'X86_64' && architecture !== 'ARM64') {
    throw invalid(`CpuArchitecture ${architecture} is not one of X86_64, ARM64.`);
  }
  const fargate = propStrings(p, 'RequiresCompatibilities').includes('FARGATE');
  const family = platform ? propString(platform, 'OperatingSystemFamily') : undefined;
  if (fargate && architecture === 'ARM64' && family !== undefined && family !== 'LINUX') throw invalid('Fargate runs ARM64 tasks on LINUX only.');
  const storage = isObject(p.EphemeralStorage) ? Number(p.EphemeralStorage.SizeInGiB) : undefined;
  if (fargate && storage !== undefined && !(storage >= 21 && storage <= 200)) {
    throw invalid(`The ephemeral storage size must be between 21 GiB and 200 GiB; ${String(p.EphemeralStorage && (p.EphemeralStorage as JsonObject).SizeInGiB)} was given.`);
  }
  const cpu = Number(propString(p, 'Cpu'));
  const memory = Number(propString(p, 'Memory'));
  if (fargate && Number.isFinite(cpu) && Number.isFinite(memory) && !fargateMemory(cpu).includes(memory)) {
    throw fail(`No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`, 'Ecs');
  }
};

// ---------------------------------------------------------------- Elastic Load Balancing

const elb = (message: string, code = 'InvalidRequest') => fail(message, 'ElasticLoadBalancingV2', code);

function forwardTargets(actions: JsonObject[]): string[] {
  const out: string[] = [];
  for (const action of actions) {
    const single = propString(action, 'TargetGroupArn');
    if (single) out.push(single);
    for (const tg of objects(isObject(action.ForwardConfig) ? action.ForwardConfig.TargetGroups : undefined)) if (typeof tg.TargetGroupArn === 'string') out.push(tg.TargetGroupArn);
  }
  return out;
}

function targetGroupsExist(ctx: ProvisionContext, arns: string[]) {
  const live = new Set(liveResources(ctx.r, 'AWS::ElasticLoadBalancingV2::TargetGroup').map((tg) => tg.physicalId));
  if (arns.some((arn) => !live.has(arn))) throw elb('One or more target groups not found', 'NotFound');
}

const loadBalancer: Rule = (ctx) => {
  const ids = propStrings(ctx.properties, 'Subnets');
  subnetsExist(ctx, ids);
  if ((propString(ctx.properties, 'Type') ?? 'application') === 'application' && zonesOf(ctx, ids).size < 2) {
    throw new ResourceFailure(serviceMessage('At least two subnets in two different Availability Zones must be specified', 'ElasticLoadBalancingV2'));
  }
};

const targetGroup: Rule = (ctx) => vpcExists(ctx, propString(ctx.properties, 'VpcId'));

const listener: Rule = (ctx, self) => {
  const p = ctx.properties;
  const lbArn = propString(p, 'LoadBalancerArn') ?? '';
  if (!liveResources(ctx.r, 'AWS::ElasticLoadBalancingV2::LoadBalancer').some((lb) => lb.physicalId === lbArn)) throw elb('One or more load balancers not found', 'NotFound');
  const protocol = propString(p, 'Protocol');
  const certificates = objects(p.Certificates);
  if ((protocol === 'HTTPS' || protocol === 'TLS') && !certificates.length) throw elb(`A certificate must be specified for ${protocol} listeners`);
  for (const certificate of certificates) {
    const arn = propString(certificate, 'CertificateArn') ?? '';
    const iam = /^arn:aws[a-z-]*:iam::\d{12}:server-certificate\//.test(arn);
    if (!iam && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(arn)) throw elb(`Certificate ARN '${arn}' is not valid`);
    // IAM server certificates are checked; ACM is not modelled, so its ARNs are taken on trust.
    if (iam && !liveResources(ctx.r, 'AWS::IAM::ServerCertificate').some((c) => c.attributes.Arn === arn)) throw elb(`Certificate '${arn}' not found`, 'NotFound');
  }
  const port = propString(p, 'Port');
  const taken = liveResources(ctx.r, 'AWS::ElasticLoadBalancingV2::Listener').some(
    (l) => l.physicalId !== self && propString(l.properties, 'LoadBalancerArn') === lbArn && propString(l.properties, 'Port') === port,
  );
  if (taken) throw elb(`A listener already exists on this port for this load balancer '${lbArn}'`, 'AlreadyExists');
  targetGroupsExist(ctx, forwardTargets(objects(p.DefaultActions)));
};

/** ELB counts every value of every condition of a rule against its limit of 5. */
function conditionValues(conditions: JsonObject[]): number {
  let count = 0;
  for (const condition of conditions) {
    count += listOf(condition.Values).length;
    for (const key of ['PathPatternConfig', 'HostHeaderConfig', 'HttpRequestMethodConfig', 'SourceIpConfig']) {
      const config = condition[key];
      if (isObject(config)) count += listOf(config.Values).length;
    }
    for (const key of ['HttpHeaderConfig', 'QueryStringConfig']) {
      const config = condition[key];
      if (isObject(config)) count += listOf(config.Values).length;
    }
  }
  return count;
}

const listenerRule: Rule = (ctx, self) => {
  const p = ctx.properties;
  const listenerArn = propString(p, 'ListenerArn') ?? '';
  if (!liveResources(ctx.r, 'AWS::ElasticLoadBalancingV2::Listener').some((l) => l.physicalId === listenerArn)) throw elb('One or more listeners not found', 'NotFound');
  const priority = propString(p, 'Priority');
  const taken = liveResources(ctx.r, 'AWS::ElasticLoadBalancingV2::ListenerRule').some(
    (rule) => rule.physicalId !== self && propString(rule.properties, 'ListenerArn') === listenerArn && propString(rule.properties, 'Priority') === priority,
  );
  if (taken) throw elb(`Priority '${priority ?? ''}' is currently in use`, 'AlreadyExists');
  if (conditionValues(objects(p.Conditions)) > 5) throw elb("A rule can only have '5' condition values");
  targetGroupsExist(ctx, forwardTargets(objects(p.Actions)));
};

// ---------------------------------------------------------------- S3 and SQS

const wildcard = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

/** Whether a queue policy statement lets S3 send this bucket's notifications to the queue. */
function allowsS3(statement: JsonObject, queueArn: string, bucketArn: string, account: string): boolean {
  if (statement.Effect !== 'Allow') return false;
  const principal = statement.Principal;
  const principals = principal === '*' ? ['*'] : isObject(principal) ? [...listOf(principal.Service), ...listOf(principal.AWS)].map(String) : [];
  if (!principals.some((p) => p === '*' || p === 's3.amazonaws.com')) return false;
  const actions = listOf(statement.Action).map((a) => String(a).toLowerCase());
  if (!actions.some((a) => wildcard(a, 'sqs:sendmessage'))) return false;
  const resources = statement.Resource === undefined ? ['*'] : listOf(statement.Resource).map(String);
  if (!resources.some((r) => wildcard(r, queueArn))) return false;
  const conditions = isObject(statement.Condition) ? statement.Condition : {};
  for (const [operator, block] of Object.entries(conditions)) {
    if (!isObject(block)) return false;
    for (const [key, expected] of Object.entries(block)) {
      const actual = key.toLowerCase() === 'aws:sourcearn' ? bucketArn : key.toLowerCase() === 'aws:sourceaccount' ? account : undefined;
      if (actual === undefined) return false;
      const values = listOf(expected).map(String);
      const like = operator === 'ArnLike' || operator === 'StringLike';
      if (!['ArnLike', 'ArnEquals', 'StringLike', 'StringEquals'].includes(operator)) return false;
      if (!values.some((v) => (like ? wildcard(v, actual) : v === actual))) return false;
    }
  }
  return true;
}

interface NotificationTarget {
  event: string;
  prefix: string;
  suffix: string;
}

function filterOf(config: JsonObject): { prefix: string; suffix: string } {
  const key = isObject(config.Filter) && isObject(config.Filter.S3Key) ? config.Filter.S3Key : undefined;
  const rules = objects(key?.Rules);
  const rule = (name: string) => String(rules.find((r) => String(r.Name).toLowerCase() === name)?.Value ?? '');
  return { prefix: rule('prefix'), suffix: rule('suffix') };
}

const eventsOverlap = (a: string, b: string) => {
  const stem = (e: string) => (e.endsWith('*') ? e.slice(0, -1) : e);
  return a === b || (a.endsWith('*') && b.startsWith(stem(a))) || (b.endsWith('*') && a.startsWith(stem(b)));
};

const bucket: Rule = (ctx, self) => {
  const p = ctx.properties;
  const s3 = (message: string) => fail(message, 'S3');
  const lifecycle = isObject(p.LifecycleConfiguration) ? objects(p.LifecycleConfiguration.Rules) : [];
  const ids = new Set<string>();
  for (const rule of lifecycle) {
    const id = propString(rule, 'Id');
    if (id !== undefined && ids.has(id)) throw s3('Rule ID must be unique. Found same ID for more than one rule');
    if (id !== undefined) ids.add(id);
    const actions = ['ExpirationInDays', 'ExpirationDate', 'ExpiredObjectDeleteMarker', 'AbortIncompleteMultipartUpload', 'NoncurrentVersionExpiration', 'NoncurrentVersionExpirationInDays', 'Transitions', 'Transition', 'NoncurrentVersionTransitions', 'NoncurrentVersionTransition'];
    if (!actions.some((a) => rule[a] !== undefined)) throw s3('At least one action needs to be specified in a rule');
    const days = rule.ExpirationInDays;
    if (days !== undefined && !(Number(days) > 0 && Number.isInteger(Number(days)))) throw s3("'Days' for Expiration action must be a positive integer");
  }
  const notifications = isObject(p.NotificationConfiguration) ? p.NotificationConfiguration : undefined;
  if (!notifications) return;
  const targets: NotificationTarget[] = [];
  const collect = (list: Json | undefined, eventKey: string) => {
    for (const config of objects(list)) targets.push({ event: String(config[eventKey] ?? ''), ...filterOf(config) });
  };
  collect(notifications.QueueConfigurations, 'Event');
  collect(notifications.TopicConfigurations, 'Event');
  collect(notifications.LambdaConfigurations, 'Event');
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const [a, b] = [targets[i]!, targets[j]!];
      const prefixes = a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
      const suffixes = a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix);
      if (eventsOverlap(a.event, b.event) && prefixes && suffixes) throw s3('Configurations overlap. Configurations on the same bucket cannot share a common event type.');
    }
  }
  // S3 sends each queue a test message when the configuration is applied: the queue's policy must
  // already let S3 send, which is why templates make the bucket DependsOn the queue policy. (The
  // bucket's name, and so its ARN in the policy's conditions, is known once it has a physical id.)
  if (self === undefined) return;
  const bucketArn = `arn:aws:s3:::${self}`;
  const queues = liveResources(ctx.r, 'AWS::SQS::Queue');
  const policies = liveResources(ctx.r, 'AWS::SQS::QueuePolicy');
  for (const config of objects(notifications.QueueConfigurations)) {
    const queueArn = propString(config, 'Queue') ?? '';
    const queue = queues.find((q) => q.attributes.Arn === queueArn);
    const allowed =
      queue !== undefined &&
      policies.some(
        (policy) =>
          propStrings(policy.properties, 'Queues').includes(queue.physicalId!) &&
          objects(isObject(policy.properties.PolicyDocument) ? policy.properties.PolicyDocument.Statement : undefined).some((s) => allowsS3(s, queueArn, bucketArn, ctx.account)),
      );
    if (!allowed) throw s3('Unable to validate the following destination configurations');
  }
};

const sqsQueue: Rule = (ctx) => {
  const raw = ctx.properties.RedrivePolicy;
  if (raw === undefined) return;
  let policy: JsonObject | undefined;
  try {
    const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    policy = isObject(parsed) ? parsed : undefined;
  } catch {
    policy = undefined;
  }
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  const invalid = (reason: string) => fail(`Value ${text} for parameter RedrivePolicy is invalid. Reason: ${reason}`, 'Sqs');
  if (!policy) throw invalid('Redrive policy is not a valid JSON map.');
  const target = propString(policy, 'deadLetterTargetArn') ?? '';
  if (!liveResources(ctx.r, 'AWS::SQS::Queue').some((q) => q.attributes.Arn === target)) throw invalid('Dead letter target does not exist.');
  const count = Number(policy.maxReceiveCount);
  if (!(Number.isInteger(count) && count >= 1 && count <= 1000)) {
    throw invalid(`Invalid value for maxReceiveCount: ${String(policy.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
};

const queuePolicy: Rule = (ctx) => {
  const live = new Set(liveResources(ctx.r, 'AWS::SQS::Queue').map((q) => q.physicalId));
  if (propStrings(ctx.properties, 'Queues').some((url) => !live.has(url))) throw fail('The specified queue does not exist for this wsdl version.', 'Sqs', 'NotFound');
};

// ---------------------------------------------------------------- Secrets Manager

const secret: Rule = (ctx) => {
  const name = propString(ctx.properties, 'Name');
  if (name === undefined) return;
  const existing = Object.values(ctx.r.secrets).find((s) => s.name === name && s.ownerStackId !== ctx.stackId);
  // A secret deleted with a recovery window keeps its name until the window ends (or it is restored).
  if (existing?.deletedAt !== undefined && (existing.deletionDate ?? Infinity) > Date.now()) {
    throw fail("You can't create this secret because a secret with this name is already scheduled for deletion.", 'SecretsManager');
  }
  // One made outside CloudFormation; a stack's own secrets are held by the name registry.
  if (existing && existing.ownerStackId === undefined) throw fail(`The operation failed because the secret ${name} already exists.`, 'SecretsManager', 'AlreadyExists');
};

// ---------------------------------------------------------------- Cloud Map and Application Auto Scaling

const namespace: Rule = (ctx, self) => {
  const vpc = propString(ctx.properties, 'Vpc');
  vpcExists(ctx, vpc);
  const name = propString(ctx.properties, 'Name');
  // The namespace is a Route 53 private hosted zone on the VPC: one zone of a name per VPC.
  const clash = liveResources(ctx.r, 'AWS::ServiceDiscovery::PrivateDnsNamespace').some(
    (ns) => ns.physicalId !== self && propString(ns.properties, 'Name') === name && propString(ns.properties, 'Vpc') === vpc,
  );
  if (clash) throw fail(`ConflictingDomainExists: The VPC ${vpc ?? ''} is already associated with a private hosted zone for ${name ?? ''}.`, 'ServiceDiscovery', 'AlreadyExists');
};

const discoveryService: Rule = (ctx, self) => {
  const p = ctx.properties;
  const namespaceId = propString(p, 'NamespaceId') ?? (isObject(p.DnsConfig) ? propString(p.DnsConfig, 'NamespaceId') : undefined);
  if (namespaceId === undefined) return;
  if (!liveResources(ctx.r, 'AWS::ServiceDiscovery::PrivateDnsNamespace').some((ns) => ns.physicalId === namespaceId)) throw fail('Namespace not found', 'ServiceDiscovery', 'NotFound');
  const name = propString(p, 'Name');
  const namespaceOf = (props: JsonObject) => propString(props, 'NamespaceId') ?? (isObject(props.DnsConfig) ? propString(props.DnsConfig, 'NamespaceId') : undefined);
  const clash = liveResources(ctx.r, 'AWS::ServiceDiscovery::Service').some(
    (s) => s.physicalId !== self && name !== undefined && propString(s.properties, 'Name') === name && namespaceOf(s.properties) === namespaceId,
  );
  if (clash) throw fail('Service already exists.', 'ServiceDiscovery', 'AlreadyExists');
};

const scalableTarget: Rule = (ctx, self) => {
  const p = ctx.properties;
  const id = scalableTargetId(p);
  const aas = (message: string, code = 'InvalidRequest') => fail(message, 'ApplicationAutoScaling', code);
  if (Number(p.MinCapacity) > Number(p.MaxCapacity)) throw aas('Maximum capacity cannot be less than minimum capacity');
  if (propString(p, 'ServiceNamespace') === 'ecs') {
    const resourceId = propString(p, 'ResourceId') ?? '';
    const match = /^service\/([^/]+)\/([^/]+)$/.exec(resourceId);
    if (!match || propString(p, 'ScalableDimension') !== 'ecs:service:DesiredCount') throw aas('Unsupported service namespace, resource type or scalable dimension');
    // The target names an ECS service that must exist: `service/<cluster>/<service>`.
    if (!ctx.r.names[`AWS::ECS::Service|${match[1]}/${match[2]}`]) throw aas(`ECS service doesn't exist: ${resourceId}`, 'NotFound');
  }
  if (liveResources(ctx.r, 'AWS::ApplicationAutoScaling::ScalableTarget').some((t) => t.physicalId === id && t.physicalId !== self)) {
    throw handlerFailure(`Resource of type 'AWS::ApplicationAutoScaling::ScalableTarget' with identifier '${id}' already exists.`, 'AlreadyExists');
  }
};

const scalingPolicy: Rule = (ctx) => {
  const p = ctx.properties;
  const aas = (message: string, code = 'InvalidRequest') => fail(message, 'ApplicationAutoScaling', code);
  const target = propString(p, 'ScalingTargetId') ?? scalableTargetId(p);
  if (!liveResources(ctx.r, 'AWS::ApplicationAutoScaling::ScalableTarget').some((t) => t.physicalId === target)) {
    const [resourceId, dimension, namespace] = target.split('|');
    throw aas(`No scalable target registered for service namespace: ${namespace ?? ''}, resource ID: ${resourceId ?? ''}, scalable dimension: ${dimension ?? ''}`, 'NotFound');
  }
  const type = propString(p, 'PolicyType');
  if (type === 'TargetTrackingScaling' && !isObject(p.TargetTrackingScalingPolicyConfiguration)) throw aas('TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy');
  if (type === 'StepScaling' && !isObject(p.StepScalingPolicyConfiguration)) throw aas('StepScalingPolicyConfiguration is required for a StepScaling policy');
};

// ---------------------------------------------------------------- IAM, Firehose, CloudWatch

const serverCertificate: Rule = (ctx) => {
  const p = ctx.properties;
  const iam = (message: string, code = 'InvalidRequest') => fail(message, 'Iam', code);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(String(p.CertificateBody ?? ''));
  } catch {
    throw iam('Unable to parse certificate. Please ensure the certificate is in PEM format.');
  }
  if (Date.parse(certificate.validTo) < Date.now()) throw iam("Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.");
  let key;
  try {
    key = createPrivateKey(String(p.PrivateKey ?? ''));
  } catch {
    throw iam('Unable to parse private key. Please ensure the key is an unencrypted PEM private key.');
  }
  if (!certificate.checkPrivateKey(key)) throw iam('The public key certificate and the private key do not match.');
  const chain = propString(p, 'CertificateChain');
  if (chain !== undefined) {
    const blocks = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    try {
      if (!blocks.length) throw new Error('empty chain');
      blocks.forEach((block) => new X509Certificate(block));
    } catch {
      throw iam('Unable to parse certificate chain. Please ensure the chain is in PEM format.');
    }
  }
};

const STREAM_TYPES = new Set(['DirectPut', 'KinesisStreamAsSource', 'MSKAsSource', 'DatabaseAsSource']);

const deliveryStream: Rule = (ctx) => {
  const p = ctx.properties;
  const firehose = (message: string) => fail(message, 'Firehose');
  const type = propString(p, 'DeliveryStreamType');
  if (type !== undefined && !STREAM_TYPES.has(type)) {
    throw firehose(`1 validation error detected: Value '${type}' at 'deliveryStreamType' failed to satisfy constraint: Member must satisfy enum value set: [${[...STREAM_TYPES].join(', ')}]`);
  }
  const destination = isObject(p.ExtendedS3DestinationConfiguration) ? p.ExtendedS3DestinationConfiguration : isObject(p.S3DestinationConfiguration) ? p.S3DestinationConfiguration : undefined;
  if (!destination) return;
  const prefix = propString(destination, 'Prefix') ?? '';
  if (prefix.includes('!{') && !propString(destination, 'ErrorOutputPrefix')) throw firehose('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions');
  const hints = isObject(destination.BufferingHints) ? destination.BufferingHints : {};
  const bound = (key: string, field: string, min: number, max: number) => {
    if (hints[key] === undefined) return;
    const value = Number(hints[key]);
    if (value < min) throw firehose(`1 validation error detected: Value '${value}' at 'extendedS3DestinationConfiguration.bufferingHints.${field}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
    if (value > max) throw firehose(`1 validation error detected: Value '${value}' at 'extendedS3DestinationConfiguration.bufferingHints.${field}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  };
  bound('IntervalInSeconds', 'intervalInSeconds', 0, 900);
  bound('SizeInMBs', 'sizeInMBs', 1, 128);
};

const OUTPUT_FORMATS = ['json', 'opentelemetry0.7', 'opentelemetry1.0'];

const metricStream: Rule = (ctx) => {
  const p = ctx.properties;
  const cloudwatch = (message: string) => fail(message, 'CloudWatch');
  const format = propString(p, 'OutputFormat') ?? '';
  if (!OUTPUT_FORMATS.includes(format)) {
    throw cloudwatch(`1 validation error detected: Value '${format}' at 'outputFormat' failed to satisfy constraint: Member must satisfy enum value set: [${OUTPUT_FORMATS.join(', ')}]`);
  }
  if (objects(p.IncludeFilters).length && objects(p.ExcludeFilters).length) throw cloudwatch('You cannot specify both IncludeFilters and ExcludeFilters in the same metric stream.');
};

const RULES: Record<string, Rule> = {
  'AWS::EC2::Subnet': subnet,
  'AWS::EC2::SecurityGroup': (ctx) => vpcExists(ctx, propString(ctx.properties, 'VpcId')),
  'AWS::EC2::RouteTable': (ctx) => vpcExists(ctx, propString(ctx.properties, 'VpcId')),
  'AWS::EC2::SecurityGroupIngress': (ctx) => securityGroupExists(ctx),
  'AWS::EC2::SecurityGroupEgress': (ctx) => securityGroupExists(ctx),
  'AWS::RDS::DBSubnetGroup': dbSubnetGroup,
  'AWS::RDS::DBInstance': dbInstance,
  'AWS::EFS::MountTarget': (ctx) => subnetsExist(ctx, propString(ctx.properties, 'SubnetId') ? [propString(ctx.properties, 'SubnetId')!] : []),
  'AWS::ECS::Cluster': cluster,
  'AWS::ECS::ClusterCapacityProviderAssociations': capacityAssociations,
  'AWS::ECS::Service': service,
  'AWS::ECS::TaskDefinition': taskDefinition,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': loadBalancer,
  'AWS::ElasticLoadBalancingV2::TargetGroup': targetGroup,
  'AWS::ElasticLoadBalancingV2::Listener': listener,
  'AWS::ElasticLoadBalancingV2::ListenerRule': listenerRule,
  'AWS::S3::Bucket': bucket,
  'AWS::SQS::Queue': sqsQueue,
  'AWS::SQS::QueuePolicy': queuePolicy,
  'AWS::SecretsManager::Secret': secret,
  'AWS::ServiceDiscovery::PrivateDnsNamespace': namespace,
  'AWS::ServiceDiscovery::Service': discoveryService,
  'AWS::ApplicationAutoScaling::ScalableTarget': scalableTarget,
  'AWS::ApplicationAutoScaling::ScalingPolicy': scalingPolicy,
  'AWS::IAM::ServerCertificate': serverCertificate,
  'AWS::KinesisFirehose::DeliveryStream': deliveryStream,
  'AWS::CloudWatch::MetricStream': metricStream,
};

function securityGroupExists(ctx: ProvisionContext) {
  const groupId = propString(ctx.properties, 'GroupId');
  if (groupId && !ctx.r.securityGroups.some((g) => g.groupId === groupId)) throw ec2Fail(`The security group '${groupId}' does not exist`);
}
