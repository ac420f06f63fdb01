import { CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeClustersCommand, ECSClient, ListClustersCommand, ListServicesCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, eventLines, template, twoAccountSandbox, waitForStack, type Clients, type ControlApi, type Fixture } from './testing';

const TOKEN = 'ecs-test-token';
const A = '111111111111';
const B = '222222222222';

let f: Fixture;
let b: Clients;
let control: ControlApi;
beforeAll(async () => {
  ({ f, b, control } = await twoAccountSandbox(TOKEN));
});
afterAll(() => f.sandbox.close());

const arn = (account: string, name: string, region = 'us-east-1') => `arn:aws:ecs:${region}:${account}:cluster/${name}`;
const task = {
  Type: 'AWS::ECS::TaskDefinition',
  Properties: { RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', Cpu: '256', Memory: '512', ContainerDefinitions: [{ Name: 'app', Image: 'public.ecr.aws/docker/library/busybox:latest' }] },
};
const serviceOn = (cluster: unknown, desired = 2) => ({
  Type: 'AWS::ECS::Service',
  Properties: { Cluster: cluster, TaskDefinition: { Ref: 'Task' }, DesiredCount: desired, CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }] },
});

describe('ECS DescribeClusters and ListClusters (JSON 1.1) for preflights', () => {
  it('a stack’s cluster: capacity providers from the cluster and its association, settings and tags when included, services counted', async () => {
    await f.cfn.send(
      new CreateStackCommand({
        StackName: 'poc-cluster',
        TemplateBody: template({
          Cluster: {
            Type: 'AWS::ECS::Cluster',
            Properties: {
              ClusterName: 'poc',
              CapacityProviders: ['FARGATE'],
              ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
              Tags: [{ Key: 'team', Value: 'obs' }],
            },
          },
          Spot: {
            Type: 'AWS::ECS::ClusterCapacityProviderAssociations',
            Properties: { Cluster: { Ref: 'Cluster' }, CapacityProviders: ['FARGATE_SPOT'], DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1, Base: 0 }] },
          },
          Task: task,
          Service: serviceOn({ Ref: 'Cluster' }, 3),
        }),
      }),
    );
    const stack = await waitForStack(f.cfn, 'poc-cluster');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');

    const plain = await f.ecs.send(new DescribeClustersCommand({ clusters: ['poc'] }));
    expect(plain.failures).toEqual([]);
    expect(plain.clusters).toEqual([
      {
        clusterArn: arn(A, 'poc'),
        clusterName: 'poc',
        status: 'ACTIVE',
        registeredContainerInstancesCount: 0,
        runningTasksCount: 3,
        pendingTasksCount: 0,
        activeServicesCount: 1,
        statistics: [],
        tags: [],
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }],
      },
    ]);
    const full = await f.ecs.send(new DescribeClustersCommand({ clusters: [arn(A, 'poc')], include: ['SETTINGS', 'TAGS', 'STATISTICS'] }));
    expect(full.clusters![0]).toMatchObject({
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      tags: [{ key: 'team', value: 'obs' }],
      statistics: expect.arrayContaining([
        { name: 'runningFargateTasksCount', value: '3' },
        { name: 'activeFargateServiceCount', value: '1' },
      ]),
    });
    expect((await f.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([arn(A, 'poc')]);

    // deleted with its stack: gone from both calls
    await f.cfn.send(new DeleteStackCommand({ StackName: 'poc-cluster' }));
    expect((await waitForStack(f.cfn, stack.StackId!)).StackStatus).toBe('DELETE_COMPLETE');
    expect(await f.ecs.send(new DescribeClustersCommand({ clusters: ['poc'] }))).toMatchObject({ clusters: [], failures: [{ arn: arn(A, 'poc'), reason: 'MISSING' }] });
    expect((await f.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
  });

  it('a customer-owned cluster seeded over the control API, with and without FARGATE, in an account and region of its own', async () => {
    expect(await control('POST', 'ecs/clusters', { accountId: B, clusterName: 'customer', capacityProviders: ['FARGATE', 'FARGATE_SPOT'], tags: [{ key: 'owner', value: 'platform' }] })).toEqual({
      status: 200,
      body: { clusterArn: arn(B, 'customer') },
    });
    expect((await control('POST', 'ecs/clusters', { accountId: B, clusterName: 'ec2-only', capacityProviders: ['asg-provider'] })).status).toBe(200);
    expect((await control('POST', 'ecs/clusters', { accountId: B, region: 'eu-west-1', clusterName: 'in-dublin', capacityProviders: ['FARGATE'] })).status).toBe(200);
    expect((await control('POST', 'ecs/clusters', { accountId: B, clusterName: 'retired', capacityProviders: ['FARGATE'], status: 'INACTIVE' })).status).toBe(200);

    const described = await b.ecs.send(new DescribeClustersCommand({ clusters: ['customer', 'ec2-only', 'retired', 'in-dublin', arn(A, 'customer')], include: ['TAGS'] }));
    expect(described.clusters!.map((c) => [c.clusterName, c.status, c.capacityProviders, c.tags])).toEqual([
      ['customer', 'ACTIVE', ['FARGATE', 'FARGATE_SPOT'], [{ key: 'owner', value: 'platform' }]],
      ['ec2-only', 'ACTIVE', ['asg-provider'], []],
      ['retired', 'INACTIVE', ['FARGATE'], []],
    ]);
    // another region's cluster, and a cluster ARN of another account, are MISSING here
    expect(described.failures).toEqual([
      { arn: arn(B, 'in-dublin'), reason: 'MISSING' },
      { arn: arn(A, 'customer'), reason: 'MISSING' },
    ]);
    expect((await b.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([arn(B, 'customer'), arn(B, 'ec2-only')]);
    const dublin = new ECSClient({ ...b.config, region: 'eu-west-1' });
    expect((await dublin.send(new ListClustersCommand({}))).clusterArns).toEqual([arn(B, 'in-dublin', 'eu-west-1')]);
    // account A sees none of them
    expect((await f.ecs.send(new DescribeClustersCommand({ clusters: ['customer'] }))).failures).toEqual([{ arn: arn(A, 'customer'), reason: 'MISSING' }]);

    // and ListClusters pages
    const first = await b.ecs.send(new ListClustersCommand({ maxResults: 1 }));
    expect(first.clusterArns).toEqual([arn(B, 'customer')]);
    const second = await b.ecs.send(new ListClustersCommand({ maxResults: 1, nextToken: first.nextToken }));
    expect(second.clusterArns).toEqual([arn(B, 'ec2-only')]);
    expect(second.nextToken).toBeUndefined();
  });

  it('stacks deploy services onto a seeded cluster as its capacity providers allow', async () => {
    f.sandbox.seed.cluster({ clusterName: 'brought', capacityProviders: ['FARGATE'] });
    f.sandbox.seed.cluster({ clusterName: 'no-fargate', capacityProviders: [] });
    await f.cfn.send(new CreateStackCommand({ StackName: 'on-brought', TemplateBody: template({ Task: task, Service: serviceOn('brought', 1) }) }));
    expect((await waitForStack(f.cfn, 'on-brought')).StackStatus).toBe('CREATE_COMPLETE');
    expect((await f.ecs.send(new DescribeClustersCommand({ clusters: ['brought'] }))).clusters![0]).toMatchObject({ activeServicesCount: 1, runningTasksCount: 1 });

    await f.cfn.send(new CreateStackCommand({ StackName: 'on-no-fargate', TemplateBody: template({ Task: task, Service: serviceOn('no-fargate', 1) }) }));
    expect((await waitForStack(f.cfn, 'on-no-fargate')).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, 'on-no-fargate')).find((l) => l.startsWith('Service CREATE_FAILED'))).toContain(
      'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster.',
    );
    // a stack may not create a cluster under a seeded cluster's name, and an inactive one hosts nothing
    await f.cfn.send(new CreateStackCommand({ StackName: 'clash', TemplateBody: template({ Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: 'brought' } } }) }));
    expect(eventLines(await allEvents(f.cfn, (await waitForStack(f.cfn, 'clash')).StackId!))).toContain(
      "Cluster CREATE_FAILED Resource of type 'AWS::ECS::Cluster' with identifier 'brought' already exists.",
    );
    f.sandbox.seed.cluster({ clusterName: 'brought-gone', capacityProviders: ['FARGATE'], status: 'INACTIVE' });
    await f.cfn.send(new CreateStackCommand({ StackName: 'on-inactive', TemplateBody: template({ Task: task, Service: serviceOn('brought-gone', 1) }) }));
    expect((await waitForStack(f.cfn, 'on-inactive')).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, 'on-inactive')).find((l) => l.startsWith('Service CREATE_FAILED'))).toContain('Cluster not found.');

    expect(await control('DELETE', 'ecs/clusters', { clusterName: 'no-fargate' })).toEqual({ status: 204, body: undefined });
    expect(await control('DELETE', 'ecs/clusters', { clusterName: 'no-fargate' })).toEqual({ status: 404, body: { error: 'No such seeded cluster' } });
    expect((await f.ecs.send(new DescribeClustersCommand({ clusters: ['no-fargate'] }))).failures).toEqual([{ arn: arn(A, 'no-fargate'), reason: 'MISSING' }]);
  });

  it('answers the way ECS does: the default cluster when none is named, its errors as the SDK parses them', async () => {
    expect(await f.ecs.send(new DescribeClustersCommand({}))).toMatchObject({ clusters: [], failures: [{ arn: arn(A, 'default'), reason: 'MISSING' }] });
    await expect(f.ecs.send(new DescribeClustersCommand({ clusters: ['poc'], include: ['EVERYTHING' as 'TAGS'] }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(f.ecs.send(new DescribeClustersCommand({ clusters: ['arn:aws:ecs:us-east-1:cluster'] }))).rejects.toMatchObject({ name: 'ClientException', message: 'Invalid identifier: arn:aws:ecs:us-east-1:cluster' });
    await expect(f.ecs.send(new ListClustersCommand({ maxResults: 101 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(f.ecs.send(new ListServicesCommand({ cluster: 'brought' }))).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });

  it('the control API refuses clusters it cannot model', async () => {
    const cases: [unknown, string][] = [
      [{ clusterName: 'has space' }, 'clusterName must be 1 to 255 letters, digits, hyphens or underscores'],
      [{ clusterName: 'x', capacityProviders: 'FARGATE' }, 'capacityProviders must be a list of capacity provider names'],
      [{ clusterName: 'x', capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT' }] }, "defaultCapacityProviderStrategy may only name the cluster's capacityProviders"],
      [{ clusterName: 'x', status: 'SLEEPING' }, 'status must be one of ACTIVE, PROVISIONING, DEPROVISIONING, FAILED, INACTIVE'],
      [{ clusterName: 'x', accountId: 'B' }, 'accountId must be 12 digits'],
      [{ clusterName: 'x', region: 'Mars' }, 'region must be a region name such as us-east-1'],
    ];
    for (const [body, error] of cases) expect(await control('POST', 'ecs/clusters', body)).toEqual({ status: 400, body: { error } });
  });
});
