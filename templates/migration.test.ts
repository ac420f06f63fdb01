import { describe, expect, it } from 'vitest';
import type { Expr } from '@/lib/cfn/template';
import { checkRule } from '@/lib/params/check';
import { toFieldErrors, toZodSchema } from '@/lib/params/schema';
import { isValidFargateSize } from './ecs';
import { CPU_VALUES, FARGATE_SIZE_RULES, MEMORY_VALUES, migrationStack } from './migration';
import { renderTemplate } from './stack';
import { withConditions } from './testing/evaluate';

const template = renderTemplate(migrationStack);
const props = (id: string) => (template.Resources[id] ?? expect.fail(`no resource ${id}`)).Properties as Record<string, unknown>;
const container = () => (props('SetupTaskDefinition').ContainerDefinitions as Record<string, Expr>[])[0] as Record<string, unknown>;
const importOf = (name: string) => ({ 'Fn::ImportValue': { 'Fn::Sub': `\${CommonInfraStackName}-${name}` } });
const names = (entries: unknown) => (entries as { Name: string }[]).map((e) => e.Name);
const kafka = (brokers: boolean, secret: boolean) => ({ HasKafka: brokers, HasKafkaSecret: secret, HasKafkaSasl: brokers && secret });

const sizes = CPU_VALUES.flatMap((cpu) => MEMORY_VALUES.map((memory) => [cpu, memory] as const));

