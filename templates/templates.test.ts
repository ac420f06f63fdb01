import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { byteLength, canonicalize, TEMPLATE_BODY_LIMIT, toJson, toYaml } from '@/lib/cfn/serialize';
import type { Template } from '@/lib/cfn/template';
import { checkRule, checkValue } from '@/lib/params/check';
import { checkYamlFormat, isYamlFormat, STACK_NAME_PATTERN } from '@/lib/params/formats';
import { isListType, isRequired } from '@/lib/params/spec';
import { MODELLED_TYPES } from '@/lib/sandbox/resources/modelled';
import { FARGATE_MEMORY } from './ecs';
import { STACKS_2025 as STACKS } from './line-2025';
import { inputSources, isOptional, renderTemplate, type StackDefinition } from './stack';
import { asList, fixedNames, identityStatements, ingressRules, listenerPortsBySecurityGroup, resourcesOfType } from './testing/policies';
import { checkReferences, exportsOf, importsOf, walk } from './testing/references';
import { SchemaChecker } from './testing/schema';

const rendered = STACKS.map((stack) => ({ stack, template: renderTemplate(stack) }));
const cases = rendered.map((entry) => [entry.stack.stem, entry] as const);
const templateOf = (id: string) => rendered.find((entry) => entry.stack.id === id)?.template;

let checker: SchemaChecker;
beforeAll(async () => {
  checker = new SchemaChecker(await loadAwsServiceSpec());
});

/** The resource types the sandbox AWS endpoint can deploy. */
const SANDBOX_TYPES = new Set<string>(MODELLED_TYPES);

describe('the official CloudFormation resource schemas', () => {
  it.each(cases)('%s uses known types and properties with the right value types and every required property', (_stem, { template }) => {
    expect(checker.check(template)).toEqual([]);
  });

  it.each(cases)('%s uses only resource types the sandbox can deploy', (_stem, { template }) => {
    const unsupported = Object.values(template.Resources)
      .map((r) => r.Type)
      .filter((type) => !SANDBOX_TYPES.has(type) && !type.startsWith('Custom::'));
    expect(unsupported).toEqual([]);
  });

  it.each(cases)('%s stays within the per-template limits on resources, parameters and outputs', (_stem, { template }) => {
    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(500);
    expect(Object.keys(template.Parameters ?? {}).length).toBeLessThanOrEqual(200);
    expect(Object.keys(template.Outputs ?? {}).length).toBeLessThanOrEqual(200);
  });
});

describe('references', () => {
  it.each(cases)('%s resolves every Ref, GetAtt attribute, Sub variable, condition and DependsOn', (_stem, { template }) => {
    expect(checkReferences(template, (type) => checker.attributes(type))).toEqual([]);
  });

  it.each(cases)('%s exports every exported output as ${AWS::StackName}-<key>, never as an empty literal', (_stem, { template }) => {
    expect(exportsOf(template).violations).toEqual([]);
    const emptyLiterals: string[] = [];
    for (const [key, output] of Object.entries(template.Outputs ?? {})) {
      if (!output.Export) continue;
      walk({ value: output.Value }, key, (node, path) => {
        const args = node['Fn::If'];
        if (Array.isArray(args) && args.slice(1).some((branch) => typeof branch === 'string' && branch.trim() === '')) emptyLiterals.push(path);
      });
      if (typeof output.Value === 'string' && output.Value.trim() === '') emptyLiterals.push(key);
    }
    expect(emptyLiterals).toEqual([]);
  });

  it.each(cases)('%s imports only what a stack earlier in the order exports, through its declared inputs', (_stem, { stack, template }) => {
    const { imports, violations } = importsOf(template);
    expect(violations).toEqual([]);
    const position = STACKS.indexOf(stack);
    const problems = imports.flatMap(({ parameter, name, path }) => {
      const input = stack.inputs[parameter];
      if (!input || !('stackName' in input)) return [`${path}: ${parameter} is not a stack-name input`];
      const source = STACKS.findIndex((s) => s.id === input.stackName);
      if (source < 0 || source >= position) return [`${path}: ${input.stackName} does not come before ${stack.id}`];
      if (!stack.needs.includes(input.stackName)) return [`${path}: ${input.stackName} is missing from needs`];
      const exported = exportsOf(rendered[source]?.template as Template).names;
      return exported.includes(name) ? [] : [`${path}: ${input.stackName} does not export ${name}`];
    });
    expect(problems).toEqual([]);
  });

  it.each(cases)('%s declares inputs for existing parameters, from earlier stacks and existing outputs', (_stem, { stack }) => {
    const position = STACKS.indexOf(stack);
    for (const [key, input] of Object.entries(stack.inputs)) {
      expect(stack.parameters.map((p) => p.key)).toContain(key);
      const [source = ''] = inputSources(input);
      expect(STACKS.findIndex((s) => s.id === source)).toBeLessThan(position);
      if ('output' in input) expect(Object.keys(templateOf(source)?.Outputs ?? {})).toContain(input.output[1]);
      if ('stackName' in input) expect(stack.parameters.find((p) => p.key === key)?.default, key).toBeUndefined();
    }
    for (const need of stack.needs) expect(STACKS.findIndex((s) => s.id === need)).toBeLessThan(position);
  });
});

