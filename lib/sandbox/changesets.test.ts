import {
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  ListChangeSetsCommand,
  UpdateStackCommand,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, eventLines, sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture({ timeScale: 0.01 });
});
afterAll(() => f.sandbox.close());

/** Polls DescribeChangeSet until it settles, returning every status seen on the way. */
async function settle(stackName: string, changeSetName: string) {
  const seen: string[] = [];
  let last: DescribeChangeSetCommandOutput;
  for (;;) {
    last = await f.cfn.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
    if (seen[seen.length - 1] !== last.Status) seen.push(last.Status!);
    if (last.Status === 'CREATE_COMPLETE' || last.Status === 'FAILED') return { seen, last };
    expect(last.ExecutionStatus).toBe('UNAVAILABLE');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const inOrder = (seen: string[], order: string[]) => seen.every((s, i) => i === 0 || order.indexOf(s) > order.indexOf(seen[i - 1]!));

describe('change sets through the SDK', () => {
  it('stays CREATE_COMPLETE and executable once it was, even when the time scale slows down afterwards', async () => {
    const { Id } = await f.cfn.send(new CreateChangeSetCommand({ StackName: 'cs-slowed', ChangeSetName: 'initial', ChangeSetType: 'CREATE', TemplateBody: template({ Only: ssmParameter('a') }) }));
    expect((await settle('cs-slowed', 'initial')).last.ExecutionStatus).toBe('AVAILABLE');
    f.sandbox.setTimeScale(10);
    try {
      const again = await f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
      expect([again.Status, again.ExecutionStatus]).toEqual(['CREATE_COMPLETE', 'AVAILABLE']);
      await f.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    } finally {
      f.sandbox.setTimeScale(0.01);
    }
    expect((await waitForStack(f.cfn, 'cs-slowed')).StackStatus).toBe('CREATE_COMPLETE');
  });

  it('CREATE: REVIEW_IN_PROGRESS stack, CREATE_PENDING → CREATE_IN_PROGRESS → CREATE_COMPLETE with Add changes, then execution creates the stack', async () => {
    const body = template({ First: ssmParameter('a'), Second: ssmParameter({ Ref: 'First' }) });
    const { Id, StackId } = await f.cfn.send(new CreateChangeSetCommand({ StackName: 'cs-create', ChangeSetName: 'initial', ChangeSetType: 'CREATE', TemplateBody: body }));
    expect(Id).toMatch(/^arn:aws:cloudformation:us-east-1:111111111111:changeSet\/initial\/[0-9a-f-]{36}$/);
    expect((await waitForStack(f.cfn, 'cs-create', () => true)).StackStatus).toBe('REVIEW_IN_PROGRESS');

    const { seen, last } = await settle('cs-create', 'initial');
    expect(inOrder(seen, ['CREATE_PENDING', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE'])).toBe(true);
    expect(last.ExecutionStatus).toBe('AVAILABLE');
    expect(last.Changes!.map((c) => [c.Type, c.ResourceChange!.Action, c.ResourceChange!.LogicalResourceId, c.ResourceChange!.ResourceType])).toEqual([
      ['Resource', 'Add', 'First', 'AWS::SSM::Parameter'],
      ['Resource', 'Add', 'Second', 'AWS::SSM::Parameter'],
    ]);

    await f.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    const stack = await waitForStack(f.cfn, 'cs-create');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.ChangeSetId).toBe(Id);
    expect(stack.StackId).toBe(StackId);
    const lines = eventLines(await allEvents(f.cfn, 'cs-create'));
    expect(lines.slice(0, 2)).toEqual(['cs-create REVIEW_IN_PROGRESS User Initiated', 'cs-create CREATE_IN_PROGRESS User Initiated']);
    expect((await f.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).ExecutionStatus).toBe('EXECUTE_COMPLETE');
  });

  it('UPDATE: Modify with Replacement True/False/Conditional, Scope and Details, Add and Remove', async () => {
    const vpcId = (await f.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
    const body = (description: string, extra: Record<string, unknown>) =>
      template(
        {
          Setting: ssmParameter({ Ref: 'Level' }),
          Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: description, VpcId: vpcId } },
          Ingress: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { Ref: 'Group' }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' } },
          ...extra,
        },
        { Parameters: { Level: { Type: 'String' } } },
      );
    await f.cfn.send(new CreateStackCommand({ StackName: 'cs-update', TemplateBody: body('first', { Old: ssmParameter('old') }), Parameters: [{ ParameterKey: 'Level', ParameterValue: 'low' }] }));
    await waitForStack(f.cfn, 'cs-update');

    await f.cfn.send(
      new CreateChangeSetCommand({ StackName: 'cs-update', ChangeSetName: 'next', TemplateBody: body('second', { New: ssmParameter('new') }), Parameters: [{ ParameterKey: 'Level', ParameterValue: 'high' }] }),
    );
    const { last } = await settle('cs-update', 'next');

    const changes = Object.fromEntries(last.Changes!.map((c) => [c.ResourceChange!.LogicalResourceId, c.ResourceChange!]));
    expect(changes.Setting).toMatchObject({
      Action: 'Modify',
      Replacement: 'False',
      Scope: ['Properties'],
      Details: [{ Target: { Attribute: 'Properties', Name: 'Value', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'ParameterReference', CausingEntity: 'Level' }],
    });
    expect(changes.Group).toMatchObject({
      Action: 'Modify',
      Replacement: 'True',
      Details: [{ Target: { Attribute: 'Properties', Name: 'GroupDescription', RequiresRecreation: 'Always' }, Evaluation: 'Static', ChangeSource: 'DirectModification' }],
    });
    expect(changes.Ingress).toMatchObject({
      Action: 'Modify',
      Replacement: 'Conditional',
      Details: [{ Target: { Name: 'GroupId', RequiresRecreation: 'Always' }, Evaluation: 'Dynamic', ChangeSource: 'ResourceReference', CausingEntity: 'Group' }],
    });
    expect(changes.New).toMatchObject({ Action: 'Add', ResourceType: 'AWS::SSM::Parameter' });
    expect(changes.Old).toMatchObject({ Action: 'Remove', PhysicalResourceId: expect.stringMatching(/^CFN-Old-/) });
    expect(last.Parameters).toEqual([{ ParameterKey: 'Level', ParameterValue: 'high' }]);

    await f.cfn.send(new ExecuteChangeSetCommand({ StackName: 'cs-update', ChangeSetName: 'next' }));
    expect((await waitForStack(f.cfn, 'cs-update')).StackStatus).toBe('UPDATE_COMPLETE');
  });

  it('a change set without changes FAILS with CloudFormation\'s reason and cannot be executed', async () => {
    const body = template({ Only: ssmParameter('same') });
    await f.cfn.send(new CreateStackCommand({ StackName: 'cs-same', TemplateBody: body }));
    await waitForStack(f.cfn, 'cs-same');
    await f.cfn.send(new CreateChangeSetCommand({ StackName: 'cs-same', ChangeSetName: 'nothing', TemplateBody: body }));
    const { last } = await settle('cs-same', 'nothing');

    expect(last.Status).toBe('FAILED');
    expect(last.ExecutionStatus).toBe('UNAVAILABLE');
    expect(last.StatusReason).toBe("The submitted information didn't contain changes. Submit different information to create a change set.");
    await expect(f.cfn.send(new ExecuteChangeSetCommand({ StackName: 'cs-same', ChangeSetName: 'nothing' }))).rejects.toMatchObject({ name: 'InvalidChangeSetStatusException' });
  });

  it('ListChangeSets and DeleteChangeSet', async () => {
    const body = template({ Only: ssmParameter('v1') });
    await f.cfn.send(new CreateStackCommand({ StackName: 'cs-list', TemplateBody: body }));
    await waitForStack(f.cfn, 'cs-list');
    for (const name of ['one', 'two']) {
      await f.cfn.send(new CreateChangeSetCommand({ StackName: 'cs-list', ChangeSetName: name, TemplateBody: template({ Only: ssmParameter(name) }) }));
    }
    const listed = (await f.cfn.send(new ListChangeSetsCommand({ StackName: 'cs-list' }))).Summaries!;
    expect(listed.map((s) => s.ChangeSetName)).toEqual(['one', 'two']);

    await f.cfn.send(new DeleteChangeSetCommand({ StackName: 'cs-list', ChangeSetName: 'one' }));
    await expect(f.cfn.send(new DescribeChangeSetCommand({ StackName: 'cs-list', ChangeSetName: 'one' }))).rejects.toMatchObject({
      name: 'ChangeSetNotFoundException',
      message: 'ChangeSet [one] does not exist',
    });
    expect((await f.cfn.send(new ListChangeSetsCommand({ StackName: 'cs-list' }))).Summaries!.map((s) => s.ChangeSetName)).toEqual(['two']);
  });

  it('UsePreviousTemplate and UsePreviousValue work on CreateChangeSet and UpdateStack', async () => {
    const body = template({ Setting: ssmParameter({ 'Fn::Join': ['/', [{ Ref: 'A' }, { Ref: 'B' }]] }) }, { Parameters: { A: { Type: 'String' }, B: { Type: 'String' } } });
    await f.cfn.send(new CreateStackCommand({ StackName: 'previous', TemplateBody: body, Parameters: [{ ParameterKey: 'A', ParameterValue: 'a1' }, { ParameterKey: 'B', ParameterValue: 'b1' }] }));
    await waitForStack(f.cfn, 'previous');
    const keepA = { ParameterKey: 'A', UsePreviousValue: true };

    await f.cfn.send(new CreateChangeSetCommand({ StackName: 'previous', ChangeSetName: 'b2', UsePreviousTemplate: true, Parameters: [keepA, { ParameterKey: 'B', ParameterValue: 'b2' }] }));
    const { last } = await settle('previous', 'b2');
    expect(last.Parameters).toEqual([{ ParameterKey: 'A', ParameterValue: 'a1' }, { ParameterKey: 'B', ParameterValue: 'b2' }]);

    await f.cfn.send(new UpdateStackCommand({ StackName: 'previous', UsePreviousTemplate: true, Parameters: [keepA, { ParameterKey: 'B', ParameterValue: 'b3' }] }));
    const stack = await waitForStack(f.cfn, 'previous');
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE');
    expect(stack.Parameters).toEqual([{ ParameterKey: 'A', ParameterValue: 'a1' }, { ParameterKey: 'B', ParameterValue: 'b3' }]);
    await expect(f.cfn.send(new CreateStackCommand({ StackName: 'fresh', TemplateBody: body, Parameters: [keepA, { ParameterKey: 'B', ParameterValue: 'x' }] }))).rejects.toThrow(
      'Cannot specify usePreviousValue as true for non-existing stack',
    );
  });
});
