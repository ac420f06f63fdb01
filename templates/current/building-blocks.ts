// Building blocks of the current line's templates: IAM statements and roles, log groups, Fargate
// task definitions and services as upstream shapes them (ARM64, FARGATE capacity provider,
// 50/200 deployments with the circuit breaker, tags propagated), target groups, listener rules and
// Cloud Map services. Plain data; containers come from the shared `containerDefinition`.
import { ref, sub, type Expr, type Intrinsic, type Resource } from '@/lib/cfn/template';
import { LOG_RETENTION_DAYS } from './shared';

// ---------------------------------------------------------------------------------------------
// IAM

export type Statement = {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: Expr;
  Condition?: Expr;
};

export const statement = (sid: string, actions: string[], resource: Expr, condition?: Expr): Statement => ({
  Sid: sid,
  Effect: 'Allow',
  Action: actions,
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});

export const policyDocument = (statements: readonly Expr[]) => ({ Version: '2012-10-17', Statement: [...statements] });

/** `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>` (never a hard-coded partition). */
export const regionalArn = (service: string, resource: string, vars?: Record<string, Expr>): Intrinsic =>
  sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`, vars);

/** The AWS managed policy every ECS execution role starts from, in the stack's partition. */
export const ECS_EXECUTION_POLICY_ARN = 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

/**
 * The execution policy plus the managed-policy ARNs listed in ExecutionRoleExtraPolicyArns when
 * `condition` (the list is not empty) holds.
 */
export const executionPolicyArns = (condition: string): Expr => ({
  'Fn::If': [
    condition,
    { 'Fn::Split': [',', sub(`${ECS_EXECUTION_POLICY_ARN},\${ExecutionRoleExtraPolicyArns}`)] },
    [sub(ECS_EXECUTION_POLICY_ARN)],
  ],
});

export const trustService = (service: string, condition?: Expr) =>
  policyDocument([
    { Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) },
  ]);

export interface RoleOptions {
  trust: Expr;
  policyName: string;
  statements: readonly Expr[];
  managedPolicyArns?: Expr;
  tags: Expr[];
  roleName?: Expr;
}

/** A role with one inline policy; no RoleName unless given (then CAPABILITY_NAMED_IAM is needed). */
export const role = (o: RoleOptions): Resource => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    ...(o.roleName ? { RoleName: o.roleName } : {}),
    AssumeRolePolicyDocument: o.trust,
    ...(o.managedPolicyArns ? { ManagedPolicyArns: o.managedPolicyArns } : {}),
    Policies: [{ PolicyName: o.policyName, PolicyDocument: policyDocument(o.statements) }],
    Tags: o.tags,
  },
});

// ---------------------------------------------------------------------------------------------
// Logs, tasks and services

/** A log group deleted with its stack; `name` omitted lets CloudFormation generate one. */
export const logGroup = (tags: Expr[], name?: Expr, retentionDays: number = LOG_RETENTION_DAYS): Resource => ({
  Type: 'AWS::Logs::LogGroup',
  DeletionPolicy: 'Delete',
  UpdateReplacePolicy: 'Delete',
  Properties: { ...(name ? { LogGroupName: name } : {}), RetentionInDays: retentionDays, Tags: tags },
});

export interface TaskOptions {
  family?: Expr;
  cpu: Expr;
  memory: Expr;
  executionRoleArn: Expr;
  taskRoleArn: Expr;
  containers: Expr[];
  /** GiB of ephemeral storage beyond Fargate's default 20 (21 to 200). */
  ephemeralStorageGiB?: number;
  tags: Expr[];
}

/** A Fargate task on ARM64 (every image of the manifest is a multi-arch index). */
export const fargateTask = (o: TaskOptions): Resource => ({
  Type: 'AWS::ECS::TaskDefinition',
  Properties: {
    ...(o.family ? { Family: o.family } : {}),
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: o.cpu,
    Memory: o.memory,
    RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    ...(o.ephemeralStorageGiB ? { EphemeralStorage: { SizeInGiB: o.ephemeralStorageGiB } } : {}),
    ExecutionRoleArn: o.executionRoleArn,
    TaskRoleArn: o.taskRoleArn,
    ContainerDefinitions: o.containers,
    Tags: o.tags,
  },
});

export interface ServiceOptions {
  cluster: Expr;
  /** Logical id of the task definition. */
  taskDefinition: string;
  desiredCount: Expr;
  subnets: Expr;
  securityGroup: Expr;
  loadBalancers?: readonly { container: string; port: number; targetGroup: string }[];
  /** Seconds ECS ignores load-balancer health checks after a task starts. */
  gracePeriod?: number;
  /** Logical id of a Cloud Map service the tasks register in. */
  registry?: string;
  dependsOn?: string[];
  tags: Expr[];
}

/**
 * A service on the FARGATE capacity provider (the cluster must have it associated), deployed 50/200
 * with the circuit breaker rolling back, tags propagated to tasks. No ServiceName (generated).
 */
export const fargateService = (o: ServiceOptions): Resource => ({
  Type: 'AWS::ECS::Service',
  ...(o.dependsOn?.length ? { DependsOn: o.dependsOn } : {}),
  Properties: {
    Cluster: o.cluster,
    CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
    TaskDefinition: ref(o.taskDefinition),
    DesiredCount: o.desiredCount,
    DeploymentConfiguration: { MinimumHealthyPercent: 50, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
    NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: o.subnets, SecurityGroups: [o.securityGroup] } },
    ...(o.loadBalancers?.length
      ? { LoadBalancers: o.loadBalancers.map((lb) => ({ ContainerName: lb.container, ContainerPort: lb.port, TargetGroupArn: ref(lb.targetGroup) })) }
      : {}),
    ...(o.gracePeriod ? { HealthCheckGracePeriodSeconds: o.gracePeriod } : {}),
    ...(o.registry ? { ServiceRegistries: [{ RegistryArn: { 'Fn::GetAtt': [o.registry, 'Arn'] } }] } : {}),
    PropagateTags: 'SERVICE',
    Tags: o.tags,
  },
});

// ---------------------------------------------------------------------------------------------
// Load balancing and service discovery

export interface TargetGroupOptions {
  port: number;
  vpcId: Expr;
  healthPath: string;
  /** Defaults to the traffic port. */
  healthPort?: number;
  tags: Expr[];
}

/** An HTTP target group of task IPs; interval, thresholds and deregistration delay keep AWS's defaults. */
export const targetGroup = (o: TargetGroupOptions): Resource => ({
  Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
  Properties: {
    Protocol: 'HTTP',
    Port: o.port,
    TargetType: 'ip',
    VpcId: o.vpcId,
    HealthCheckProtocol: 'HTTP',
    HealthCheckPath: o.healthPath,
    ...(o.healthPort ? { HealthCheckPort: String(o.healthPort) } : {}),
    Matcher: { HttpCode: '200' },
    Tags: o.tags,
  },
});

/** Forwards requests whose path matches one of `paths` (an ALB condition takes at most five). */
export const pathRule = (listenerArn: Expr, priority: number, paths: readonly string[], targetGroupId: string): Resource => {
  if (paths.length > 5) throw new Error(`A listener rule condition takes at most 5 path values, not ${paths.length}`);
  return {
    Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
    Properties: {
      ListenerArn: listenerArn,
      Priority: priority,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [...paths] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: ref(targetGroupId) }],
    },
  };
};

export interface ListenerOptions {
  loadBalancer: string;
  port: number;
  /** HTTPS with this certificate; HTTP without. */
  certificateArn?: Expr;
  status: '404' | '503';
  message: string;
}

/** A listener whose default action answers with a fixed text; rules forward the paths it serves. */
export const fixedResponseListener = (o: ListenerOptions): Resource => ({
  Type: 'AWS::ElasticLoadBalancingV2::Listener',
  Properties: {
    LoadBalancerArn: ref(o.loadBalancer),
    Port: o.port,
    Protocol: o.certificateArn ? 'HTTPS' : 'HTTP',
    ...(o.certificateArn ? { Certificates: [{ CertificateArn: o.certificateArn }] } : {}),
    DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: o.status, ContentType: 'text/plain', MessageBody: o.message } }],
  },
});

/** A Cloud Map service: `<name>.<namespace>` resolves to the tasks' IPs (A records, 10 s TTL). */
export const discoveryService = (name: string, namespaceId: Expr, tags: Expr[]): Resource => ({
  Type: 'AWS::ServiceDiscovery::Service',
  Properties: {
    Name: name,
    NamespaceId: namespaceId,
    DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }], RoutingPolicy: 'MULTIVALUE' },
    Tags: tags,
  },
});

/** An S3 bucket ARN from its name, in the stack's partition. */
export const bucketArn = (name: Expr): Intrinsic => sub('arn:${AWS::Partition}:s3:::${Name}', { Name: name });
export const bucketObjectsArn = (name: Expr): Intrinsic => sub('arn:${AWS::Partition}:s3:::${Name}/*', { Name: name });
