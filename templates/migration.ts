// lakerunner-migration (alias lakerunner-ecs-setup): the one-shot setup task. A Lambda-backed
// custom resource runs it on every create and on every update that changes the task definition,
// and fails the stack unless every container exits 0. It migrates the database, and also creates
// the Kafka topics (`lakerunner setup`) when Kafka brokers are given.
import { and, equals, getAtt, ifThen, noValue, not, ref, split, sub, type Expr } from '@/lib/cfn/template';
import type { ParamRule } from '@/lib/params/spec';
import { databaseEnvironment } from './common';
import {
  allow,
  containerDefinition,
  environment,
  executionRole,
  FARGATE_MEMORY,
  fromCommon,
  logGroup,
  policyDocument,
  assumeRolePolicy,
  secretKey,
  secrets,
  taskDefinition,
} from './ecs';
import { RUN_TASK_CODE } from './lambda/run-task';
import { commonInfraStackName, IMAGES, imageParam } from './shared';
import { defineStack } from './stack';

export const CPU_VALUES = ['256', '512', '1024', '2048', '4096'] as const;
export const MEMORY_VALUES = ['512', '1024', '2048', '3072', '4096', '5120', '6144', '7168', '8192'] as const;

/** One rule per CPU size: MemoryMiB must be a Fargate memory size for it (within MEMORY_VALUES). */
export const FARGATE_SIZE_RULES: ParamRule[] = CPU_VALUES.map((cpu) => {
  const memory = MEMORY_VALUES.filter((m) => FARGATE_MEMORY[Number(cpu)]?.includes(Number(m)));
  const listed = memory.length > 1 ? `${memory.slice(0, -1).join(', ')} or ${memory.at(-1)}` : memory.join('');
  return {
    id: `MemoryFitsCpu${cpu}`,
    when: { key: 'Cpu', equals: cpu },
    then: { key: 'MemoryMiB', oneOf: memory },
    message: `With ${cpu} CPU units, Fargate allows ${listed} MiB of memory.`,
  };
});

const kafkaEnv = [
  { condition: 'HasKafka', name: 'LAKERUNNER_KAFKA_BROKERS', value: ref('KafkaBrokers') },
  { condition: 'HasKafka', name: 'LAKERUNNER_KAFKA_TOPICS_DEFAULTS_REPLICATIONFACTOR', value: '2' },
  { condition: 'HasKafkaSasl', name: 'LAKERUNNER_KAFKA_TLS_ENABLED', value: 'true' },
  { condition: 'HasKafkaSasl', name: 'LAKERUNNER_KAFKA_SASL_ENABLED', value: 'true' },
  { condition: 'HasKafkaSasl', name: 'LAKERUNNER_KAFKA_SASL_MECHANISM', value: 'SCRAM-SHA-512' },
];

const taskArnPattern = sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*', {
  Cluster: fromCommon('ClusterName'),
});

/** The setup task definition's family, set explicitly so IAM can grant every revision of it. */
export const SETUP_FAMILY = sub('${AWS::StackName}-setup');

/** Seconds CloudFormation waits for the custom resource: the most it allows, for long migrations. */
export const SETUP_SERVICE_TIMEOUT = 3600;

function runnerRole(): Record<string, Expr> {
  return {
    AssumeRolePolicyDocument: assumeRolePolicy('lambda.amazonaws.com'),
    Policies: [
      {
        PolicyName: 'run-setup-task',
        PolicyDocument: policyDocument([
          allow(['logs:CreateLogStream', 'logs:PutLogEvents'], getAtt('SetupRunnerLogs', 'Arn')),
          // Every revision of the family: an update registers a new revision and runs it seconds
          // after rewriting this policy, before IAM has propagated a grant of that revision alone.
          allow(
            ['ecs:RunTask'],
            sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${Family}:*', { Family: SETUP_FAMILY }),
            { ArnEquals: { 'ecs:cluster': fromCommon('ClusterArn') } },
          ),
          // Finds the task started for a request (startedBy) when CloudFormation's event is delivered again.
          allow(['ecs:ListTasks'], '*', { ArnEquals: { 'ecs:cluster': fromCommon('ClusterArn') } }),
          allow(['ecs:DescribeTasks'], taskArnPattern),
          allow(['iam:PassRole'], getAtt('SetupExecutionRole', 'Arn'), { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }),
          allow(['cloudformation:DescribeStacks'], ref('AWS::StackId')),
        ]),
      },
    ],
  };
}

