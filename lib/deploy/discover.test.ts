import { CreateStackCommand, DeleteStackCommand, ListStacksCommand, type Parameter, type Stack } from '@aws-sdk/client-cloudformation';
import { DescribeVpcsCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsContext, type AwsContext } from '@/lib/aws/clients';
import { byteLength, TEMPLATE_BODY_LIMIT, toYaml } from '@/lib/cfn/serialize';
import { createPlanSchema } from '@/lib/params/plan-schema';
import { sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from '@/lib/sandbox/testing';
import { type Plan2025, LINE_2025_META } from '@/lib/plan/testing/line-2025';
import { stackById } from '@/templates';
import { STACKS_2025 as STACKS } from '@/templates/line-2025';
import { renderTemplate, type StackId } from '@/templates/stack';
import { allStacksComplete, discoverDeployments, recognizeStack, type DiscoveredDeployment } from './discover';

const API_KEYS = '- organization_id: 12340000-0000-4000-8000-000000000000\n  keys:\n    - a-secret-api-key\n';
const BUCKET = 'discover-templates';

let f: Fixture;
let context: AwsContext;
let found: DiscoveredDeployment[];
const outputs = new Map<string, Record<string, string>>();

const outputsOf = (stack: Stack) => Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
const asParameters = (values: Record<string, string>): Parameter[] => Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

/** Creates one of the real Lakerunner templates with real parameters and waits for it to settle. */
async function deploy(id: StackId, stackName: string, values: Record<string, string>): Promise<Stack> {
  const body = toYaml(renderTemplate(stackById('2025', id)));
  const source: { TemplateBody?: string; TemplateURL?: string } = { TemplateBody: body };
  if (byteLength(body) > TEMPLATE_BODY_LIMIT) {
    await f.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${stackName}.yaml`, Body: body }));
    source.TemplateBody = undefined;
    source.TemplateURL = `https://${BUCKET}.s3.amazonaws.com/${stackName}.yaml`;
  }
  await f.cfn.send(new CreateStackCommand({ StackName: stackName, ...source, Parameters: asParameters(values), Capabilities: ['CAPABILITY_IAM'] }));
  const stack = await waitForStack(f.cfn, stackName);
  outputs.set(stackName, outputsOf(stack));
  return stack;
}

/** A small stand-in stack whose template carries a Lakerunner Description (an upstream or orphaned stack). */
async function standIn(stackName: string, description: string, parameters: Record<string, { value: string; noEcho?: boolean }>) {
  const declared = Object.fromEntries(Object.entries(parameters).map(([key, p]) => [key, { Type: 'String', ...(p.noEcho ? { NoEcho: true } : {}) }]));
  const { StackId } = await f.cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: template({ Marker: ssmParameter(stackName) }, { Description: description, Parameters: declared }),
      Parameters: Object.entries(parameters).map(([key, p]) => ({ ParameterKey: key, ParameterValue: p.value })),
    }),
  );
  await waitForStack(f.cfn, stackName);
  return StackId!;
}

const byName = (name: string) => {
  const deployment = found.find((d) => d.suggestedName === name);
  if (!deployment) throw new Error(`no deployment ${name} among ${found.map((d) => d.suggestedName).join(', ')}`);
  return deployment;
};