describe('parameters', () => {
  it.each(cases)('%s: every default satisfies its own constraints and formats', async (_stem, { stack }) => {
    for (const spec of stack.parameters.filter((p) => p.default !== undefined)) {
      const value = spec.default as string;
      expect(checkValue(spec, value), spec.key).toBeUndefined();
      if (isYamlFormat(spec.format)) expect(await checkYamlFormat(spec.format, value, spec.label), spec.key).toBeUndefined();
    }
  });

  it.each(cases)('%s: every example the form offers as a starting point is itself valid', async (_stem, { stack }) => {
    for (const spec of stack.parameters.filter((p) => p.example !== undefined)) {
      const value = spec.example as string;
      expect(checkValue(spec, value), spec.key).toBeUndefined();
      if (isYamlFormat(spec.format)) expect(await checkYamlFormat(spec.format, value, spec.label), spec.key).toBeUndefined();
    }
  });

  it('offers a starting point for every YAML override', () => {
    const yaml = STACKS.flatMap((s) => s.parameters).filter((p) => isYamlFormat(p.format));
    expect(yaml.map((p) => [p.key, p.example !== undefined])).toEqual(yaml.map((p) => [p.key, true]));
  });

  it.each(cases)('%s: the defaults satisfy every cross-parameter rule', (_stem, { stack }) => {
    const defaults = Object.fromEntries(stack.parameters.map((p) => [p.key, p.default]));
    for (const rule of stack.rules) {
      if (defaults[rule.when.key] === undefined) continue;
      expect(checkRule(rule, defaults), rule.id).toBeUndefined();
    }
  });

  it.each(cases)('%s: each parameter has a label, a full-sentence description, a group and a message for its constraints', (_stem, { stack }) => {
    for (const spec of stack.parameters) {
      expect(spec.label.trim(), spec.key).not.toBe('');
      expect(spec.group.trim(), spec.key).not.toBe('');
      expect(spec.description, spec.key).toMatch(/^\S+(\s+\S+){4,}[.)]$/s);
      const constrained = [spec.allowedValues, spec.allowedPattern, spec.minLength, spec.maxLength, spec.minValue, spec.maxValue].some(
        (c) => c !== undefined,
      );
      if (constrained) expect(spec.constraintDescription, spec.key).toMatch(/^[A-Z].*\.$/s);
    }
  });

  it.each(cases)('%s: stack-name parameters are required and follow the stack-name pattern', (_stem, { stack }) => {
    for (const spec of stack.parameters.filter((p) => p.key.endsWith('StackName'))) {
      expect(spec.default, spec.key).toBeUndefined();
      expect(spec.allowedPattern, spec.key).toBe(STACK_NAME_PATTERN);
    }
  });
});

const COMMON_EXPORTS = [
  'VpcId',
  'PrivateSubnets',
  'PublicSubnets',
  'ClusterArn',
  'ClusterName',
  'TaskSecurityGroupId',
  'DbEndpoint',
  'DbPort',
  'DbSecretArn',
  'BucketName',
  'BucketArn',
  'QueueUrl',
  'QueueArn',
  'EfsId',
  'ScratchAccessPointId',
  'GrafanaAccessPointId',
  'AlbArn',
  'AlbDnsName',
  'AlbSecurityGroupId',
  'QueryApiListenerArn',
  'GrafanaListenerArn',
  'QueryApiUrl',
  'GrafanaUrl',
  'ApiKeysSecretArn',
  'StorageProfilesParameterName',
  'StorageProfilesParameterArn',
];
const ECR = 'public.ecr.aws/cardinalhq.io';

