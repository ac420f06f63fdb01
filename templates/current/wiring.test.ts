// Wiring of the current line: every input names a real output of an earlier stack and a real
// parameter of its consumer; the graph's edges and teardown order; the stacks' inclusion; and the
// services root's nested stacks against their children's parameters and outputs.
import { describe, expect, it } from 'vitest';
import { NESTED_STACK_TYPE } from '@/lib/cfn/nested';
import { isRequired } from '@/lib/params/spec';
import { walk } from '../testing/references';
import { SERVICES_CHILDREN } from './cardinal-lakerunner-services';
import { CURRENT_STACK_IDS, type CurrentStackId } from './ids';
import { CURRENT_STACKS } from './index';
import { ancestorsOf, lineGraph, teardownGraph } from './testing/graph';
import { childOf, propsOf, stackOf, templateOf } from './testing/rendered';

const everything = lineGraph();
const INPUTS = CURRENT_STACKS.flatMap((stack) =>
  Object.entries(stack.inputs).map(([parameter, input]) => [`${stack.id}.${parameter}`, stack.id, parameter, input] as const),
);

describe('inputs (outputs → parameters)', () => {
  it.each(INPUTS)('%s is a parameter fed by unconditional outputs of stacks it waits for, or by another stack’s parameter', (_name, consumer, parameter, input) => {
    expect('stackName' in input, 'current-line inputs are outputs or shared values, never stack names').toBe(false);
    expect(templateOf(consumer).Parameters).toHaveProperty(parameter);
    if ('sameAs' in input) {
      const [owner, key] = input.sameAs;
      expect(templateOf(owner as CurrentStackId).Parameters, `${owner}.${key}`).toHaveProperty(key);
      expect(stackOf(owner as CurrentStackId).inputs[key], 'a shared value is the user’s, not another input').toBeUndefined();
      return;
    }
    const producers = 'output' in input ? [input.output] : 'outputBy' in input ? Object.values(input.outputBy.cases) : [];
    if ('outputBy' in input) expect(stackOf(consumer).parameters.find((p) => p.key === input.outputBy.key)?.allowedValues).toEqual(Object.keys(input.outputBy.cases));
    for (const [producer, output] of producers) {
      expect(CURRENT_STACK_IDS).toContain(producer);
      expect(ancestorsOf(everything, consumer).has(producer), `${consumer} waits for ${producer}`).toBe(true);
      const produced = templateOf(producer as CurrentStackId).Outputs?.[output];
      expect(produced, `${producer} has output ${output}`).toBeDefined();
      expect(produced?.Condition).toBeUndefined();
    }
  });

  it.each([
    ['infra-base', 'AlbScheme', 'services', 'AlbScheme'],
    ['satellite-services', 'OrganizationId', 'services', 'OrganizationId'],
    ['cwmetrics', 'OrganizationId', 'services', 'OrganizationId'],
  ] as const)('%s.%s takes the value of %s.%s (one field in the plan)', (consumer, parameter, owner, key) => {
    expect(stackOf(consumer).inputs[parameter]).toEqual({ sameAs: [owner, key] });
  });

  it("puts the collector's load balancer in the public subnets when it is internet-facing, in the private ones otherwise", () => {
    expect(stackOf('satellite-services').inputs.AlbSubnetsCsv).toEqual({
      outputBy: { key: 'AlbScheme', cases: { internal: ['vpc', 'PrivateSubnetsCsv'], 'internet-facing': ['vpc', 'PublicSubnetsCsv'] } },
    });
  });

  it.each([
    // (the last column: whether it still applies when the satellite is in another account)
    ['satellite-infra-base', 'RawQueueUrl', 'services', 'QueueUrl', true],
    ['satellite-infra-base', 'LakerunnerAccessRoleArn', 'services', 'QueueRoleArn', true],
    ['infra-base', 'ProcessRoleArn', 'satellite-infra-base', 'LakerunnerPrincipal', true],
    ['satellite-services', 'CollectorEndpoint', 'services', 'SelfTelemetryEndpoint', true],
    ['satellite-infra-base', 'RawBucketName', 'satellite-services', 'RawBucketName', false],
    ['satellite-infra-base', 'RawBucketName', 'cwmetrics', 'RawBucketName', false],
    ['infra-rds', 'DbMasterSecretArn', 'services', 'DbMasterSecretArn', false],
    ['infra-base', 'QuerySecurityGroupId', 'infra-rds', 'QuerySecurityGroupId', false],
  ] as const)('%s.%s feeds %s.%s (across accounts: %s)', (producer, output, consumer, parameter, across) => {
    expect(stackOf(consumer).inputs[parameter]).toEqual({ output: [producer, output], ...(across ? { acrossAccounts: true } : {}) });
  });

  it('feeds every VPC, subnet and cluster parameter from our VPC and cluster stacks', () => {
    const network: Record<string, readonly [CurrentStackId, string]> = {
      VpcId: ['vpc', 'VpcId'],
      PrivateSubnets: ['vpc', 'PrivateSubnetsCsv'],
      PrivateSubnetsCsv: ['vpc', 'PrivateSubnetsCsv'],
      PublicSubnets: ['vpc', 'PublicSubnetsCsv'],
      TaskSubnetsCsv: ['vpc', 'PrivateSubnetsCsv'],
      ClusterArn: ['cluster', 'ClusterArn'],
      EcsClusterArn: ['cluster', 'ClusterArn'],
      ClusterName: ['cluster', 'ClusterName'],
    };
    const found = CURRENT_STACKS.flatMap((stack) =>
      stack.parameters.filter((p) => p.key in network).map((p) => [`${stack.id}.${p.key}`, stack.inputs[p.key]] as const),
    );
    expect(found.length).toBe(12);
    for (const [name, input] of found) expect(input, name).toEqual({ output: network[name.split('.')[1] as string] });
  });

  it('leaves to the user only the required parameters no stack produces', () => {
    const unfed = CURRENT_STACKS.flatMap((stack) => stack.parameters.filter((p) => isRequired(p) && !(p.key in stack.inputs)).map((p) => `${stack.id}.${p.key}`));
    expect(unfed).toEqual(['services.OrganizationId']);
  });

  it('imports from no stack: the line has no exports', () => {
    for (const stack of CURRENT_STACKS) expect(stack.needs, stack.id).toEqual([]);
  });
});

