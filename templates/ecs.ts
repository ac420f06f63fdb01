// Building blocks for ECS-on-Fargate stacks: IAM statements and roles, log groups, container and
// task definitions, services, EFS volumes, and ALB target groups with listener rules. Plain data.
import { ifThen, importFrom, lifecycle, noValue, ref, split, sub, type Expr, type Intrinsic, type Resource } from '@/lib/cfn/template';

export const LOG_RETENTION_DAYS = 14;

/** An import from the lakerunner-common stack named by the CommonInfraStackName parameter. */
export const fromCommon = (name: string): Intrinsic => importFrom('CommonInfraStackName', name);

/**
 * Tasks run in the two private subnets that hold the EFS mount targets (common's TaskSubnets): a
 * task in an Availability Zone without a mount target cannot mount the file system.
 */
export const taskSubnets = (): Expr => split(',', fromCommon('TaskSubnets'));

const arn = (service: string, resource: string, vars?: Record<string, Expr>) =>
  sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`, vars);

export const efsFileSystemArn = (fileSystemId: Expr) => arn('elasticfilesystem', 'file-system/${Id}', { Id: fileSystemId });
export const efsAccessPointArn = (accessPointId: Expr) => arn('elasticfilesystem', 'access-point/${Id}', { Id: accessPointId });

// ---------------------------------------------------------------------------------------------
// IAM

export type Statement = {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: Expr;
  Condition?: Expr;
};

export const allow = (actions: string[], resource: Expr, condition?: Expr): Statement => ({
  Effect: 'Allow',
  Action: actions,
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});

export const policyDocument = (statements: Expr[]) => ({ Version: '2012-10-17', Statement: statements });

export const assumeRolePolicy = (service: string) =>
  policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }]);

/** ECS Exec opens SSM sessions from the task; these actions have no resource-level permissions. */
export const ECS_EXEC_STATEMENT: Statement = allow(
  ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
  '*',
);

/**
 * Mount and write through one access point only (common's file-system policy requires IAM). `root`
 * keeps uid 0 from being squashed, for containers that run as root on an access point without a
 * POSIX user.
 */
export const efsClientStatement = (fileSystemId: Expr, accessPointId: Expr, { root = false } = {}): Statement =>
  allow(
    ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', ...(root ? ['elasticfilesystem:ClientRootAccess'] : [])],
    efsFileSystemArn(fileSystemId),
    { StringEquals: { 'elasticfilesystem:AccessPointArn': efsAccessPointArn(accessPointId) } },
  );

/**
 * A role ECS tasks assume; `statements` (or Fn::If around statements) become one inline policy.
 * No RoleName, so CAPABILITY_IAM suffices.
 */
export function taskRole(statements: readonly Expr[], managedPolicyArns: Expr[] = []): Resource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: assumeRolePolicy('ecs-tasks.amazonaws.com'),
      ...(managedPolicyArns.length > 0 ? { ManagedPolicyArns: managedPolicyArns } : {}),
      ...(statements.length > 0 ? { Policies: [{ PolicyName: 'task', PolicyDocument: policyDocument([...statements]) }] } : {}),
    },
  };
}

/** The execution role: image pulls and log delivery (AWS managed policy) plus the secrets it injects. */
export const executionRole = (secretStatements: readonly Expr[]): Resource =>
  taskRole(secretStatements, [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy')]);

// ---------------------------------------------------------------------------------------------
// Containers and tasks

/**
 * A log group kept for LOG_RETENTION_DAYS. `Delete` goes with its stack; `Retain` outlives it, for
 * logs that explain why a stack failed (a failed first create rolls the whole stack back).
 */
export const logGroup = (policy: 'Delete' | 'Retain'): Resource => ({
  Type: 'AWS::Logs::LogGroup',
  ...lifecycle(policy),
  Properties: { RetentionInDays: LOG_RETENTION_DAYS },
});

/** Environment entries in order; `conditional` entries are dropped whole when their condition is false. */
export function environment(vars: Record<string, Expr>, conditional: { condition: string; name: string; value: Expr }[] = []): Expr[] {
  return [
    ...Object.entries(vars).map(([Name, Value]) => ({ Name, Value })),
    ...conditional.map((entry): Expr => ({ 'Fn::If': [entry.condition, { Name: entry.name, Value: entry.value }, noValue] })),
  ];
}

/**
 * ECS secrets: variable name → ValueFrom (a secret ARN, `secretKey(...)`, or an SSM parameter ARN);
 * `conditional` entries are dropped whole when their condition is false.
 */
export function secrets(vars: Record<string, Expr>, conditional: { condition: string; name: string; valueFrom: Expr }[] = []): Expr[] {
  return [
    ...Object.entries(vars).map(([Name, ValueFrom]) => ({ Name, ValueFrom })),
    ...conditional.map((entry): Expr => ({ 'Fn::If': [entry.condition, { Name: entry.name, ValueFrom: entry.valueFrom }, noValue] })),
  ];
}

/** ValueFrom for one JSON key of a Secrets Manager secret. */
export const secretKey = (secretArn: Expr, key: string): Intrinsic => sub(`\${Arn}:${key}::`, { Arn: secretArn });

/** ECS rejects health-check commands without the CMD or CMD-SHELL prefix. Interval (30 s), timeout (5 s) and retries (3) keep ECS's defaults. */
export type HealthCheckCommand = readonly ['CMD', string, ...string[]] | readonly ['CMD-SHELL', string];

export const curlHealthCheck = (port: number, path: string): HealthCheckCommand => [
  'CMD-SHELL',
  `curl -fsS http://localhost:${port}${path} > /dev/null || exit 1`,
];