beforeAll(async () => {
  f = await sandboxFixture();
  context = createAwsContext({ mode: 'sandbox', endpoint: f.config.endpoint, credentials: async () => f.config.credentials, defaultRegion: f.config.region }, 'us-east-1');
  await f.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));

  // Deployment "lakerunner": its own VPC and the default stack names, Grafana included
  const vpc = await deploy('vpc', 'lakerunner-vpc', { EnvironmentName: 'lr-main' });
  const net = outputsOf(vpc);
  await deploy('common', 'lakerunner-common', { VpcId: net.VpcId!, PrivateSubnets: net.PrivateSubnets!, PublicSubnets: net.PublicSubnets!, AlbScheme: 'internet-facing', AlbAllowPlainHttp: 'Yes', ApiKeysOverride: API_KEYS });
  await deploy('migration', 'lakerunner-migration', { CommonInfraStackName: 'lakerunner-common', Cpu: '1024', MemoryMiB: '2048' });
  await deploy('services', 'lakerunner-services', { CommonInfraStackName: 'lakerunner-common' });
  await deploy('grafana', 'lakerunner-grafana-service', { CommonInfraStackName: 'lakerunner-common', ServicesStackName: 'lakerunner-services', GrafanaResetToken: 'reset-1' });

  // Deployment "acme": an existing VPC, other stack names, and a collector whose creation failed
  const vpcs = await f.ec2.send(new DescribeVpcsCommand({}));
  const workloads = vpcs.Vpcs!.find((v) => !v.IsDefault)!.VpcId!;
  const subnets = (await f.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [workloads] }] }))).Subnets!;
  const tier = (name: string) => subnets.filter((s) => s.Tags?.some((t) => t.Key === 'Tier' && t.Value === name)).map((s) => s.SubnetId!).join(',');
  await deploy('common', 'acme-common', { VpcId: workloads, PrivateSubnets: tier('Private'), PublicSubnets: tier('Public') });
  f.sandbox.faults.failResource({ stackName: 'acme-otel', logicalId: 'CollectorService', operation: 'create', reason: 'Service did not stabilize' });
  await deploy('otel', 'acme-otel', { CommonInfraStackName: 'acme-common', LoadBalancerType: 'internet-facing', PublicSubnets: tier('Public'), CollectorAllowPlainHttp: 'Yes' });

  // A services stack whose common stack is gone, an upstream common stack, and noise
  await standIn('orphan-services', renderTemplate(stackById('2025', 'services')).Description, { CommonInfraStackName: { value: 'gone-common' } });
  await standIn('legacy-common', 'CommonInfra stack for Lakerunner.', {
    VpcId: { value: workloads },
    PrivateSubnets: { value: tier('Private') },
    PublicSubnets: { value: '' },
    ApiKeysOverride: { value: '' },
    StorageProfilesOverride: { value: '' },
    LegacyToken: { value: 'hidden', noEcho: true },
  });
  await standIn('billing-tools', 'Something else entirely.', {});
  // A root whose nested stack carries a Lakerunner Description and names lakerunner-common: the child is the root's, not a deployment's
  const migrationDescription = renderTemplate(stackById('2025', 'migration')).Description;
  await f.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'nested/child.json',
      Body: template({ M: ssmParameter('child') }, { Description: migrationDescription, Parameters: { CommonInfraStackName: { Type: 'String' } } }),
    }),
  );
  await f.cfn.send(
    new CreateStackCommand({
      StackName: 'tools-root',
      TemplateBody: template({
        Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `https://${BUCKET}.s3.amazonaws.com/nested/child.json`, Parameters: { CommonInfraStackName: 'lakerunner-common' } } },
      }),
    }),
  );
  await waitForStack(f.cfn, 'tools-root');
  await standIn('acme-services', 'Not Lakerunner, but named like the services stack acme would get.', {});
  const deleted = await standIn('deleted-common', 'CommonInfra stack for Lakerunner.', {});
  await f.cfn.send(new DeleteStackCommand({ StackName: deleted }));
  await waitForStack(f.cfn, deleted);

  found = await discoverDeployments(context);
}, 120_000);

afterAll(() => f.sandbox.close());

describe('recognizeStack', () => {
  it.each(STACKS.map((s) => [s.id, renderTemplate(s).Description] as const))('knows the console template of %s by its Description', (id, description) => {
    expect(recognizeStack(description)).toEqual({ line: '2025', id, upstream: false });
  });

  it.each([
    ['CommonInfra stack for Lakerunner.', 'common'],
    ['Lakerunner Services: ECS services, task definitions, IAM roles, and ALB integration', 'services'],
    ['Lakerunner OTEL Collector: ECS service with ALB for telemetry ingestion', 'otel'],
  ] as const)('knows the upstream template "%s"', (description, id) => {
    expect(recognizeStack(description)).toEqual({ line: '2025', id, upstream: true });
  });

  it('ignores anything else', () => {
    expect(recognizeStack('Something else entirely.')).toBeUndefined();
    expect(recognizeStack(undefined)).toBeUndefined();
  });
});