describe('the stack graph', () => {
  it('lists the stacks in an order that respects every edge', () => {
    expect(CURRENT_STACKS.map((s) => s.id)).toEqual([...CURRENT_STACK_IDS]);
    CURRENT_STACKS.forEach((stack, position) => {
      for (const before of stack.after) expect(CURRENT_STACK_IDS.indexOf(before), `${before} before ${stack.id}`).toBeLessThan(position);
    });
  });

  it('has the edges of the install order: VPC and cluster first, then infra-base, the database and satellites, then services', () => {
    expect(everything.deps).toEqual({
      vpc: [],
      cluster: [],
      'infra-base': ['vpc', 'cluster'],
      'infra-rds': ['infra-base'],
      'satellite-infra-base': ['infra-base'],
      'satellite-services': ['satellite-infra-base'],
      services: ['infra-rds', 'satellite-services'],
      cwmetrics: ['satellite-infra-base'],
    });
  });

  it('tears cwmetrics down before the raw bucket it writes to, and the VPC and cluster last', () => {
    const teardown = teardownGraph(everything);
    expect(teardown.deps['satellite-infra-base']).toEqual(expect.arrayContaining(['cwmetrics', 'satellite-services']));
    expect(ancestorsOf(teardown, 'vpc')).toEqual(new Set(CURRENT_STACK_IDS.filter((id) => id !== 'vpc' && id !== 'cluster')));
  });

  it('drops our VPC and cluster from the graph of a plan that brings its own', () => {
    const existing = lineGraph((id) => id !== 'vpc' && id !== 'cluster' && id !== 'cwmetrics');
    expect(existing.ids).toEqual(['infra-base', 'infra-rds', 'satellite-infra-base', 'satellite-services', 'services']);
    expect(existing.deps['infra-base']).toEqual([]);
  });

  it('includes the VPC with a new network, the cluster and cwmetrics by choice, the rest always', () => {
    expect(Object.fromEntries(CURRENT_STACKS.map((s) => [s.id, s.inclusion]))).toEqual({
      vpc: 'new-network',
      cluster: 'toggle',
      'infra-base': 'always',
      'infra-rds': 'always',
      'satellite-infra-base': 'always',
      'satellite-services': 'always',
      services: 'always',
      cwmetrics: 'toggle',
    });
  });

  it('uses upstream\'s stack names, and cardinal-poc-* for ours', () => {
    expect(CURRENT_STACKS.map((s) => s.stem)).toEqual([
      'cardinal-poc-vpc',
      'cardinal-poc-ecs-cluster',
      'cardinal-lakerunner-infra-base',
      'cardinal-lakerunner-infra-rds',
      'cardinal-satellite-infra-base',
      'cardinal-satellite-services',
      'cardinal-lakerunner-services',
      'cardinal-satellite-cwmetrics',
    ]);
  });
});