export interface ContainerOptions {
  name: string;
  image: Expr;
  /** Logical id of a log group in the same template. */
  logGroup: string;
  streamPrefix: string;
  command?: readonly Expr[];
  entryPoint?: readonly string[];
  environment?: Expr[];
  secrets?: Expr[];
  ports?: readonly number[];
  healthCheck?: HealthCheckCommand;
  /** Seconds before failed health checks count; slow starters (JVMs) need more. */
  healthCheckStartPeriod?: number;
  mounts?: readonly { volume: string; path: string; readOnly?: boolean }[];
  essential?: boolean;
  dependsOn?: readonly { container: string; condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY' }[];
  user?: string;
}

export function containerDefinition(o: ContainerOptions): Record<string, Expr> {
  return {
    Name: o.name,
    Image: o.image,
    ...(o.essential === false ? { Essential: false } : {}),
    ...(o.user ? { User: o.user } : {}),
    ...(o.entryPoint ? { EntryPoint: [...o.entryPoint] } : {}),
    ...(o.command ? { Command: [...o.command] } : {}),
    ...(o.environment?.length ? { Environment: o.environment } : {}),
    ...(o.secrets?.length ? { Secrets: o.secrets } : {}),
    ...(o.ports?.length ? { PortMappings: o.ports.map((port) => ({ ContainerPort: port, Protocol: 'tcp' })) } : {}),
    ...(o.mounts?.length
      ? { MountPoints: o.mounts.map((m) => ({ SourceVolume: m.volume, ContainerPath: m.path, ReadOnly: m.readOnly ?? false })) }
      : {}),
    ...(o.dependsOn?.length ? { DependsOn: o.dependsOn.map((d) => ({ ContainerName: d.container, Condition: d.condition })) } : {}),
    ...(o.healthCheck
      ? { HealthCheck: { Command: [...o.healthCheck], StartPeriod: o.healthCheckStartPeriod ?? 60 } }
      : {}),
    LogConfiguration: {
      LogDriver: 'awslogs',
      Options: { 'awslogs-group': { Ref: o.logGroup }, 'awslogs-region': { Ref: 'AWS::Region' }, 'awslogs-stream-prefix': o.streamPrefix },
    },
  };
}

/** Valid Fargate memory sizes (MiB) for each CPU size (units), from the Fargate task-size table. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

export const isValidFargateSize = (cpu: number, memory: number) => FARGATE_MEMORY[cpu]?.includes(memory) ?? false;

/** An EFS volume through an access point, with encryption in transit and IAM authorization. */
export const efsVolume = (name: string, fileSystemId: Expr, accessPointId: Expr) => ({
  Name: name,
  EFSVolumeConfiguration: {
    FilesystemId: fileSystemId,
    TransitEncryption: 'ENABLED',
    AuthorizationConfig: { AccessPointId: accessPointId, IAM: 'ENABLED' },
  },
});

/** A volume on the task's own ephemeral storage, shared by its containers and gone with the task. */
export const taskVolume = (name: string) => ({ Name: name });

export interface TaskDefinitionOptions {
  /** Omit to let CloudFormation name the family after the stack and resource. */
  family?: Expr;
  /** Fixed sizes are checked here; parameter-driven sizes (Ref) are checked by template Rules. */
  cpu: number | Expr;
  memory: number | Expr;
  executionRoleArn: Expr;
  /** Omit for tasks that call no AWS APIs themselves. */
  taskRoleArn?: Expr;
  containers: Expr[];
  volumes?: Expr[];
  /** Only for multi-arch images; Graviton is cheaper for the same size. */
  arm64?: boolean;
}

export function taskDefinition(o: TaskDefinitionOptions): Resource {
  if (typeof o.cpu === 'number' && typeof o.memory === 'number' && !isValidFargateSize(o.cpu, o.memory)) {
    throw new Error(`Fargate has no task size of ${o.cpu} CPU units with ${o.memory} MiB`);
  }
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      ...(o.family ? { Family: o.family } : {}),
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: typeof o.cpu === 'number' ? String(o.cpu) : o.cpu,
      Memory: typeof o.memory === 'number' ? String(o.memory) : o.memory,
      RuntimePlatform: { CpuArchitecture: o.arm64 ? 'ARM64' : 'X86_64', OperatingSystemFamily: 'LINUX' },
      ExecutionRoleArn: o.executionRoleArn,
      ...(o.taskRoleArn ? { TaskRoleArn: o.taskRoleArn } : {}),
      ContainerDefinitions: o.containers,
      ...(o.volumes?.length ? { Volumes: o.volumes } : {}),
    },
  };
}

