import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { createAwsContext } from '@/lib/aws/clients';
import { defaultPlan, type Plan } from '@/lib/params/plan';
import { defaultPlan2025 } from '@/lib/plan/testing/line-2025';
import { SECOND_ACCOUNT_CREDENTIALS, SECOND_ACCOUNT_ID } from '@/lib/sandbox/index';
import { listRuns } from '@/lib/store/runs';
import { createDeployment } from '@/lib/store/deployments';
import { lineById, lineMeta } from '@/templates';
import { LINE_CURRENT } from '@/templates/current/line';
import { prepareRun, RunRefusedError } from './engine';
import { checkEnvironment, environmentRefusal, problemMessage } from './environment';
import { engineOnSandbox } from './testing/engine-on-sandbox';

const ACCOUNT = '111111111111';
const fixture = engineOnSandbox('environment');
const context = () => createAwsContext({ mode: 'sandbox', endpoint: fixture.sandbox.endpoint, credentials: async () => fixture.sandbox.credentials, defaultRegion: 'us-east-1' }, 'us-east-1');
const ENV = LINE_CURRENT.environment!;

/** A customer VPC: private subnets in `privateZones`, public ones in a and b. */
function customerVpc(privateZones: string[] = ['us-east-1a', 'us-east-1b']) {
  const seeded = fixture.sandbox.seed.network({
    cidrBlock: '10.60.0.0/16',
    subnets: [
      ...privateZones.map((zone, i) => ({ cidrBlock: `10.60.${i}.0/24`, availabilityZone: zone })),
      { cidrBlock: '10.60.100.0/24', availabilityZone: 'us-east-1a', public: true },
      { cidrBlock: '10.60.101.0/24', availabilityZone: 'us-east-1b', public: true },
    ],
  });
  const n = privateZones.length;
  return { vpcId: seeded.vpcId, privates: seeded.subnetIds.slice(0, n), publics: seeded.subnetIds.slice(n) };
}

/** The current line on the customer's VPC and cluster: every field the line names, given. */
function customerPlan(network: { vpcId: string; privates: string[]; publics: string[] }, cluster: string, options: { scheme?: string } = {}): Plan {
  const plan = defaultPlan(lineMeta('current'));
  plan.network = 'existing';
  plan.include = { cluster: false, cwmetrics: false };
  const set = (stack: string, key: string, value: string) => ((plan.params[stack] ??= {})[key] = value);
  for (const at of ENV.vpc) set(at.stack, at.key, network.vpcId);
  for (const at of ENV.privateSubnets) set(at.stack, at.key, network.privates.join(','));
  set('services', 'PublicSubnets', network.publics.join(','));
  for (const at of ENV.cluster) set(at.stack, at.key, at.key === 'ClusterName' ? cluster : `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${cluster}`);
  if (options.scheme) set('services', 'AlbScheme', options.scheme);
  return plan;
}

const line = lineById('current');