/** The stack contract of issue 2: stem, aliases, optional, required parameters, defaults, exports. */
const CONTRACT = [
  {
    stem: 'lakerunner-vpc',
    aliases: [],
    optional: true,
    required: [],
    defaults: { EnvironmentName: 'lakerunner', VpcCidr: '10.0.0.0/16', CreateNatGateway: 'Yes' },
    exports: ['VpcId', 'PublicSubnets', 'PrivateSubnets', 'VPCEndpointSecurityGroupId'],
  },
  {
    stem: 'lakerunner-common',
    aliases: [],
    optional: false,
    required: ['VpcId', 'PrivateSubnets'],
    defaults: { PublicSubnets: '', AlbScheme: 'internal', AlbCertificateArn: '', AlbDomainName: '', DbEngineVersion: '17', DbDeletionProtection: 'true', AlbAllowPlainHttp: 'No', ApiKeysOverride: '', StorageProfilesOverride: '' },
    exports: COMMON_EXPORTS,
  },
  {
    stem: 'lakerunner-migration',
    aliases: ['lakerunner-ecs-setup'],
    optional: false,
    required: ['CommonInfraStackName'],
    defaults: { ContainerImage: `${ECR}/lakerunner:v1.2.1`, Cpu: '512', MemoryMiB: '1024', KafkaBrokers: '' },
    exports: [],
  },
  {
    stem: 'lakerunner-services',
    aliases: ['lakerunner-ecs-services'],
    optional: false,
    required: ['CommonInfraStackName'],
    defaults: {
      OtelEndpoint: '',
      GoServicesImage: `${ECR}/lakerunner:v1.2.1`,
      QueryApiImage: `${ECR}/lakerunner/query-api:v1.2.1`,
      QueryWorkerImage: `${ECR}/lakerunner/query-worker:v1.2.1`,
      AlbScheme: 'internal',
      GrafanaResetToken: '',
      GrafanaImage: 'grafana/grafana:12.4.0',
    },
    exports: ['ExecutionRoleArn', 'TaskRoleArn'],
  },
  {
    stem: 'lakerunner-grafana-service',
    aliases: [],
    optional: true,
    required: ['CommonInfraStackName', 'ServicesStackName'],
    defaults: { GrafanaImage: 'grafana/grafana:12.4.0', GrafanaResetToken: '' },
    exports: ['GrafanaAdminSecretArn'],
  },
  {
    stem: 'lakerunner-otel-collector',
    aliases: [],
    optional: true,
    required: ['CommonInfraStackName'],
    defaults: {
      LoadBalancerType: 'internal',
      OrganizationId: '12340000-0000-4000-8000-000000000000',
      CollectorName: 'lakerunner',
      OtelCollectorImage: `${ECR}/cardinalhq-otel-collector:v1.3.8`,
      PublicSubnets: '',
      CollectorAllowPlainHttp: 'No',
      OtelConfigYaml: '',
      CollectorCertificateArn: '',
      CollectorDomainName: '',
    },
    exports: ['HttpEndpoint', 'LoadBalancerDNS'],
  },
  {
    stem: 'lakerunner-demo-apps',
    aliases: [],
    optional: true,
    required: ['CommonInfraStackName', 'ServicesStackName', 'OtelCollectorStackName'],
    defaults: { SampleAppImage: `${ECR}/lakerunner-demo/sample-app:latest` },
    exports: [],
  },
];

describe('the stack contract of issue 2', () => {
  it('registers the seven stacks in deployment order', () => {
    expect(STACKS.map((s) => s.stem)).toEqual(CONTRACT.map((row) => row.stem));
  });

  it.each(CONTRACT)('$stem has its aliases, required parameters, defaults and exports', (row) => {
    const stack = STACKS.find((s) => s.stem === row.stem) as StackDefinition;
    const template = renderTemplate(stack);
    expect(stack.aliases).toEqual(row.aliases);
    expect(isOptional(stack)).toBe(row.optional);
    expect(stack.parameters.filter(isRequired).map((p) => p.key).sort()).toEqual([...row.required].sort());
    for (const [key, value] of Object.entries(row.defaults)) expect(template.Parameters?.[key]?.Default, key).toBe(value);
    expect(exportsOf(template).names).toEqual(expect.arrayContaining(row.exports));
  });
});