export interface ServiceOptions {
  cluster: Expr;
  /** Logical id of the task definition. */
  taskDefinition: string;
  /** A number, or a Ref to a task-count parameter. */
  desiredCount: number | Expr;
  subnets: Expr;
  securityGroups: Expr[];
  loadBalancers?: { container: string; port: number; targetGroup: string }[];
  dependsOn?: string[];
  /** Seconds ECS ignores failing load-balancer health checks after a task starts. */
  gracePeriod?: number;
  tags?: Expr[];
}

/**
 * A Fargate service with ECS Exec and the deployment circuit breaker, so a task that never becomes
 * healthy fails the stack operation instead of leaving it waiting for hours. No ServiceName.
 */
export function fargateService(o: ServiceOptions): Resource {
  return {
    Type: 'AWS::ECS::Service',
    ...(o.dependsOn?.length ? { DependsOn: o.dependsOn } : {}),
    Properties: {
      Cluster: o.cluster,
      LaunchType: 'FARGATE',
      TaskDefinition: { Ref: o.taskDefinition },
      DesiredCount: o.desiredCount,
      EnableExecuteCommand: true,
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: o.subnets, SecurityGroups: o.securityGroups } },
      ...(o.loadBalancers?.length
        ? {
            LoadBalancers: o.loadBalancers.map((lb) => ({ ContainerName: lb.container, ContainerPort: lb.port, TargetGroupArn: { Ref: lb.targetGroup } })),
            HealthCheckGracePeriodSeconds: o.gracePeriod ?? 120,
          }
        : {}),
      ...(o.tags?.length ? { Tags: o.tags } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Load balancing

export interface TargetGroupOptions {
  port: number;
  vpcId: Expr;
  healthPath: string;
  /** Defaults to the traffic port. */
  healthPort?: number;
}

export const ipTargetGroup = (o: TargetGroupOptions): Resource => ({
  Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
  Properties: {
    Protocol: 'HTTP',
    Port: o.port,
    TargetType: 'ip',
    VpcId: o.vpcId,
    HealthCheckProtocol: 'HTTP',
    HealthCheckPath: o.healthPath,
    ...(o.healthPort ? { HealthCheckPort: String(o.healthPort) } : {}),
    HealthCheckIntervalSeconds: 15,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 3,
    Matcher: { HttpCode: '200' },
    TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
  },
});

/**
 * The TLS policy of HTTPS listeners: TLS 1.3 and 1.2 with hybrid post-quantum key exchange, the
 * policy AWS recommends for Application Load Balancers and the console's default ("Security
 * policies for your Application Load Balancer",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 * CloudFormation's own default is still ELBSecurityPolicy-2016-08, hence the explicit name.
 */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09';

/** A listener's protocol: HTTPS with the parameter's certificate when `condition` holds, else HTTP. */
export const listenerProtocol = (condition: string, certificateParam: string): Record<string, Expr> => ({
  Protocol: ifThen(condition, 'HTTPS', 'HTTP'),
  SslPolicy: ifThen(condition, TLS_POLICY, noValue),
  Certificates: ifThen(condition, [{ CertificateArn: ref(certificateParam) }], noValue),
});

/** `http(s)://<host>:<port>`: https when `tls` (a condition) holds; the host is the domain name when one is given. */
export const listenerUrl = (tls: string, domain: { condition: string; param: string }, dnsName: Expr, port: number): Intrinsic =>
  sub(`\${Scheme}://\${Host}:${port}`, { Scheme: ifThen(tls, 'https', 'http'), Host: ifThen(domain.condition, ref(domain.param), dnsName) });

/** Port of the plain-HTTP listener that sends browsers on to HTTPS when a load balancer has a certificate. */
export const HTTP_PORT = 80;

/**
 * With a certificate (`condition`), a listener on port 80 that redirects every request to HTTPS on
 * `port`, keeping host, path and query; without one there is nothing to redirect to.
 */
export const httpsRedirectListener = (condition: string, loadBalancer: string, port: number): Resource => ({
  Type: 'AWS::ElasticLoadBalancingV2::Listener',
  Condition: condition,
  Properties: {
    LoadBalancerArn: ref(loadBalancer),
    Port: HTTP_PORT,
    Protocol: 'HTTP',
    DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: String(port), Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } }],
  },
});

/** Sends everything arriving on a listener (imported or local) to one target group. */
export const forwardRule = (listenerArn: Expr, targetGroup: string, priority = 1): Resource => ({
  Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
  Properties: {
    ListenerArn: listenerArn,
    Priority: priority,
    Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
    Actions: [{ Type: 'forward', TargetGroupArn: { Ref: targetGroup } }],
  },
});