describe('lakerunner-migration', () => {
  it.each(sizes)('accepts %s CPU units with %s MiB only when Fargate offers that size', (cpu, memory) => {
    const problems = FARGATE_SIZE_RULES.map((rule) => checkRule(rule, { Cpu: cpu, MemoryMiB: memory })).filter(Boolean);
    expect(problems.length === 0).toBe(isValidFargateSize(Number(cpu), Number(memory)));
  });

  it('reports an invalid size on the memory field with the sizes that fit, and renders the same rule', async () => {
    const schema = toZodSchema(migrationStack.parameters, migrationStack.rules);
    const result = await schema.safeParseAsync({ CommonInfraStackName: 'lakerunner-common', Cpu: '256', MemoryMiB: '4096' });
    expect(result.success ? {} : toFieldErrors(result.error)).toEqual({ MemoryMiB: 'With 256 CPU units, Fargate allows 512, 1024 or 2048 MiB of memory.' });
    expect(template.Rules?.MemoryFitsCpu256?.Assertions[0]?.Assert).toEqual({ 'Fn::Contains': [['512', '1024', '2048'], { Ref: 'MemoryMiB' }] });
    expect(template.Rules?.MemoryFitsCpu4096?.Assertions[0]?.Assert).toEqual({ 'Fn::Contains': [['8192'], { Ref: 'MemoryMiB' }] });
  });

  it.each([
    ['b-1.msk.example.com:9096,b-2.msk.example.com:9096', undefined],
    ['localhost:9092', undefined],
    ['b-1.msk.example.com', 'Kafka brokers must be empty or a comma-separated list of host:port pairs such as b-1.example.kafka.us-east-1.amazonaws.com:9096.'],
    ['a:1, b:2', 'Kafka brokers must be empty or a comma-separated list of host:port pairs such as b-1.example.kafka.us-east-1.amazonaws.com:9096.'],
  ])('checks the Kafka broker list %j', async (brokers, message) => {
    const schema = toZodSchema(migrationStack.parameters, migrationStack.rules);
    const result = await schema.safeParseAsync({ CommonInfraStackName: 'lakerunner-common', KafkaBrokers: brokers });
    expect(result.success ? undefined : toFieldErrors(result.error).KafkaBrokers).toBe(message);
  });

  it('migrates the database without brokers and runs the full setup with them', () => {
    const command = container().Command as Expr;
    expect(withConditions(command, kafka(false, false))).toEqual(['/app/bin/lakerunner', 'migrate']);
    expect(withConditions(command, kafka(true, false))).toEqual(['/app/bin/lakerunner', 'setup']);
  });

  it('sets the Kafka variables only when brokers are set, and SASL/SCRAM over TLS only with a secret', () => {
    const env = container().Environment;
    const secrets = container().Secrets;
    const base = ['LRDB_HOST', 'LRDB_PORT', 'LRDB_DBNAME', 'LRDB_USER', 'LRDB_SSLMODE', 'CONFIGDB_HOST', 'CONFIGDB_PORT', 'CONFIGDB_DBNAME'];
    expect(names(withConditions(env, kafka(false, true)))).toEqual(expect.arrayContaining(base));
    expect(names(withConditions(env, kafka(false, true))).filter((n) => n.startsWith('LAKERUNNER_KAFKA'))).toEqual([]);
    expect(names(withConditions(env, kafka(true, false))).filter((n) => n.startsWith('LAKERUNNER_KAFKA'))).toEqual([
      'LAKERUNNER_KAFKA_BROKERS',
      'LAKERUNNER_KAFKA_TOPICS_DEFAULTS_REPLICATIONFACTOR',
    ]);
    expect(names(withConditions(env, kafka(true, true))).filter((n) => n.startsWith('LAKERUNNER_KAFKA'))).toEqual([
      'LAKERUNNER_KAFKA_BROKERS',
      'LAKERUNNER_KAFKA_TOPICS_DEFAULTS_REPLICATIONFACTOR',
      'LAKERUNNER_KAFKA_TLS_ENABLED',
      'LAKERUNNER_KAFKA_SASL_ENABLED',
      'LAKERUNNER_KAFKA_SASL_MECHANISM',
    ]);
    expect(names(withConditions(secrets, kafka(true, false)))).toEqual(['LRDB_PASSWORD', 'CONFIGDB_PASSWORD', 'API_KEYS_ENV', 'STORAGE_PROFILES_ENV']);
    expect(withConditions(secrets, kafka(true, true))).toEqual(
      expect.arrayContaining([
        { Name: 'LAKERUNNER_KAFKA_SASL_USERNAME', ValueFrom: { 'Fn::Sub': ['${Arn}:username::', { Arn: { Ref: 'KafkaSaslSecretArn' } }] } },
        { Name: 'LAKERUNNER_KAFKA_SASL_PASSWORD', ValueFrom: { 'Fn::Sub': ['${Arn}:password::', { Arn: { Ref: 'KafkaSaslSecretArn' } }] } },
      ]),
    );
    expect(template.Conditions?.HasKafkaSasl).toEqual({ 'Fn::And': [{ Condition: 'HasKafka' }, { Condition: 'HasKafkaSecret' }] });
  });

  it('re-runs whenever the task definition changes: the custom resource carries its ARN and returns the task ARN', () => {
    expect(props('SetupTask')).toEqual({
      ServiceToken: { 'Fn::GetAtt': ['SetupRunnerFunction', 'Arn'] },
      ServiceTimeout: 3600,
      Cluster: importOf('ClusterArn'),
      TaskDefinition: { Ref: 'SetupTaskDefinition' },
      Subnets: { 'Fn::Split': [',', importOf('PrivateSubnets')] },
      SecurityGroups: [importOf('TaskSecurityGroupId')],
      LogGroup: { Ref: 'SetupLogs' },
    });
    expect(props('SetupTaskDefinition')).toMatchObject({ Cpu: { Ref: 'Cpu' }, Memory: { Ref: 'MemoryMiB' } });
    expect(container().Image).toEqual({ Ref: 'ContainerImage' });
    expect(template.Outputs?.SetupTaskArn?.Value).toEqual({ 'Fn::GetAtt': ['SetupTask', 'TaskArn'] });
  });

  it('runs the inline runner on python3.13; the custom resource waits the most CloudFormation allows, across several invocations', () => {
    expect(props('SetupRunnerFunction')).toMatchObject({ Runtime: 'python3.13', Handler: 'index.handler', Timeout: 900 });
    expect(props('SetupTask').ServiceTimeout).toBe(3600);
    expect(template.Resources.SetupTask?.DependsOn).toBe('SetupRunnerSelfInvoke');
    expect(props('SetupRunnerSelfInvoke')).toEqual({
      PolicyName: 'follow-setup-task',
      Roles: [{ Ref: 'SetupRunnerRole' }],
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: { 'Fn::GetAtt': ['SetupRunnerFunction', 'Arn'] } }] },
    });
  });

  it('names the task definition family and lets the runner start any revision of it (IAM lags behind an update), only on the common cluster', () => {
    const role = props('SetupRunnerRole') as { Policies: { PolicyDocument: { Statement: Record<string, unknown>[] } }[] };
    const statements = role.Policies[0]?.PolicyDocument.Statement ?? [];
    const find = (action: string) => statements.find((s) => (s.Action as string[]).includes(action));
    expect(props('SetupTaskDefinition').Family).toEqual({ 'Fn::Sub': '${AWS::StackName}-setup' });
    expect(find('ecs:RunTask')).toEqual({
      Effect: 'Allow',
      Action: ['ecs:RunTask'],
      Resource: {
        'Fn::Sub': ['arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${Family}:*', { Family: { 'Fn::Sub': '${AWS::StackName}-setup' } }],
      },
      Condition: { ArnEquals: { 'ecs:cluster': importOf('ClusterArn') } },
    });
    expect(find('ecs:ListTasks')).toMatchObject({ Resource: '*', Condition: { ArnEquals: { 'ecs:cluster': importOf('ClusterArn') } } });
    expect(find('iam:PassRole')).toMatchObject({ Resource: { 'Fn::GetAtt': ['SetupExecutionRole', 'Arn'] } });
    expect(find('cloudformation:DescribeStacks')).toMatchObject({ Resource: { Ref: 'AWS::StackId' } });
    expect(find('ecs:DescribeTasks')?.Action).toEqual(['ecs:DescribeTasks']);
    expect(JSON.stringify(find('ecs:DescribeTasks')?.Resource)).toContain(':task/${Cluster}/*');
    expect(find('ecs:StopTask')).toBeUndefined();
  });

  it('gives the task no role of its own and lets the execution role read only the secrets it injects', () => {
    expect(props('SetupTaskDefinition').TaskRoleArn).toBeUndefined();
    const statements = (props('SetupExecutionRole').Policies as { PolicyDocument: { Statement: Expr[] } }[])[0]?.PolicyDocument.Statement;
    expect(withConditions(statements, kafka(false, false))).toEqual([
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [importOf('DbSecretArn'), importOf('ApiKeysSecretArn')] },
      { Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: importOf('StorageProfilesParameterArn') },
    ]);
    expect(withConditions(statements, kafka(true, true))).toHaveLength(4);
  });
});
