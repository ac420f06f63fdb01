import {
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateSummaryCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture();
});
afterAll(() => f.sandbox.close());

const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const role = (name?: string) => ({ Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust, ...(name ? { RoleName: name } : {}) } });

describe('CloudFormation validation through the SDK', () => {
  it('capabilities: IAM resources need CAPABILITY_IAM, named ones CAPABILITY_NAMED_IAM, with AWS\'s message', async () => {
    await expect(f.cfn.send(new CreateStackCommand({ StackName: 'iam', TemplateBody: template({ Role: role() }) }))).rejects.toMatchObject({
      name: 'InsufficientCapabilitiesException',
      message: 'Requires capabilities : [CAPABILITY_IAM]',
    });
    const named = template({ Role: role('sandbox-named-role') });
    await expect(f.cfn.send(new CreateStackCommand({ StackName: 'iam', TemplateBody: named, Capabilities: ['CAPABILITY_IAM'] }))).rejects.toMatchObject({
      name: 'InsufficientCapabilitiesException',
      message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]',
    });
    await f.cfn.send(new CreateStackCommand({ StackName: 'iam', TemplateBody: named, Capabilities: ['CAPABILITY_NAMED_IAM'] }));
    const stack = await waitForStack(f.cfn, 'iam');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.Capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
    const summary = await f.cfn.send(new GetTemplateSummaryCommand({ TemplateBody: named }));
    expect(summary.Capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
    expect(summary.CapabilitiesReason).toBe('The following resource(s) require capabilities: [AWS::IAM::Role]');
  });

  it('TemplateBody over 51,200 bytes is refused; the same template from the sandbox S3 through TemplateURL deploys', async () => {
    const big = template({ Big: ssmParameter('x'.repeat(60_000)) });
    await expect(f.cfn.send(new CreateStackCommand({ StackName: 'big', TemplateBody: big }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/^1 validation error detected: Value '.*' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200$/s),
    });
    await f.s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    await f.s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'stacks/big.json', Body: big }));
    for (const [i, url] of [
      'https://templates.s3.amazonaws.com/stacks/big.json',
      'https://templates.s3.us-east-1.amazonaws.com/stacks/big.json',
      'https://s3.us-east-1.amazonaws.com/templates/stacks/big.json',
    ].entries()) {
      await f.cfn.send(new CreateStackCommand({ StackName: `big-${i}`, TemplateURL: url }));
      expect((await waitForStack(f.cfn, `big-${i}`)).StackStatus).toBe('CREATE_COMPLETE');
    }
    await expect(f.cfn.send(new CreateStackCommand({ StackName: 'missing', TemplateURL: 'https://templates.s3.amazonaws.com/nope.json' }))).rejects.toThrow(
      'TemplateURL must reference a valid S3 object to which you have access.',
    );
    await expect(f.cfn.send(new CreateStackCommand({ StackName: 'missing', TemplateURL: 'https://example.com/t.json' }))).rejects.toThrow('TemplateURL must be a supported URL.');
  });

  it('template format errors come back as ValidationError with CloudFormation\'s wording', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ Thing: { Type: 'AWS::Foo::Bar' } }, 'Template format error: Unrecognized resource types: [AWS::Foo::Bar]'],
      [{ A: ssmParameter({ Ref: 'Nope' }) }, 'Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template'],
      [{ A: ssmParameter({ 'Fn::GetAtt': ['A2', 'Nope'] }), A2: ssmParameter('x') }, 'Template error: resource A2 does not support attribute type Nope in Fn::GetAtt'],
      [{ A: ssmParameter({ Ref: 'B' }), B: ssmParameter({ Ref: 'A' }) }, 'Circular dependency between resources: [A, B]'],
      [{}, 'Template format error: At least one Resources member must be defined.'],
    ];
    for (const [resources, message] of cases) {
      await expect(f.cfn.send(new CreateStackCommand({ StackName: 'bad', TemplateBody: template(resources) }))).rejects.toMatchObject({ name: 'ValidationError', message });
    }
    await expect(f.cfn.send(new ValidateTemplateCommand({ TemplateBody: 'Resources: [' }))).rejects.toThrow(/^Template format error: YAML not well-formed/);
  });

  const withParameters = template(
    { P: ssmParameter({ 'Fn::Join': ['-', [{ Ref: 'Env' }, { Ref: 'Size' }, { Ref: 'Secret' }]] }) },
    {
      Parameters: {
        Env: { Type: 'String', AllowedValues: ['dev', 'prod'] },
        Size: { Type: 'Number', MinValue: 1, MaxValue: 9, Default: '3' },
        Secret: { Type: 'String', NoEcho: true, AllowedPattern: '^[a-z]+$', ConstraintDescription: 'Secret must be lower-case letters.' },
        Tag: { Type: 'String', Default: 'x', AllowedPattern: '^[a-z]+$' },
      },
    },
  );
  const params = (values: Record<string, string>) => Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

  it('parameters: missing, unknown and constraint failures are refused with CloudFormation\'s messages', async () => {
    const create = (values: Record<string, string>) => f.cfn.send(new CreateStackCommand({ StackName: 'params', TemplateBody: withParameters, Parameters: params(values) }));
    await expect(create({ Env: 'dev' })).rejects.toThrow('Parameters: [Secret] must have values');
    await expect(create({ Env: 'dev', Secret: 'abc', Bogus: '1' })).rejects.toThrow('Parameters: [Bogus] do not exist in the template');
    await expect(create({ Env: 'test', Secret: 'abc' })).rejects.toThrow("Parameter 'Env' must be one of AllowedValues");
    await expect(create({ Env: 'dev', Secret: 'ABC' })).rejects.toThrow('Parameter Secret failed to satisfy constraint: Secret must be lower-case letters.');
    await expect(create({ Env: 'dev', Secret: 'abc', Tag: 'X1' })).rejects.toThrow("Parameter 'Tag' must match pattern ^[a-z]+$");
    await expect(create({ Env: 'dev', Secret: 'abc', Size: 'big' })).rejects.toThrow("Parameter 'Size' must be a number.");
    await expect(create({ Env: 'dev', Secret: 'abc', Size: '10' })).rejects.toThrow("Parameter 'Size' must be a number not greater than 9");
  });

  it('NoEcho parameter values are masked in DescribeStacks', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'noecho', TemplateBody: withParameters, Parameters: params({ Env: 'prod', Secret: 'hunter' }) }));
    const stack = await waitForStack(f.cfn, 'noecho');
    expect(stack.Parameters).toEqual(
      expect.arrayContaining([
        { ParameterKey: 'Secret', ParameterValue: '****' },
        { ParameterKey: 'Env', ParameterValue: 'prod' },
        { ParameterKey: 'Size', ParameterValue: '3' },
      ]),
    );
    expect(JSON.stringify(await f.cfn.send(new DescribeStacksCommand({ StackName: 'noecho' })))).not.toContain('hunter');
  });

  it('AWS-specific parameter types are checked against the sandbox\'s VPCs and subnets after the call is accepted', async () => {
    const network = template(
      { P: ssmParameter({ 'Fn::Join': [',', { Ref: 'Subnets' }] }) },
      { Parameters: { VpcId: { Type: 'AWS::EC2::VPC::Id' }, Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' } } },
    );
    const vpc = (await f.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['sandbox-workloads'] }] }))).Vpcs![0]!;
    const subnets = (await f.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
    const subnetList = subnets.map((s) => s.SubnetId).join(',');
    await f.cfn.send(new CreateStackCommand({ StackName: 'good-ids', TemplateBody: network, Parameters: params({ VpcId: vpc.VpcId!, Subnets: subnetList }) }));
    expect((await waitForStack(f.cfn, 'good-ids')).StackStatus).toBe('CREATE_COMPLETE');

    await f.cfn.send(new CreateStackCommand({ StackName: 'bad-ids', TemplateBody: network, Parameters: params({ VpcId: 'vpc-0123456789abcdef0', Subnets: subnetList }) }));
    const failed = await waitForStack(f.cfn, 'bad-ids');
    expect(failed.StackStatus).toBe('ROLLBACK_COMPLETE');
    const events = (await f.cfn.send(new DescribeStackEventsCommand({ StackName: 'bad-ids' }))).StackEvents!;
    expect(events.map((e) => e.ResourceStatusReason)).toContain(
      'Parameter validation failed: parameter value vpc-0123456789abcdef0 for parameter name VpcId does not exist. Rollback requested by user.',
    );
  });

  it('Rules: a failed assertion refuses the call with its AssertDescription', async () => {
    const ruled = template(
      { P: ssmParameter({ Ref: 'Scheme' }) },
      {
        Parameters: { Scheme: { Type: 'String' }, Subnets: { Type: 'CommaDelimitedList', Default: '' } },
        Rules: {
          PublicNeedsSubnets: {
            RuleCondition: { 'Fn::Equals': [{ Ref: 'Scheme' }, 'internet-facing'] },
            Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::EachMemberEquals': [{ Ref: 'Subnets' }, ''] }] }, AssertDescription: 'Internet-facing needs public subnets.' }],
          },
        },
      },
    );
    await expect(f.cfn.send(new CreateStackCommand({ StackName: 'rules', TemplateBody: ruled, Parameters: params({ Scheme: 'internet-facing' }) }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Internet-facing needs public subnets.',
    });
    await f.cfn.send(new CreateStackCommand({ StackName: 'rules', TemplateBody: ruled, Parameters: params({ Scheme: 'internet-facing', Subnets: 'subnet-1,subnet-2' }) }));
    await f.cfn.send(new CreateStackCommand({ StackName: 'rules-internal', TemplateBody: ruled, Parameters: params({ Scheme: 'internal' }) }));
    expect((await waitForStack(f.cfn, 'rules')).StackStatus).toBe('CREATE_COMPLETE');
  });

  it('YAML with short-form tags: conditions, Sub, GetAtt, Select/Split/Join, GetAZs, Cidr and NoValue evaluate like CloudFormation', async () => {
    const yaml = `
Parameters:
  Mode: { Type: String, Default: full }
  Cidrs: { Type: CommaDelimitedList, Default: "a,b,c" }
Conditions:
  IsFull: !Equals [!Ref Mode, full]
  IsLite: !Not [!Condition IsFull]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [IsFull, 5, !Ref AWS::NoValue]
  Skipped:
    Type: AWS::SSM::Parameter
    Condition: IsLite
    Properties: { Type: String, Value: never }
Outputs:
  Where: { Value: !Sub "\${AWS::StackName}/\${AWS::Region}/\${AWS::AccountId}/\${AWS::Partition}" }
  Arn: { Value: !GetAtt Queue.Arn }
  Name: { Value: !GetAtt [Queue, QueueName] }
  Zone: { Value: !Select [1, !GetAZs ""] }
  Second: { Value: !Select [1, !Ref Cidrs] }
  Rejoined: { Value: !Join ["+", !Split [",", "x,y,z"]] }
  Blocks: { Value: !Join [" ", !Cidr ["10.0.0.0/16", 3, 8]] }
  Url: { Value: !Ref Queue }
  Lite: { Condition: IsLite, Value: yes }
`;
    await f.cfn.send(new CreateStackCommand({ StackName: 'yaml', TemplateBody: yaml }));
    const stack = await waitForStack(f.cfn, 'yaml');
    const out = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(out).toEqual({
      Where: 'yaml/us-east-1/111111111111/aws',
      Arn: expect.stringMatching(/^arn:aws:sqs:us-east-1:111111111111:yaml-Queue-[A-Z0-9]{13}$/),
      Name: expect.stringMatching(/^yaml-Queue-[A-Z0-9]{13}$/),
      Zone: 'us-east-1b',
      Second: 'b',
      Rejoined: 'x+y+z',
      Blocks: '10.0.0.0/24 10.0.1.0/24 10.0.2.0/24',
      Url: `https://sqs.us-east-1.amazonaws.com/111111111111/${out.Name}`,
    });
  });

  it('resource properties are checked against the resource schema, failing the resource like CloudFormation\'s handlers', async () => {
    const body = template({ Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { Description: 'wrong key' } } });
    await f.cfn.send(new CreateStackCommand({ StackName: 'schema', TemplateBody: body }));
    const stack = await waitForStack(f.cfn, 'schema');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    const events = (await f.cfn.send(new DescribeStackEventsCommand({ StackName: 'schema' }))).StackEvents!;
    expect(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')!.ResourceStatusReason).toBe(
      'Properties validation failed for resource Group with message: [#: required key [GroupDescription] not found, #: extraneous key [Description] is not permitted]',
    );
  });
});