describe('the services root and its children', () => {
  const root = templateOf('services');
  const nested = Object.entries(root.Resources).filter(([, r]) => r.Type === NESTED_STACK_TYPE);

  it('declares the seven children in upstream\'s order, one nested stack each', () => {
    expect(stackOf('services').children).toEqual(SERVICES_CHILDREN.map((c) => c.meta));
    expect(stackOf('services').children?.map((c) => [c.id, c.logicalId, c.file])).toEqual([
      ['cert', 'Cert', 'cardinal-lakerunner/cert'],
      ['alb', 'Alb', 'cardinal-lakerunner/alb'],
      ['migration', 'Migration', 'cardinal-lakerunner/migration'],
      ['services-query', 'Query', 'cardinal-lakerunner/services-query'],
      ['services-process', 'Process', 'cardinal-lakerunner/services-process'],
      ['services-control', 'Control', 'cardinal-lakerunner/services-control'],
      ['maestro', 'Maestro', 'cardinal-lakerunner/maestro'],
    ]);
    expect(nested.map(([id]) => id)).toEqual(['Cert', 'Alb', 'Migration', 'Query', 'Process', 'Control', 'Maestro']);
  });

  it.each(SERVICES_CHILDREN.map((c) => [c.meta.id, c] as const))('%s is loaded from TemplateBaseUrl with every parameter it requires and none it lacks', (id, child) => {
    const props = propsOf(root, child.meta.logicalId);
    expect(props.TemplateURL).toEqual({ 'Fn::Sub': `\${TemplateBaseUrl}${id}.yaml` });
    const declared = Object.keys(childOf(id).Parameters ?? {});
    const given = Object.keys(props.Parameters as object);
    expect(given.filter((key) => !declared.includes(key))).toEqual([]);
    const required = Object.entries(childOf(id).Parameters ?? {}).filter(([, p]) => p.Default === undefined).map(([key]) => key);
    expect(required.filter((key) => !given.includes(key))).toEqual([]);
  });

  it('reads only outputs its children have, unconditionally', () => {
    const read: string[] = [];
    walk({ Resources: root.Resources, Outputs: root.Outputs }, '', (node) => {
      const att = node['Fn::GetAtt'];
      if (!Array.isArray(att) || !String(att[1]).startsWith('Outputs.')) return;
      const child = SERVICES_CHILDREN.find((c) => c.meta.logicalId === att[0]);
      const output = String(att[1]).slice('Outputs.'.length);
      const template = child && childOf(child.meta.id);
      read.push(`${String(att[0])}.${output}`);
      expect(template?.Outputs?.[output], `${String(att[0])} output ${output}`).toBeDefined();
      expect(template?.Outputs?.[output]?.Condition).toBeUndefined();
    });
    expect([...new Set(read)].sort()).toEqual([
      'Alb.AdminHttpsListenerArn',
      'Alb.AlbDnsName',
      'Alb.HttpsListenerArn',
      'Cert.EffectiveCertificateArn',
      'Maestro.MaestroUrl',
      'Migration.MigrationServiceArn',
    ]);
  });

  it('updates the tiers after the migration through its output, and Maestro only when DeployMaestro is Yes', () => {
    for (const id of ['Query', 'Process', 'Control', 'Maestro']) {
      expect((propsOf(root, id).Parameters as Record<string, unknown>).MigrationComplete).toEqual({ 'Fn::GetAtt': ['Migration', 'Outputs.MigrationServiceArn'] });
    }
    expect(root.Resources.Maestro?.Condition).toBe('DeployMaestroEnabled');
    expect(root.Outputs?.MaestroUrl?.Condition).toBe('DeployMaestroEnabled');
    expect(root.Conditions?.DeployMaestroEnabled).toEqual({ 'Fn::Equals': [{ Ref: 'DeployMaestro' }, 'Yes'] });
  });

  it('computes the install ids once, from its own stack id, and passes them to every child', () => {
    const uuid = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
    const group = (i: number) => ({ 'Fn::Select': [i, { 'Fn::Split': ['-', uuid] }] });
    expect(root.Outputs?.InstallIdShort?.Value).toEqual(group(0));
    expect(root.Outputs?.InstallIdLong?.Value).toEqual({ 'Fn::Join': ['', [group(0), group(1)]] });
    for (const [id] of nested) {
      const parameters = propsOf(root, id).Parameters as Record<string, unknown>;
      expect(parameters.InstallIdShort, id).toEqual(group(0));
      expect(parameters.InstallIdLong, id).toEqual({ 'Fn::Join': ['', [group(0), group(1)]] });
    }
    for (const child of SERVICES_CHILDREN) expect(JSON.stringify(childOf(child.meta.id).Resources), child.meta.id).not.toContain('AWS::StackId');
  });

  it('puts the load balancer in the public subnets only when internet-facing, and sends Maestro the public host name when set', () => {
    const alb = propsOf(root, 'Alb').Parameters as Record<string, unknown>;
    expect(alb.AlbSubnetsCsv).toEqual({
      'Fn::If': ['AlbIsInternetFacing', { 'Fn::Join': [',', { Ref: 'PublicSubnets' }] }, { 'Fn::Join': [',', { Ref: 'PrivateSubnets' }] }],
    });
    expect(alb.CertificateArn).toEqual({ 'Fn::GetAtt': ['Cert', 'Outputs.EffectiveCertificateArn'] });
    const maestro = propsOf(root, 'Maestro').Parameters as Record<string, unknown>;
    expect(maestro.AlbDnsName).toEqual({ 'Fn::If': ['PublicDnsNameSet', { Ref: 'PublicDnsName' }, { 'Fn::GetAtt': ['Alb', 'Outputs.AlbDnsName'] }] });
  });
});