describe('discoverDeployments on the sandbox', () => {
  it('groups the stacks by the common stack they import from, leaving other and deleted stacks out', () => {
    expect(found.map((d) => d.suggestedName)).toEqual(['acme', 'gone', 'lakerunner', 'legacy']);
    const attached = found.flatMap((d) => d.stacks.map((s) => s.stackName));
    for (const other of ['billing-tools', 'acme-services', 'deleted-common']) expect(attached).not.toContain(other);
  });

  it('leaves nested stacks out (ListStacks entries with a ParentId), whatever their Description', async () => {
    const children = ((await f.cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.ParentId && s.StackStatus === 'CREATE_COMPLETE');
    expect(children.map((c) => c.TemplateDescription)).toContain(renderTemplate(stackById('2025', 'migration')).Description);
    const attached = found.flatMap((d) => d.stacks.map((s) => s.stackName));
    for (const child of children) {
      expect(attached).not.toContain(child.StackName);
      expect(found.flatMap((d) => d.warnings).join('\n')).not.toContain(child.StackName);
    }
    expect(byName('lakerunner').stacks.filter((s) => s.id === 'migration').map((s) => s.stackName)).toEqual(['lakerunner-migration']);
  });

  it('rebuilds a new-VPC deployment: stack names, include flags, parameter values and statuses', () => {
    const main = byName('lakerunner');
    expect(main.region).toBe('us-east-1');
    expect(main.stacks.map((s) => [s.id, s.stackName, s.status])).toEqual([
      ['vpc', 'lakerunner-vpc', 'CREATE_COMPLETE'],
      ['common', 'lakerunner-common', 'CREATE_COMPLETE'],
      ['migration', 'lakerunner-migration', 'CREATE_COMPLETE'],
      ['services', 'lakerunner-services', 'CREATE_COMPLETE'],
      ['grafana', 'lakerunner-grafana-service', 'CREATE_COMPLETE'],
    ]);
    for (const stack of main.stacks) expect(stack.arn).toMatch(new RegExp(`^arn:aws:cloudformation:us-east-1:\\d{12}:stack/${stack.stackName}/`));
    const plan = main.plan as Plan2025;
    expect(plan).toMatchObject({ release: '2025', name: 'lakerunner', region: 'us-east-1', network: 'new', include: { grafana: true, otel: false, demo: false }, templateBaseUrl: '' });
    expect(plan.stackNames).toMatchObject({ vpc: 'lakerunner-vpc', common: 'lakerunner-common', services: 'lakerunner-services', grafana: 'lakerunner-grafana-service' });
    expect(plan.stackNames.otel).toBe('lakerunner-otel-collector');
    expect(plan.params.vpc.EnvironmentName).toBe('lr-main');
    expect(plan.params.common.VpcId).toBe(outputs.get('lakerunner-vpc')!.VpcId);
    expect(plan.params.common.AlbScheme).toBe('internet-facing');
    expect(plan.params.migration).toMatchObject({ Cpu: '1024', MemoryMiB: '2048' });
    expect(plan.params.grafana.GrafanaResetToken).toBe('reset-1');
    expect(plan.params.otel.LoadBalancerType).toBe(stackById('2025', 'otel').parameters.find((s) => s.key === 'LoadBalancerType')!.default);
    expect(main.warnings).toEqual([]);
    expect(allStacksComplete(main)).toBe(true);
  });

  it('keeps NoEcho values out of the plan and lists them for UsePreviousValue', () => {
    const main = byName('lakerunner');
    expect((main.plan as Plan2025).params.common.ApiKeysOverride).toBe('');
    expect(main.secretsKept).toEqual(['common.ApiKeysOverride']);
    expect(JSON.stringify(found)).not.toContain('a-secret-api-key');
    expect(JSON.stringify(found)).not.toContain('****');
  });

  it('rebuilds a plan the console accepts as it is', async () => {
    const result = await createPlanSchema(LINE_2025_META).safeParseAsync(byName('lakerunner').plan);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('rebuilds an existing-VPC deployment with other stack names, and reports a stack in ROLLBACK_COMPLETE', () => {
    const acme = byName('acme');
    expect(acme.stacks.map((s) => [s.id, s.stackName, s.status])).toEqual([
      ['common', 'acme-common', 'CREATE_COMPLETE'],
      ['otel', 'acme-otel', 'ROLLBACK_COMPLETE'],
    ]);
    expect(acme.plan.network).toBe('existing');
    expect(acme.plan.include).toEqual({ grafana: false, otel: true, demo: false });
    expect(acme.plan.stackNames).toMatchObject({ common: 'acme-common', otel: 'acme-otel', migration: 'acme-migration', vpc: 'acme-vpc' });
    // a name a deploy would create must not be an existing stack's: that one would be updated instead
    expect(acme.plan.stackNames.services).toBe('acme-services-2');
    expect((acme.plan as Plan2025).params.common.PrivateSubnets?.split(',')).toHaveLength(2);
    expect((acme.plan as Plan2025).params.otel.LoadBalancerType).toBe('internet-facing');
    expect(acme.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^acme-otel \(.*\) is in ROLLBACK_COMPLETE/),
        `No ${stackById('2025', 'migration').title} stack was found for acme-common; deploying this deployment would create one.`,
        `No ${stackById('2025', 'services').title} stack was found for acme-common; deploying this deployment would create one.`,
      ]),
    );
    expect(allStacksComplete(acme)).toBe(false);
  });

  it('reports stacks whose common stack is missing', () => {
    const orphan = byName('gone');
    expect(orphan.stacks.map((s) => [s.id, s.stackName])).toEqual([['services', 'orphan-services']]);
    expect(orphan.plan.stackNames.common).toBe('gone-common');
    expect(orphan.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/orphan-services .* imports from the .* stack gone-common, which was not found/)]));
  });

  it('recognizes an upstream stack, warns that an update replaces its template, and names the parameters it would lose', () => {
    const legacy = byName('legacy');
    expect(legacy.stacks.map((s) => [s.id, s.stackName])).toEqual([['common', 'legacy-common']]);
    expect((legacy.plan as Plan2025).params.common.VpcId).toMatch(/^vpc-/);
    expect((legacy.plan as Plan2025).params.common.AlbScheme).toBe(stackById('2025', 'common').parameters.find((s) => s.key === 'AlbScheme')!.default);
    expect(legacy.secretsKept).toEqual(['common.ApiKeysOverride']);
    expect(legacy.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/legacy-common was deployed from the original upstream/), expect.stringMatching(/legacy-common has parameters .*: LegacyToken\./)]),
    );
  });
});