describe('the preflight of a customer VPC and cluster (current line)', () => {
  it('passes a VPC with private and public subnets in two zones and an active cluster with FARGATE', async () => {
    const vpc = customerVpc();
    fixture.sandbox.seed.cluster({ clusterName: 'env-good', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
    const check = await checkEnvironment(context(), customerPlan(vpc, 'env-good', { scheme: 'internet-facing' }), line);
    expect(check).toEqual({ problems: [] });
  });

  it('refuses a cluster without the FARGATE capacity provider on every field that names it, saying how to associate it', async () => {
    const vpc = customerVpc();
    fixture.sandbox.seed.cluster({ clusterName: 'env-ec2-only', capacityProviders: ['my-asg-provider'] });
    const { problems } = await checkEnvironment(context(), customerPlan(vpc, 'env-ec2-only'), line);
    expect(problems.map((p) => p.path).sort()).toEqual(['params.infra-base.ClusterArn', 'params.satellite-services.EcsClusterArn', 'params.services.ClusterArn', 'params.services.ClusterName']);
    const onName = problems.find((p) => p.path === 'params.services.ClusterName')!;
    expect(problemMessage(onName)).toBe(
      'Lakerunner services: ECS cluster name: the ECS cluster env-ec2-only does not have the FARGATE capacity provider associated (it has my-asg-provider), and every service of the plan runs on FARGATE. Associate it (aws ecs put-cluster-capacity-providers --cluster env-ec2-only --capacity-providers FARGATE FARGATE_SPOT --default-capacity-provider-strategy capacityProvider=FARGATE,weight=1), or turn on “ECS cluster (proof of concept)” so the console creates one.',
    );
    // one sentence for the refusal, naming every field once
    const refusal = environmentRefusal(problems);
    expect(refusal.match(/does not have the FARGATE capacity provider/g)).toHaveLength(1);
    expect(refusal).toMatch(/^Lakerunner security and storage: ECS cluster ARN, .* and Lakerunner services: ECS cluster ARN: the ECS cluster env-ec2-only does not have/);
    expect(refusal).toMatch(/Nothing was created\.$/);
  });

  it.each([
    ['a missing cluster', undefined, /the ECS cluster env-nowhere does not exist in us-east-1 for this account/],
    ['an inactive cluster', 'INACTIVE' as const, /the ECS cluster env-nowhere is INACTIVE, not ACTIVE/],
  ])('refuses %s', async (_, status, reason) => {
    const vpc = customerVpc();
    if (status) fixture.sandbox.seed.cluster({ clusterName: 'env-nowhere', capacityProviders: ['FARGATE'], status });
    const { problems } = await checkEnvironment(context(), customerPlan(vpc, 'env-nowhere'), line);
    expect(problems.find((p) => p.path === 'params.services.ClusterName')?.reason).toMatch(reason);
    if (status) fixture.sandbox.seed.removeCluster({ clusterName: 'env-nowhere' });
  });

  it('refuses a VPC that does not exist, on each stack that asks for it', async () => {
    fixture.sandbox.seed.cluster({ clusterName: 'env-vpcless', capacityProviders: ['FARGATE'] });
    const plan = customerPlan({ vpcId: 'vpc-0123456789abcdef0', privates: [], publics: [] }, 'env-vpcless');
    const { problems } = await checkEnvironment(context(), plan, line);
    const vpcProblems = problems.filter((p) => p.path.endsWith('.VpcId'));
    expect(vpcProblems.map((p) => p.path).sort()).toEqual(['params.infra-base.VpcId', 'params.infra-rds.VpcId', 'params.satellite-services.VpcId', 'params.services.VpcId']);
    expect(vpcProblems[0]!.reason).toBe('the VPC vpc-0123456789abcdef0 does not exist in us-east-1 for this account. Give one of the account\'s VPCs in us-east-1, or choose “Create a VPC for a proof of concept”.');
  });

  it('refuses private subnets all in one Availability Zone, and a public subnet given as a private one', async () => {
    fixture.sandbox.seed.cluster({ clusterName: 'env-zones', capacityProviders: ['FARGATE'] });
    const oneZone = customerVpc(['us-east-1a', 'us-east-1a']);
    const { problems } = await checkEnvironment(context(), customerPlan(oneZone, 'env-zones'), line);
    expect(problems.find((p) => p.path === 'params.services.PrivateSubnets')?.reason).toBe(
      `it needs at least two private subnets in different Availability Zones: ${oneZone.privates[0]} and ${oneZone.privates[1]} are all in us-east-1a. Add a private subnet in another Availability Zone.`,
    );
    expect(problems.map((p) => p.path).sort()).toEqual(['params.infra-rds.PrivateSubnetsCsv', 'params.satellite-services.AlbSubnetsCsv', 'params.satellite-services.TaskSubnetsCsv', 'params.services.PrivateSubnets']);

    const vpc = customerVpc();
    const exposed = customerPlan({ ...vpc, privates: [vpc.privates[0]!, vpc.publics[1]!] }, 'env-zones');
    const second = await checkEnvironment(context(), exposed, line);
    expect(second.problems.find((p) => p.path === 'params.infra-rds.PrivateSubnetsCsv')?.reason).toBe(
      `${vpc.publics[1]} routes 0.0.0.0/0 to an internet gateway, so it is a public subnet. Give private subnets (with outbound access through a NAT gateway or VPC endpoints).`,
    );
  });

  it('refuses private subnets as the public ones of an internet-facing load balancer, and subnets of another VPC', async () => {
    fixture.sandbox.seed.cluster({ clusterName: 'env-public', capacityProviders: ['FARGATE'] });
    const vpc = customerVpc();
    const other = customerVpc();
    const plan = customerPlan({ ...vpc, publics: vpc.privates }, 'env-public', { scheme: 'internet-facing' });
    plan.params['infra-rds']!.PrivateSubnetsCsv = other.privates.join(',');
    const { problems } = await checkEnvironment(context(), plan, line);
    expect(problems.find((p) => p.path === 'params.services.PublicSubnets')?.reason).toBe(
      `${vpc.privates[0]} has no route to an internet gateway, so an internet-facing load balancer in it cannot be reached. Give public subnets, or make the load balancer internal.`,
    );
    expect(problems.find((p) => p.path === 'params.infra-rds.PrivateSubnetsCsv')?.reason).toBe(`${other.privates[0]} is in ${other.vpcId}, not in the chosen VPC ${vpc.vpcId}. Give subnets of ${vpc.vpcId}.`);
    // the internal collector's load balancer goes into the private subnets, which are fine
    expect(problems.some((p) => p.path === 'params.satellite-services.AlbSubnetsCsv')).toBe(false);
  });

  it('checks only the cluster when the plan brings its cluster into a new VPC, and nothing when it creates both', async () => {
    const plan = defaultPlan(lineMeta('current'));
    plan.include = { cluster: false, cwmetrics: false };
    plan.params.services!.ClusterName = 'env-absent';
    plan.params.services!.ClusterArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/env-absent`;
    plan.params['infra-base']!.ClusterArn = plan.params.services!.ClusterArn;
    plan.params['satellite-services']!.EcsClusterArn = plan.params.services!.ClusterArn;
    const { problems } = await checkEnvironment(context(), plan, line);
    expect(new Set(problems.map((p) => p.reason.split(' for this account')[0]))).toEqual(new Set(['the ECS cluster env-absent does not exist in us-east-1', `the ECS cluster arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/env-absent does not exist in us-east-1`]));
    expect(problems.every((p) => /Cluster/.test(p.path))).toBe(true);

    expect(await checkEnvironment(context(), defaultPlan(lineMeta('current')), line)).toEqual({ problems: [] });
    expect(await checkEnvironment(context(), defaultPlan2025(), lineById('2025'))).toEqual({ problems: [] });
  });

  it('refuses the run at its start, before any stack or run exists', async () => {
    const vpc = customerVpc();
    fixture.sandbox.seed.cluster({ clusterName: 'env-refused', capacityProviders: [] });
    const plan = customerPlan(vpc, 'env-refused');
    plan.name = 'env-refused';
    for (const id of Object.keys(plan.stackNames)) plan.stackNames[id] = `envr-${id}`;
    const deployment = await createDeployment({ name: plan.name, plan, createdBy: 'alice' });
    const attempt = prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    await expect(attempt).rejects.toBeInstanceOf(RunRefusedError);
    await expect(attempt).rejects.toMatchObject({ field: 'params.infra-base.ClusterArn', message: expect.stringContaining('the ECS cluster env-refused does not have the FARGATE capacity provider associated (it has none)') });
    expect(await listRuns({ deploymentId: deployment.id })).toEqual([]);
    const stacks = await context().cloudFormation.send(new ListStacksCommand({}));
    expect((stacks.StackSummaries ?? []).filter((s) => s.StackName?.startsWith('envr-'))).toEqual([]);
  });
});

describe('the preflight with the satellite in another account', () => {
  it('checks each stack’s VPC, subnets and cluster in the account that stack goes to', async () => {
    const home = customerVpc();
    fixture.sandbox.seed.cluster({ clusterName: 'env-home', capacityProviders: ['FARGATE'] });
    const other = fixture.sandbox.seed.network({
      accountId: SECOND_ACCOUNT_ID,
      cidrBlock: '10.61.0.0/16',
      subnets: [
        { cidrBlock: '10.61.0.0/24', availabilityZone: 'us-east-1a' },
        { cidrBlock: '10.61.1.0/24', availabilityZone: 'us-east-1b' },
      ],
    });
    const plan = customerPlan(home, 'env-home');
    // the satellite's fields name account B's VPC and subnets, which account A cannot see
    plan.params['satellite-services'] = { ...plan.params['satellite-services'], VpcId: other.vpcId, TaskSubnetsCsv: other.subnetIds.join(','), AlbSubnetsCsv: other.subnetIds.join(',') };
    const inB = createAwsContext({ mode: 'sandbox', endpoint: fixture.sandbox.endpoint, credentials: async () => SECOND_ACCOUNT_CREDENTIALS, defaultRegion: 'us-east-1' }, 'us-east-1');
    const satellite = new Set(line.stacks.filter((s) => s.id.startsWith('satellite-')).map((s) => s.id));
    const clusterInB = { ...plan, params: { ...plan.params, 'satellite-services': { ...plan.params['satellite-services'], EcsClusterArn: 'env-home' } } };

    const everywhereInA = await checkEnvironment(context(), clusterInB, line);
    expect(everywhereInA.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['params.satellite-services.VpcId', 'params.satellite-services.TaskSubnetsCsv']));

    fixture.sandbox.seed.cluster({ clusterName: 'env-b', capacityProviders: ['FARGATE'], accountId: SECOND_ACCOUNT_ID });
    const placed = { ...plan, params: { ...plan.params, 'satellite-services': { ...plan.params['satellite-services'], EcsClusterArn: 'env-b' } } };
    const split = await checkEnvironment(context(), placed, line, (id) => (satellite.has(id) ? inB : context()));
    expect(split).toEqual({ problems: [] });
    // and account B's own cluster is not looked for in account A
    const inA = await checkEnvironment(context(), placed, line);
    expect(inA.problems.map((p) => p.path)).toContain('params.satellite-services.EcsClusterArn');
  });
});
