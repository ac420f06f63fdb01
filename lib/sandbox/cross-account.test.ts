import { CreateStackCommand, DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from './index';
import { ssmParameter, template, temporary, twoAccountSandbox, waitForStack, type Clients, type ControlApi, type Fixture } from './testing';

const TOKEN = 'cross-account-token';
const A = '111111111111';
const B = '222222222222';
const DEPLOY_IN_B = `arn:aws:iam::${B}:role/DeployFromA`;
const CONFIGURED_IN_B = `arn:aws:iam::${B}:role/team/ConfiguredTrust`;

const policy = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
const allow = (principal: unknown, condition?: object) => ({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) });
const externalId = (id: string) => ({ StringEquals: { 'sts:ExternalId': id } });

let f: Fixture;
let b: Clients;
let control: ControlApi;
beforeAll(async () => {
  ({ f, b, control } = await twoAccountSandbox(TOKEN, {
    roles: [...DEFAULT_ROLES, { arn: CONFIGURED_IN_B, trustPolicy: policy(allow({ AWS: `arn:aws:iam::${A}:user/sandbox` }, externalId('configured'))) }],
  }));
});
afterAll(() => f.sandbox.close());

const assume = (clients: Clients, RoleArn: string, ExternalId?: string) => clients.sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'preflight', ExternalId }));
const denied = (callerArn: string, roleArn: string) => ({
  name: 'AccessDenied',
  message: `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  $metadata: { httpStatusCode: 403 },
});

describe('AssumeRole across accounts, by the target role’s trust policy', () => {
  it('a role seeded in B trusting A with an ExternalId: A gets credentials that act in B; a wrong or missing id, or B itself, is denied', async () => {
    expect(await control('POST', 'roles', { arn: DEPLOY_IN_B, trustPolicy: policy(allow({ AWS: `arn:aws:iam::${A}:root` }, externalId('ext-b'))) })).toEqual({ status: 204, body: undefined });

    const { Credentials, AssumedRoleUser } = await assume(f, DEPLOY_IN_B, 'ext-b');
    expect(AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${B}:assumed-role/DeployFromA/preflight`);
    const inB = f.as(temporary(Credentials));
    expect(await inB.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: B, Arn: `arn:aws:sts::${B}:assumed-role/DeployFromA/preflight` });

    // what the session does happens in B
    await inB.cfn.send(new CreateStackCommand({ StackName: 'made-through-the-role', TemplateBody: template({ P: ssmParameter('v') }) }));
    const made = await waitForStack(inB.cfn, 'made-through-the-role');
    expect(made.StackId).toMatch(`:${B}:stack/made-through-the-role/`);
    expect((await b.cfn.send(new DescribeStacksCommand({ StackName: 'made-through-the-role' }))).Stacks![0]!.StackId).toBe(made.StackId);
    await expect(f.cfn.send(new DescribeStacksCommand({ StackName: 'made-through-the-role' }))).rejects.toMatchObject({ name: 'ValidationError' });

    await expect(assume(f, DEPLOY_IN_B, 'not-it')).rejects.toMatchObject(denied(`arn:aws:iam::${A}:user/sandbox`, DEPLOY_IN_B));
    await expect(assume(f, DEPLOY_IN_B)).rejects.toMatchObject(denied(`arn:aws:iam::${A}:user/sandbox`, DEPLOY_IN_B));
    // the trust names A's account: B's own user is not in it
    await expect(assume(b, DEPLOY_IN_B, 'ext-b')).rejects.toMatchObject(denied(`arn:aws:iam::${B}:user/sandbox`, DEPLOY_IN_B));

    // removing the role ends it
    expect(await control('DELETE', 'roles', { arn: DEPLOY_IN_B })).toEqual({ status: 204, body: undefined });
    await expect(assume(f, DEPLOY_IN_B, 'ext-b')).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(await control('DELETE', 'roles', { arn: DEPLOY_IN_B })).toEqual({ status: 404, body: { error: 'No such seeded role' } });
  });

  it('a Deny for one principal wins over an Allow for its account; `*` trusts anyone with the ExternalId', async () => {
    f.sandbox.seed.role({
      arn: `arn:aws:iam::${B}:role/AllButTheUser`,
      trustPolicy: JSON.stringify(policy(allow({ AWS: A }), { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${A}:user/sandbox` }, Action: 'sts:AssumeRole' })),
    });
    await expect(assume(f, `arn:aws:iam::${B}:role/AllButTheUser`)).rejects.toMatchObject({ name: 'AccessDenied' });
    // a session of A's deploy role is in account A but is not the denied user
    const { Credentials } = await assume(f, DEFAULT_ROLES[0]!.arn, 'lakerunner-sandbox');
    const asRole = f.as(temporary(Credentials));
    expect((await assume(asRole, `arn:aws:iam::${B}:role/AllButTheUser`)).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${B}:assumed-role/AllButTheUser/preflight`);

    f.sandbox.seed.role({ arn: `arn:aws:iam::${B}:role/Anyone`, trustPolicy: policy(allow('*', externalId('open'))) });
    expect((await assume(f, `arn:aws:iam::${B}:role/Anyone`, 'open')).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${B}:assumed-role/Anyone/preflight`);
    await expect(assume(f, `arn:aws:iam::${B}:role/Anyone`, 'closed')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('a role trusting a role of A (the process role a stack made there) lets that role’s sessions in, not A’s user', async () => {
    // given A's "process role", created by a stack in A and assumable by A's user
    await f.cfn.send(
      new CreateStackCommand({
        StackName: 'process-role',
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        TemplateBody: template(
          { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'ProcessRole', Path: '/app/', AssumeRolePolicyDocument: policy(allow({ AWS: `arn:aws:iam::${A}:root` })) } } },
          { Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } } } },
        ),
      }),
    );
    const processRole = (await waitForStack(f.cfn, 'process-role')).Outputs![0]!.OutputValue!;
    expect(processRole).toBe(`arn:aws:iam::${A}:role/app/ProcessRole`);
    // and in B, a stack's access role trusting that process role with an ExternalId
    await b.cfn.send(
      new CreateStackCommand({
        StackName: 'satellite-access',
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: [{ ParameterKey: 'Trusted', ParameterValue: processRole }],
        TemplateBody: template(
          { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: policy(allow({ AWS: { Ref: 'Trusted' } }, externalId('satellite'))) } } },
          { Parameters: { Trusted: { Type: 'String' } }, Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } } } },
        ),
      }),
    );
    const satellite = await waitForStack(b.cfn, 'satellite-access');
    const access = satellite.Outputs![0]!.OutputValue!;
    expect(access).toMatch(new RegExp(`^arn:aws:iam::${B}:role/satellite-access-Role-`));

    // when A's process role assumes B's access role, it gets in; A's user does not
    const processSession = f.as(temporary((await assume(f, processRole)).Credentials));
    const { AssumedRoleUser } = await assume(processSession, access, 'satellite');
    expect(AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${B}:assumed-role/${access.split('/').pop()}/preflight`);
    await expect(assume(processSession, access, 'wrong')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(assume(f, access, 'satellite')).rejects.toMatchObject(denied(`arn:aws:iam::${A}:user/sandbox`, access));

    // once B's stack is gone, so is its role
    await b.cfn.send(new DeleteStackCommand({ StackName: 'satellite-access' }));
    expect((await waitForStack(b.cfn, satellite.StackId!)).StackStatus).toBe('DELETE_COMPLETE');
    await expect(assume(processSession, access, 'satellite')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('configured roles: a trust policy from options decides; the ExternalId shorthand lets only the role’s own account in', async () => {
    expect((await assume(f, CONFIGURED_IN_B, 'configured')).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${B}:assumed-role/ConfiguredTrust/preflight`);
    await expect(assume(b, CONFIGURED_IN_B, 'configured')).rejects.toMatchObject({ name: 'AccessDenied' });

    const deployRole = DEFAULT_ROLES[0]!.arn;
    expect((await assume(f, deployRole, 'lakerunner-sandbox')).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${A}:assumed-role/LakerunnerDeployRole/preflight`);
    await expect(assume(b, deployRole, 'lakerunner-sandbox')).rejects.toMatchObject(denied(`arn:aws:iam::${B}:user/sandbox`, deployRole));
    expect(f.sandbox.roles).toEqual([{ arn: deployRole, externalId: 'lakerunner-sandbox' }]);
  });

  it('the control API refuses roles it cannot model: not a role ARN, no statements, a configured role, a name a stack holds', async () => {
    const cases: [unknown, string][] = [
      [{ arn: 'arn:aws:iam::222222222222:user/x', trustPolicy: policy() }, 'arn must be a role ARN: arn:aws:iam::<12 digits>:role/[path/]<name>'],
      [{ arn: `arn:aws:iam::${B}:role/NoStatements`, trustPolicy: { Version: '2012-10-17' } }, 'trustPolicy must be a policy document with a Statement'],
      [{ arn: `arn:aws:iam::${B}:role/BadJson`, trustPolicy: '{not json' }, 'trustPolicy must be a policy document with a Statement'],
      [{ arn: CONFIGURED_IN_B, trustPolicy: policy() }, `${CONFIGURED_IN_B} is configured by the sandbox's options`],
      [{ arn: `arn:aws:iam::${A}:role/app/ProcessRole`, trustPolicy: policy() }, `A role named ProcessRole already exists in account ${A} (created by a stack)`],
    ];
    for (const [body, error] of cases) expect(await control('POST', 'roles', body)).toEqual({ status: 400, body: { error } });
    // and a seeded role's name is taken for stacks of that account
    f.sandbox.seed.role({ arn: `arn:aws:iam::${B}:role/Seeded`, trustPolicy: policy(allow({ AWS: A })) });
    await b.cfn.send(
      new CreateStackCommand({
        StackName: 'same-role-name',
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        TemplateBody: template({ Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'Seeded', AssumeRolePolicyDocument: policy(allow({ AWS: B })) } } }),
      }),
    );
    expect((await waitForStack(b.cfn, 'same-role-name')).StackStatus).toBe('ROLLBACK_COMPLETE');
  });
});