export const migrationStack = defineStack({
  id: 'migration',
  stem: 'lakerunner-migration',
  aliases: ['lakerunner-ecs-setup'],
  title: 'Database and Kafka setup',
  purpose:
    'Runs the one-shot Lakerunner setup task during each deployment: it migrates the database, creates the Kafka topics when brokers are configured, and fails the stack if the task fails.',
  inclusion: 'always',
  lossOnDelete: 'Only the setup task\'s logs; creating it again runs the setup task again.',
  needs: ['common'],
  after: ['common'],
  inputs: { CommonInfraStackName: { stackName: 'common' } },
  rules: FARGATE_SIZE_RULES,
  parameters: [
    commonInfraStackName(),
    imageParam(
      'ContainerImage',
      'Setup image',
      IMAGES.migration,
      'Lakerunner image that runs the setup task; keep it at the same version as the services.',
    ),
    {
      key: 'Cpu',
      type: 'String',
      label: 'CPU units',
      description: 'Fargate CPU units for the setup task (1024 units are one vCPU).',
      group: 'Task size',
      default: '512',
      allowedValues: CPU_VALUES,
      constraintDescription: `CPU units must be one of ${CPU_VALUES.join(', ')}.`,
    },
    {
      key: 'MemoryMiB',
      type: 'String',
      label: 'Memory (MiB)',
      description: 'Fargate memory for the setup task in MiB; it must be a size Fargate offers for the chosen CPU units.',
      group: 'Task size',
      default: '1024',
      allowedValues: MEMORY_VALUES,
      constraintDescription: `Memory must be one of ${MEMORY_VALUES.join(', ')} MiB.`,
    },
    {
      key: 'KafkaBrokers',
      type: 'String',
      label: 'Kafka brokers',
      description:
        'Comma-separated host:port list of Kafka bootstrap brokers. When set, the task also creates the Kafka topics (lakerunner setup); leave empty to migrate the database only.',
      group: 'Kafka (optional)',
      default: '',
      allowedPattern: '^$|^[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*$',
      maxLength: 2048,
      constraintDescription:
        'Kafka brokers must be empty or a comma-separated list of host:port pairs such as b-1.example.kafka.us-east-1.amazonaws.com:9096.',
    },
    {
      key: 'KafkaSaslSecretArn',
      type: 'String',
      label: 'Kafka SASL/SCRAM secret ARN',
      description:
        'ARN of a Secrets Manager secret with the JSON keys username and password (an AmazonMSK_ secret). When set with brokers, the task connects with SASL/SCRAM-SHA-512 over TLS; leave empty for brokers without authentication.',
      group: 'Kafka (optional)',
      default: '',
      allowedPattern: '^$|^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$',
      maxLength: 2048,
      constraintDescription: 'Kafka SASL/SCRAM secret ARN must be empty or a Secrets Manager secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_lakerunner-AbCdEf.',
    },
  ],
  build: () => ({
    Description: 'Lakerunner setup: runs the database migration (and Kafka topic setup when brokers are set) as a one-shot ECS task during each deployment.',
    Conditions: {
      HasKafka: not(equals(ref('KafkaBrokers'), '')),
      HasKafkaSecret: not(equals(ref('KafkaSaslSecretArn'), '')),
      HasKafkaSasl: and({ Condition: 'HasKafka' }, { Condition: 'HasKafkaSecret' }),
    },
    Resources: {
      SetupLogs: logGroup('Retain'),
      SetupExecutionRole: executionRole([
        allow(['secretsmanager:GetSecretValue'], [fromCommon('DbSecretArn'), fromCommon('ApiKeysSecretArn')]),
        allow(['ssm:GetParameters'], fromCommon('StorageProfilesParameterArn')),
        ifThen('HasKafkaSasl', allow(['secretsmanager:GetSecretValue'], ref('KafkaSaslSecretArn')), noValue),
        // MSK only accepts SCRAM secrets encrypted with a customer managed key, so decrypting is
        // allowed for that secret, through Secrets Manager only.
        ifThen(
          'HasKafkaSasl',
          allow(['kms:Decrypt'], sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*'), {
            StringEquals: {
              'kms:ViaService': sub('secretsmanager.${AWS::Region}.amazonaws.com'),
              'kms:EncryptionContext:SecretARN': ref('KafkaSaslSecretArn'),
            },
          }),
          noValue,
        ),
      ]),
      SetupTaskDefinition: taskDefinition({
        family: SETUP_FAMILY,
        cpu: ref('Cpu'),
        memory: ref('MemoryMiB'),
        executionRoleArn: getAtt('SetupExecutionRole', 'Arn'),
        arm64: true,
        containers: [
          containerDefinition({
            name: 'setup',
            image: ref('ContainerImage'),
            logGroup: 'SetupLogs',
            streamPrefix: 'setup',
            command: ['/app/bin/lakerunner', ifThen('HasKafka', 'setup', 'migrate')],
            environment: environment(
              {
                ...databaseEnvironment('LRDB'),
                ...databaseEnvironment('CONFIGDB'),
                API_KEYS_FILE: 'env:API_KEYS_ENV',
                STORAGE_PROFILE_FILE: 'env:STORAGE_PROFILES_ENV',
              },
              kafkaEnv,
            ),
            secrets: secrets(
              {
                LRDB_PASSWORD: secretKey(fromCommon('DbSecretArn'), 'password'),
                CONFIGDB_PASSWORD: secretKey(fromCommon('DbSecretArn'), 'password'),
                API_KEYS_ENV: fromCommon('ApiKeysSecretArn'),
                STORAGE_PROFILES_ENV: fromCommon('StorageProfilesParameterArn'),
              },
              [
                { condition: 'HasKafkaSasl', name: 'LAKERUNNER_KAFKA_SASL_USERNAME', valueFrom: secretKey(ref('KafkaSaslSecretArn'), 'username') },
                { condition: 'HasKafkaSasl', name: 'LAKERUNNER_KAFKA_SASL_PASSWORD', valueFrom: secretKey(ref('KafkaSaslSecretArn'), 'password') },
              ],
            ),
          }),
        ],
      }),
      SetupRunnerLogs: logGroup('Retain'),
      SetupRunnerRole: { Type: 'AWS::IAM::Role', Properties: runnerRole() },
      SetupRunnerFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Description: 'Runs the Lakerunner setup task and reports whether it exited 0',
          Runtime: 'python3.13',
          Handler: 'index.handler',
          Architectures: ['arm64'],
          MemorySize: 128,
          Timeout: 900,
          Role: getAtt('SetupRunnerRole', 'Arn'),
          LoggingConfig: { LogGroup: ref('SetupRunnerLogs') },
          Code: { ZipFile: RUN_TASK_CODE },
        },
      },
      // A migration that outlives one invocation is followed by the next: the function invokes
      // itself. Its own ARN is known only once it exists, hence a policy of its own.
      SetupRunnerSelfInvoke: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'follow-setup-task',
          Roles: [ref('SetupRunnerRole')],
          PolicyDocument: policyDocument([allow(['lambda:InvokeFunction'], getAtt('SetupRunnerFunction', 'Arn'))]),
        },
      },
      // The task definition ARN changes with every new revision (image, size, environment), and a
      // changed property is what makes CloudFormation send the Update that re-runs the task.
      // ServiceTimeout is how long the function may follow the task across invocations.
      SetupTask: {
        Type: 'Custom::SetupTask',
        DependsOn: 'SetupRunnerSelfInvoke',
        Properties: {
          ServiceToken: getAtt('SetupRunnerFunction', 'Arn'),
          ServiceTimeout: SETUP_SERVICE_TIMEOUT,
          Cluster: fromCommon('ClusterArn'),
          TaskDefinition: ref('SetupTaskDefinition'),
          Subnets: split(',', fromCommon('PrivateSubnets')),
          SecurityGroups: [fromCommon('TaskSecurityGroupId')],
          LogGroup: ref('SetupLogs'),
        },
      },
    },
    Outputs: {
      TaskDefinitionArn: { Description: 'ARN of the setup task definition revision that ran.', Value: ref('SetupTaskDefinition') },
      SetupTaskArn: { Description: 'ARN of the ECS task that ran the setup.', Value: getAtt('SetupTask', 'TaskArn') },
      LogGroupName: { Description: 'CloudWatch log group of the setup task.', Value: ref('SetupLogs') },
    },
  }),
});