describe('golden templates', () => {
  it.each(cases)('%s matches its snapshot', async (stem, { template }) => {
    await expect(toYaml(template)).toMatchFileSnapshot(`./__snapshots__/${stem}.yaml`);
  });
});

/** Actions that have no resource-level permissions, so their statements must use Resource "*". */
const RESOURCE_WILDCARD_ACTIONS = new Set([
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ecr:GetAuthorizationToken',
  'ecs:ListServices',
  'ecs:ListTasks',
]);
const AWS_MANAGED_POLICIES = ['service-role/AmazonECSTaskExecutionRolePolicy', 'service-role/AWSLambdaBasicExecutionRole'];

describe('IAM', () => {
  it.each(cases)('%s names no IAM resource, so CAPABILITY_IAM is enough', (_stem, { template }) => {
    const iam = Object.entries(template.Resources).filter(([, r]) => r.Type.startsWith('AWS::IAM::'));
    const named = iam.filter(([, r]) => Object.keys(r.Properties ?? {}).some((key) => /^(Role|ManagedPolicy|User|Group|InstanceProfile)Name$/.test(key)));
    expect(named.map(([id]) => id)).toEqual([]);
    expect(template).not.toHaveProperty('Transform');
  });

  it.each(cases)('%s allows only named actions, on scoped resources unless AWS offers no resource-level permission', (_stem, { template }) => {
    const problems = identityStatements(template).flatMap(({ path, statement }) => {
      if ('NotAction' in statement || 'NotResource' in statement) return [`${path}: NotAction/NotResource`];
      if (statement.Effect !== 'Allow') return [];
      const actions = asList(statement.Action).map(String);
      const wildcards = actions.filter((action) => !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)).map((a) => `${path}: action ${a}`);
      const resources = asList(statement.Resource);
      const scoped =
        !resources.includes('*') ||
        (actions.every((action) => RESOURCE_WILDCARD_ACTIONS.has(action)) &&
          (!actions.some((a) => a.startsWith('ecs:')) || statement.Condition !== undefined));
      return [...wildcards, ...(scoped ? [] : [`${path}: Resource "*" for ${actions.join(', ')}`])];
    });
    expect(problems).toEqual([]);
  });

  it.each(cases)('%s trusts only AWS services and attaches only its own or ECS/Lambda managed policies', (_stem, { template }) => {
    for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
      const trust = role.AssumeRolePolicyDocument as { Statement: { Principal: unknown }[] };
      for (const statement of trust.Statement) expect(Object.keys(statement.Principal as object), id).toEqual(['Service']);
      for (const arn of asList(role.ManagedPolicyArns ?? [])) {
        const text = JSON.stringify(arn);
        const own = typeof (arn as { Ref?: string }).Ref === 'string' && template.Resources[(arn as { Ref: string }).Ref]?.Type === 'AWS::IAM::ManagedPolicy';
        expect(own || AWS_MANAGED_POLICIES.some((name) => text.endsWith(`:iam::aws:policy/${name}"}`)), `${id}: ${text}`).toBe(true);
      }
    }
  });

  it.each(cases)('%s sets no fixed physical names (two installs must coexist)', (_stem, { template }) => {
    expect(fixedNames(template)).toEqual([]);
  });
});

describe('security groups', () => {
  it.each(cases)('%s opens 0.0.0.0/0 only on its load balancer listener ports, and never all protocols', (_stem, { template }) => {
    const listenerPorts = listenerPortsBySecurityGroup(template);
    const problems = ingressRules(template).flatMap(({ path, group, rule }) => {
      const issues: string[] = [];
      if (String(rule.IpProtocol) === '-1') issues.push(`${path}: all protocols`);
      if (rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0') {
        const ports = group ? listenerPorts.get(group) : undefined;
        if (rule.FromPort !== rule.ToPort || !ports?.has(Number(rule.FromPort))) issues.push(`${path}: open to the internet on ${rule.FromPort}-${rule.ToPort}`);
      }
      return issues;
    });
    expect(problems).toEqual([]);
  });
});

