import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_ACCOUNT_CREDENTIALS } from './auth/identity';
import { allEvents, eventLines, sandboxFixture, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
let rds: RDSClient;
let subnets: string[];
beforeAll(async () => {
  f = await sandboxFixture();
  rds = new RDSClient(f.config);
  const found = await f.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:Tier', Values: ['Private'] }] }));
  subnets = (found.Subnets ?? []).map((s) => s.SubnetId!);
});
afterAll(() => f.sandbox.close());

const database = () =>
  template(
    {
      Group: { Type: 'AWS::RDS::DBSubnetGroup', Properties: { DBSubnetGroupDescription: 'db', SubnetIds: subnets } },
      Db: {
        Type: 'AWS::RDS::DBInstance',
        DeletionPolicy: 'Snapshot',
        Properties: {
          Engine: 'postgres',
          EngineVersion: { Ref: 'Version' },
          DBInstanceClass: 'db.t4g.micro',
          AllocatedStorage: '20',
          MasterUsername: 'lakerunner',
          MasterUserPassword: 'not-a-real-password',
          DBSubnetGroupName: { Ref: 'Group' },
          DeletionProtection: { Ref: 'Protect' },
        },
      },
    },
    { Parameters: { Version: { Type: 'String' }, Protect: { Type: 'String', Default: 'true' } }, Outputs: { Id: { Value: { Ref: 'Db' } } } },
  );
const params = (values: Record<string, string>) => Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

describe('RDS', () => {
  it('DescribeDBInstances reports the stacks\' instances as RDS runs them: a major version at its default minor', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'rds-major', TemplateBody: database(), Parameters: params({ Version: '17' }) }));
    await f.cfn.send(new CreateStackCommand({ StackName: 'rds-minor', TemplateBody: database(), Parameters: params({ Version: '16.4', Protect: 'false' }) }));
    const [major, minor] = await Promise.all([waitForStack(f.cfn, 'rds-major'), waitForStack(f.cfn, 'rds-minor')]);
    const id = (stack: typeof major) => stack.Outputs!.find((o) => o.OutputKey === 'Id')!.OutputValue!;

    const one = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id(major) }));
    expect(one.DBInstances?.map((d) => [d.DBInstanceIdentifier, d.Engine, d.EngineVersion, d.DeletionProtection, d.DBInstanceStatus])).toEqual([
      [id(major), 'postgres', '17.7', true, 'available'],
    ]);
    expect(one.DBInstances?.[0]?.Endpoint?.Port).toBe(5432);
    const all = await rds.send(new DescribeDBInstancesCommand({}));
    expect(all.DBInstances?.map((d) => [d.DBInstanceIdentifier, d.EngineVersion]).sort()).toEqual([
      [id(major), '17.7'],
      [id(minor), '16.4'],
    ].sort());
    await expect(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'no-such-db' }))).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault', message: 'DBInstance no-such-db not found.' });
    expect(one.DBInstances?.[0]?.DBInstanceArn).toBe(`arn:aws:rds:${f.sandbox.region}:111111111111:db:${id(major)}`);
    // another account sees its own instances only
    const other = new RDSClient({ ...f.config, credentials: SECOND_ACCOUNT_CREDENTIALS });
    expect((await other.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).toEqual([]);
  });

  it('refuses to delete an instance with deletion protection, as RDS does; turned off by an update first, the delete completes', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'rds-protected', TemplateBody: database(), Parameters: params({ Version: '17.7' }) }));
    const { StackId: switchedOff } = await f.cfn.send(new CreateStackCommand({ StackName: 'rds-switched-off', TemplateBody: database(), Parameters: params({ Version: '17.7' }) }));
    await Promise.all([waitForStack(f.cfn, 'rds-protected'), waitForStack(f.cfn, 'rds-switched-off')]);

    // Deleted with the protection on: the stack ends DELETE_FAILED, and CloudFormation no longer updates it
    await f.cfn.send(new DeleteStackCommand({ StackName: 'rds-protected' }));
    expect((await waitForStack(f.cfn, 'rds-protected')).StackStatus).toBe('DELETE_FAILED');
    expect(eventLines(await allEvents(f.cfn, 'rds-protected')).find((line) => line.startsWith('Db DELETE_FAILED'))).toContain('Cannot delete protected DB Instance');

    // Switched off by an update first: the delete completes
    await f.cfn.send(new UpdateStackCommand({ StackName: 'rds-switched-off', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Version', UsePreviousValue: true }, { ParameterKey: 'Protect', ParameterValue: 'false' }] }));
    expect((await waitForStack(f.cfn, 'rds-switched-off')).StackStatus).toBe('UPDATE_COMPLETE');
    await f.cfn.send(new DeleteStackCommand({ StackName: 'rds-switched-off' }));
    expect((await waitForStack(f.cfn, switchedOff!)).StackStatus).toBe('DELETE_COMPLETE');
  });
});