describe('discoverDeployments paging', () => {
  let g: Fixture;
  beforeAll(async () => {
    g = await sandboxFixture();
    // The oldest stack comes last in ListStacks: behind more than one page of others.
    await g.cfn.send(new CreateStackCommand({ StackName: 'early-migration', TemplateBody: template({ M: ssmParameter('x') }, { Description: renderTemplate(stackById('2025', 'migration')).Description, Parameters: { CommonInfraStackName: { Type: 'String' } } }), Parameters: [{ ParameterKey: 'CommonInfraStackName', ParameterValue: 'early-common' }] }));
    for (let i = 0; i < 105; i += 1) await g.cfn.send(new CreateStackCommand({ StackName: `filler-${i}`, TemplateBody: template({ M: ssmParameter(String(i)) }) }));
    await waitForStack(g.cfn, 'filler-104');
  }, 120_000);
  afterAll(() => g.sandbox.close());

  it('reads every page of ListStacks', async () => {
    const gContext = createAwsContext({ mode: 'sandbox', endpoint: g.config.endpoint, credentials: async () => g.config.credentials, defaultRegion: 'us-east-1' }, 'us-east-1');
    const deployments = await discoverDeployments(gContext);
    expect(deployments.map((d) => d.stacks.map((s) => s.stackName))).toEqual([['early-migration']]);
  });

  it('refuses a region the console does not deploy to', async () => {
    const elsewhere = createAwsContext({ mode: 'sandbox', endpoint: g.config.endpoint, credentials: async () => g.config.credentials, defaultRegion: 'us-east-1' }, 'cn-north-1');
    await expect(discoverDeployments(elsewhere)).rejects.toThrow(/cn-north-1 is not a region/);
  });
});