describe('data protection', () => {
  it.each(cases)('%s snapshots databases and retains buckets on delete and replacement', (_stem, { template }) => {
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type === 'AWS::RDS::DBInstance') expect([resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual(['Snapshot', 'Snapshot']);
      if (resource.Type === 'AWS::S3::Bucket') expect([resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    }
  });

  it.each(cases)('%s encrypts databases, file systems, buckets and queues', (_stem, { template }) => {
    for (const [id, db] of resourcesOfType(template, 'AWS::RDS::DBInstance')) {
      expect(db.StorageEncrypted, id).toBe(true);
      // A version (major, or major.minor), pinned or given by a parameter whose default is one.
      const version = (db.EngineVersion as { Ref?: string }).Ref ? template.Parameters?.[(db.EngineVersion as { Ref: string }).Ref]?.Default : db.EngineVersion;
      expect(version, id).toMatch(/^\d+(\.\d+)?$/);
    }
    for (const [id, fs] of resourcesOfType(template, 'AWS::EFS::FileSystem')) expect(fs.Encrypted, id).toBe(true);
    for (const [id, queue] of resourcesOfType(template, 'AWS::SQS::Queue')) expect(queue.SqsManagedSseEnabled === true || queue.KmsMasterKeyId !== undefined, id).toBe(true);
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy');
    for (const [id, bucket] of resourcesOfType(template, 'AWS::S3::Bucket')) {
      expect(bucket.BucketEncryption, id).toBeDefined();
      expect(bucket.PublicAccessBlockConfiguration, id).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      const policy = policies.find(([, p]) => (p.Bucket as { Ref?: string }).Ref === id)?.[1];
      expect(JSON.stringify(policy?.PolicyDocument), id).toContain('"aws:SecureTransport":"false"');
    }
  });

  it.each(cases)('%s passes NoEcho parameter values only into Secrets Manager secrets', (_stem, { template }) => {
    const secretKeys = new Set(Object.entries(template.Parameters ?? {}).filter(([, p]) => p.NoEcho).map(([key]) => key));
    const leaks: string[] = [];
    walk({ Resources: template.Resources, Outputs: template.Outputs ?? {} }, '', (node, path) => {
      const sub = node['Fn::Sub'];
      const text = typeof sub === 'string' ? sub : Array.isArray(sub) ? String(sub[0]) : '';
      const used = [...(typeof node.Ref === 'string' ? [node.Ref] : []), ...[...text.matchAll(/\$\{([^}!.]+)\}/g)].map((m) => m[1] as string)];
      const [, section, id] = path.split('.');
      const intoSecret =
        section === 'Resources' && template.Resources[id as string]?.Type === 'AWS::SecretsManager::Secret' && path.includes('.Properties.SecretString');
      for (const key of used) if (secretKeys.has(key) && !intoSecret) leaks.push(`${path}: ${key}`);
    });
    expect(leaks).toEqual([]);
  });
});

/** Images without a published version tag: the sample app's registry only ever published latest. */
const UNVERSIONED_IMAGES = ['SampleAppImage'];

describe('images', () => {
  it.each(cases)('%s pins every default image to a version or a digest, never latest or no tag', (_stem, { stack }) => {
    const floating = stack.parameters
      .filter((p) => p.format === 'image' && !UNVERSIONED_IMAGES.includes(p.key))
      .filter((p) => !/(:[A-Za-z0-9_][A-Za-z0-9_.-]*[0-9][A-Za-z0-9_.-]*|@sha256:[a-f0-9]{64})$/.test(p.default ?? '') || /:latest(@|$)/.test(p.default ?? ''))
      .map((p) => `${p.key}: ${p.default}`);
    expect(floating).toEqual([]);
  });
});

describe('containers and functions', () => {
  const containers = (template: Template) =>
    resourcesOfType(template, 'AWS::ECS::TaskDefinition').flatMap(([id, td]) =>
      (td.ContainerDefinitions as Record<string, unknown>[]).map((c) => ({ id, td, c })),
    );

  it.each(cases)('%s gives container health checks the CMD or CMD-SHELL prefix ECS requires', (_stem, { template }) => {
    for (const { id, c } of containers(template)) {
      const command = (c.HealthCheck as { Command?: unknown[] } | undefined)?.Command;
      if (command) expect(['CMD', 'CMD-SHELL'], `${id}/${String(c.Name)}`).toContain(command[0]);
    }
  });

  it.each(cases)('%s drops optional environment entries whole (list-item Fn::If), never as name-only entries', (_stem, { template }) => {
    for (const { id, c } of containers(template)) {
      for (const entry of [...asList(c.Environment ?? []), ...asList(c.Secrets ?? [])]) {
        const value = (entry as Record<string, unknown>).Value ?? (entry as Record<string, unknown>).ValueFrom;
        expect(JSON.stringify(value ?? null), `${id}/${String(c.Name)}`).not.toContain('AWS::NoValue');
      }
    }
  });

  it.each(cases)('%s sizes every Fargate task with a valid CPU and memory combination', (_stem, { template }) => {
    for (const [id, td] of resourcesOfType(template, 'AWS::ECS::TaskDefinition')) {
      if (typeof td.Cpu !== 'string' || typeof td.Memory !== 'string') continue;
      expect(FARGATE_MEMORY[Number(td.Cpu)], id).toContain(Number(td.Memory));
    }
  });

  it.each(cases)('%s keeps inline Lambda code within 4,096 characters on a supported Python runtime', (_stem, { template }) => {
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const code = (fn.Code as { ZipFile?: string }).ZipFile;
      if (code !== undefined) expect(code.length, id).toBeLessThanOrEqual(4096);
      expect(fn.Runtime, id).toMatch(/^python3\.1[2-9]$|^nodejs(2[02-9]|[3-9]\d)\.x$/);
    }
  });
});

/** Values that break naive YAML or JSON generation, or that CloudFormation would interpret. */
const NASTY = [
  'double " and single \' quotes',
  'line one\nline two\n',
  'key: value',
  '- a list item',
  '# not a comment',
  '{{resolve:secretsmanager:prod-db:SecretString:password}}',
  '${AWS::AccountId} and ${Unknown}',
  '!Ref Cluster',
  'yes',
  'No',
  '0755',
  '1e3',
  'null',
  '~',
  '\ttab and trailing space ',
  '*alias &anchor %tag @at `tick` |pipe >fold',
  '[a, b] {c: d}',
  'ünïcödé ✓',
];

const stringParameters = (stack: StackDefinition) => stack.parameters.filter((p) => p.type === 'String' && !p.noEcho && !isListType(p.type));

function roundTrips(template: Template) {
  const expected = JSON.parse(JSON.stringify(canonicalize(template)));
  expect(parse(toYaml(template), { version: '1.1' })).toEqual(expected);
  expect(JSON.parse(toJson(template))).toEqual(expected);
}

describe('serialization', () => {
  it.each(cases)('%s serializes to the same bytes every time, sections in canonical order', (_stem, { stack, template }) => {
    expect(toYaml(renderTemplate(stack))).toBe(toYaml(template));
    expect(toJson(renderTemplate(stack))).toBe(toJson(template));
    const order = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Resources', 'Outputs'];
    const keys = Object.keys(JSON.parse(toJson(template)));
    expect(keys).toEqual(order.filter((key) => keys.includes(key)));
  });

  it.each(cases)('%s keeps hostile parameter defaults as plain strings in YAML and JSON', (_stem, { stack }) => {
    // Given a default for every String parameter that YAML or CloudFormation could misread
    const defaults = Object.fromEntries(stringParameters(stack).map((p, i) => [p.key, NASTY[i % NASTY.length] as string]));
    const template = renderTemplate(stack, defaults);
    // When it is serialized, then parsing gives back the very same template
    roundTrips(template);
    const parsed = parse(toYaml(template), { version: '1.1' }) as Template;
    for (const [key, value] of Object.entries(defaults)) expect(parsed.Parameters?.[key]?.Default).toBe(value);
    expect(Object.keys(parsed.Resources)).toEqual(Object.keys(renderTemplate(stack).Resources));
  });

  it('round-trips any string as a parameter default (property-based)', () => {
    const stack = STACKS.find((s) => s.id === 'migration') as StackDefinition;
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ maxLength: 50 }), (a, b) => {
        const template = renderTemplate(stack, { ContainerImage: a, KafkaBrokers: b });
        const parsed = parse(toYaml(template), { version: '1.1' }) as Template;
        expect(parsed.Parameters?.ContainerImage?.Default).toBe(a);
        expect(JSON.parse(toJson(template)).Parameters.KafkaBrokers.Default).toBe(b);
      }),
      { numRuns: 100 },
    );
  });
});

describe('size', () => {
  it.each(cases)('%s fits the 51,200-byte TemplateBody limit as compact JSON', (_stem, { template }) => {
    expect(byteLength(toJson(template))).toBeLessThanOrEqual(TEMPLATE_BODY_LIMIT);
  });
});
