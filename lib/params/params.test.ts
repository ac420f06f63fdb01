import { describe, expect, it } from 'vitest';
import { toCfnParameters, toCfnRules, toInterfaceMetadata } from './cfn';
import { checkValue } from './check';
import { toFields } from './fields';
import { toFieldErrors, toZodSchema } from './schema';
import type { ParamRule, ParamSpec } from './spec';

const base = { label: 'Thing', description: 'A thing for the test.', group: 'G' } as const;

const KINDS: { name: string; spec: ParamSpec; good: string[]; bad: [string, string][] }[] = [
  {
    name: 'String with AllowedPattern and lengths',
    spec: { ...base, key: 'Name', type: 'String', allowedPattern: '^[a-z]+$', minLength: 2, maxLength: 5, constraintDescription: 'Thing must be 2-5 lowercase letters.' },
    good: ['ab', 'abcde'],
    bad: [['AB', 'Thing must be 2-5 lowercase letters.'], ['a', 'Thing must be 2-5 lowercase letters.'], ['', 'Thing is required.']],
  },
  {
    name: 'String with AllowedValues',
    spec: { ...base, key: 'Scheme', type: 'String', default: 'internal', allowedValues: ['internal', 'internet-facing'] },
    good: ['internal', 'internet-facing'],
    bad: [['public', 'Thing must be one of: internal, internet-facing.'], ['', 'Thing must be one of: internal, internet-facing.']],
  },
  {
    name: 'Number with MinValue and MaxValue',
    spec: { ...base, key: 'Count', type: 'Number', default: '2', minValue: 2, maxValue: 15 },
    good: ['2', '15'],
    bad: [['1', 'Thing must be at least 2.'], ['16', 'Thing must be at most 15.'], ['two', 'Thing must be a number.']],
  },
  {
    name: 'List<Number>',
    spec: { ...base, key: 'Ports', type: 'List<Number>', default: '', minValue: 1, maxValue: 65535 },
    good: ['', '80', '80,443'],
    bad: [['80,x', 'Thing must be a number.'], ['0', 'Thing must be at least 1.'], ['80,,443', 'Thing has an empty item; separate items with single commas.']],
  },
  {
    name: 'CommaDelimitedList',
    spec: { ...base, key: 'Names', type: 'CommaDelimitedList', minItems: 2, distinctItems: true },
    good: ['a,b', 'a, b, c'],
    bad: [['a', 'Thing needs at least 2 items; 1 given.'], ['a,a', 'Thing lists the same item twice.'], ['', 'Thing is required.']],
  },
  {
    name: 'AWS::EC2::VPC::Id',
    spec: { ...base, key: 'VpcId', type: 'AWS::EC2::VPC::Id' },
    good: ['vpc-0abc1234', 'vpc-0abc1234def567890'],
    bad: [['vpc-xyz', 'Thing must be a VPC ID such as vpc-0abc1234def567890; "vpc-xyz" is not.'], ['', 'Thing is required.']],
  },
  {
    name: 'List<AWS::EC2::Subnet::Id> with at least two items',
    spec: { ...base, key: 'PrivateSubnets', type: 'List<AWS::EC2::Subnet::Id>', minItems: 2, distinctItems: true },
    good: ['subnet-0abc1234,subnet-0abc5678'],
    bad: [
      ['subnet-0abc1234', 'Thing needs at least 2 items; 1 given.'],
      ['subnet-0abc1234,sg-0abc5678', 'Thing must be a subnet ID such as subnet-0abc1234def567890; "sg-0abc5678" is not.'],
    ],
  },
  {
    name: 'optional List<AWS::EC2::Subnet::Id> (empty allowed)',
    spec: { ...base, key: 'PublicSubnets', type: 'List<AWS::EC2::Subnet::Id>', default: '', minItems: 2 },
    good: ['', 'subnet-0abc1234,subnet-0abc5678'],
    bad: [['subnet-0abc1234', 'Thing needs at least 2 items; 1 given.']],
  },
  {
    name: 'AWS::EC2::SecurityGroup::Id',
    spec: { ...base, key: 'Sg', type: 'AWS::EC2::SecurityGroup::Id', default: '' },
    good: ['', 'sg-0123abcd'],
    bad: [['subnet-0123abcd', 'Thing must be a security group ID such as sg-0abc1234def567890; "subnet-0123abcd" is not.']],
  },
  {
    name: 'List<AWS::EC2::AvailabilityZone::Name>',
    spec: { ...base, key: 'Azs', type: 'List<AWS::EC2::AvailabilityZone::Name>', default: '' },
    good: ['us-east-1a,us-east-1b', 'us-gov-west-1a'],
    bad: [['us-east-1', 'Thing must be a Availability Zone name such as us-east-1a; "us-east-1" is not.']],
  },
  {
    name: 'NoEcho String',
    spec: { ...base, key: 'Secret', type: 'String', default: '', noEcho: true, maxLength: 8 },
    good: ['', 'hunter2'],
    bad: [['123456789', 'Thing must be at most 8 characters.']],
  },
  {
    name: 'String with the cidr format',
    spec: { ...base, key: 'Cidr', type: 'String', default: '10.0.0.0/16', format: 'cidr' },
    good: ['10.0.0.0/16', '172.16.4.0/22'],
    bad: [['10.0.0.1/16', 'Thing must be a network address: 10.0.0.1/16 has host bits set.']],
  },
  {
    name: 'String with the image format',
    spec: { ...base, key: 'Image', type: 'String', default: 'grafana/grafana:latest', format: 'image' },
    good: ['grafana/grafana:latest', 'public.ecr.aws/cardinalhq.io/lakerunner:v1.2.1', 'registry:5000/a/b@sha256:' + 'a'.repeat(64)],
    bad: [['Grafana/Grafana', 'Thing must be an image reference such as public.ecr.aws/cardinalhq.io/lakerunner:v1.2.1.'], ['a b', 'Thing must be an image reference such as public.ecr.aws/cardinalhq.io/lakerunner:v1.2.1.']],
  },
];

describe.each(KINDS)('$name', ({ spec, good, bad }) => {
  it.each(good)('accepts %j', (value) => {
    expect(checkValue(spec, value)).toBeUndefined();
  });

  it.each(bad)('rejects %j with the spec message', (value, message) => {
    expect(checkValue(spec, value)).toBe(message);
  });

  it('derives a CloudFormation parameter with the same constraints', () => {
    const cfn = toCfnParameters([spec])[spec.key];
    expect(cfn).toMatchObject({ Type: spec.type, Description: spec.description, Default: spec.default });
    if (spec.allowedValues) expect(cfn?.AllowedValues).toEqual(spec.allowedValues);
    if (spec.allowedPattern) expect(cfn?.AllowedPattern).toBe(spec.allowedPattern);
    if (spec.noEcho) expect(cfn?.NoEcho).toBe(true);
    else expect(cfn).not.toHaveProperty('NoEcho', true);
  });

  it('derives a zod schema that reports the same message on the field', async () => {
    const schema = toZodSchema([spec]);
    for (const value of good) expect((await schema.safeParseAsync({ [spec.key]: value })).success).toBe(true);
    for (const [value, message] of bad) {
      const result = await schema.safeParseAsync({ [spec.key]: value });
      expect(result.success).toBe(false);
      if (!result.success) expect(toFieldErrors(result.error)).toEqual({ [spec.key]: message });
    }
  });
});

describe('zod schema', () => {
  const specs: ParamSpec[] = [
    { ...base, key: 'Required', type: 'String' },
    { ...base, key: 'Optional', type: 'String', default: 'x' },
  ];

  it('fills defaults for omitted optional keys and still reports omitted required ones', async () => {
    const result = await toZodSchema(specs).safeParseAsync({});
    expect(result.success).toBe(false);
    if (!result.success) expect(toFieldErrors(result.error)).toEqual({ Required: 'Thing is required.' });
    const ok = await toZodSchema(specs).safeParseAsync({ Required: 'r' });
    expect(ok.data).toEqual({ Required: 'r', Optional: 'x' });
  });

  it('names unknown keys and wrong types per field', async () => {
    const result = await toZodSchema(specs).safeParseAsync({ Required: 5, Typo: 'x', ['__proto__']: 'y' });
    expect(result.success).toBe(false);
    if (!result.success) {
      const errors = toFieldErrors(result.error);
      expect(errors.Required).toBe('Thing must be text.');
      expect(errors.Typo).toBe('Unknown field "Typo".');
      expect(Object.hasOwn(errors, '__proto__')).toBe(true);
      expect(Object.getOwnPropertyDescriptor(errors, '__proto__')?.value).toBe('Unknown field "__proto__".');
      expect(Object.getPrototypeOf(errors)).toBe(Object.prototype);
    }
  });
});

describe('rules', () => {
  const specs: ParamSpec[] = [
    { ...base, key: 'AlbScheme', type: 'String', default: 'internal', allowedValues: ['internal', 'internet-facing'] },
    { ...base, key: 'PublicSubnets', type: 'List<AWS::EC2::Subnet::Id>', default: '' },
  ];
  const rule: ParamRule = {
    id: 'InternetFacingNeedsPublicSubnets',
    when: { key: 'AlbScheme', equals: 'internet-facing' },
    then: { key: 'PublicSubnets', notEmpty: true },
    message: 'An internet-facing load balancer needs public subnets.',
  };

  it('become a template Rule asserting the list is not all empty', () => {
    expect(toCfnRules([rule], specs)).toEqual({
      InternetFacingNeedsPublicSubnets: {
        RuleCondition: { 'Fn::Equals': [{ Ref: 'AlbScheme' }, 'internet-facing'] },
        Assertions: [
          {
            Assert: { 'Fn::Not': [{ 'Fn::EachMemberEquals': [{ Ref: 'PublicSubnets' }, ''] }] },
            AssertDescription: 'An internet-facing load balancer needs public subnets.',
          },
        ],
      },
    });
  });

  it('are enforced by the zod schema on the dependent field', async () => {
    const schema = toZodSchema(specs, [rule]);
    const bad = await schema.safeParseAsync({ AlbScheme: 'internet-facing' });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(toFieldErrors(bad.error)).toEqual({ PublicSubnets: rule.message });
    expect((await schema.safeParseAsync({ AlbScheme: 'internet-facing', PublicSubnets: 'subnet-0abc1234,subnet-0abc5678' })).success).toBe(true);
    expect((await schema.safeParseAsync({ AlbScheme: 'internal' })).success).toBe(true);
  });
});

describe('rules on a non-empty value', () => {
  const specs: ParamSpec[] = [
    { ...base, key: 'CertificateArn', type: 'String', default: '' },
    { ...base, key: 'DomainName', type: 'String', default: '' },
  ];
  const rule: ParamRule = {
    id: 'CertificateNeedsDomainName',
    when: { key: 'CertificateArn', notEmpty: true },
    then: { key: 'DomainName', notEmpty: true },
    message: 'A certificate needs a domain name.',
  };

  it('become a template Rule whose condition is the value being non-empty', () => {
    expect(toCfnRules([rule], specs).CertificateNeedsDomainName?.RuleCondition).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'CertificateArn' }, ''] }] });
  });

  it.each([
    [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }, { DomainName: 'A certificate needs a domain name.' }],
    [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x', DomainName: 'lr.example.com' }, {}],
    [{ CertificateArn: '' }, {}],
    [{ DomainName: 'lr.example.com' }, {}],
  ])('are enforced by the zod schema: %j', async (values, errors) => {
    const result = await toZodSchema(specs, [rule]).safeParseAsync(values);
    expect(result.success ? {} : toFieldErrors(result.error)).toEqual(errors);
  });
});

describe('rules with an explicit way out', () => {
  const specs: ParamSpec[] = [
    { ...base, key: 'Scheme', type: 'String', default: 'internal', allowedValues: ['internal', 'internet-facing'] },
    { ...base, key: 'CertificateArn', type: 'String', default: '' },
    { ...base, key: 'AllowPlainHttp', type: 'String', default: 'No', allowedValues: ['No', 'Yes'] },
  ];
  const rule: ParamRule = {
    id: 'PlainHttpNeedsConsent',
    when: { key: 'Scheme', equals: 'internet-facing' },
    unless: { key: 'AllowPlainHttp', equals: 'Yes' },
    then: { key: 'CertificateArn', notEmpty: true },
    message: 'Give a certificate or allow plain HTTP.',
  };

  it('become a template Rule whose condition also requires the way out not to be taken', () => {
    expect(toCfnRules([rule], specs).PlainHttpNeedsConsent?.RuleCondition).toEqual({
      'Fn::And': [{ 'Fn::Equals': [{ Ref: 'Scheme' }, 'internet-facing'] }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AllowPlainHttp' }, 'Yes'] }] }],
    });
  });

  it.each([
    [{ Scheme: 'internet-facing' }, { CertificateArn: 'Give a certificate or allow plain HTTP.' }],
    [{ Scheme: 'internet-facing', AllowPlainHttp: 'No' }, { CertificateArn: 'Give a certificate or allow plain HTTP.' }],
    [{ Scheme: 'internet-facing', AllowPlainHttp: 'Yes' }, {}],
    [{ Scheme: 'internet-facing', CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }, {}],
    [{ Scheme: 'internal' }, {}],
  ])('are enforced by the zod schema: %j', async (values, errors) => {
    const result = await toZodSchema(specs, [rule]).safeParseAsync(values);
    expect(result.success ? {} : toFieldErrors(result.error)).toEqual(errors);
  });
});

describe('interface metadata and fields', () => {
  const specs: ParamSpec[] = [
    { ...base, key: 'A', type: 'String', group: 'Network', default: '' },
    { ...base, key: 'B', type: 'String', group: 'Images', default: 'x', allowedValues: ['x', 'y'] },
    { ...base, key: 'C', type: 'List<AWS::EC2::Subnet::Id>', group: 'Network' },
    { ...base, key: 'D', type: 'String', group: 'Images', default: '', noEcho: true },
    { ...base, key: 'E', type: 'String', group: 'Images', default: '', multiline: true },
  ];

  it('groups parameters in order of first use, with labels', () => {
    expect(toInterfaceMetadata(specs)).toEqual({
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          { Label: { default: 'Network' }, Parameters: ['A', 'C'] },
          { Label: { default: 'Images' }, Parameters: ['B', 'D', 'E'] },
        ],
        ParameterLabels: { A: { default: 'Thing' }, B: { default: 'Thing' }, C: { default: 'Thing' }, D: { default: 'Thing' }, E: { default: 'Thing' } },
      },
    });
  });

  it('derives one widget per kind and omits fields the plan fills', () => {
    const groups = toFields(specs, ['A']);
    expect(groups.map((g) => [g.label, g.fields.map((f) => [f.key, f.widget, f.required])])).toEqual([
      ['Network', [['C', 'list', true]]],
      ['Images', [['B', 'select', false], ['D', 'secret', false], ['E', 'textarea', false]]],
    ]);
    expect(groups[0]?.fields[0]?.awsType).toBe('AWS::EC2::Subnet::Id');
  });

  it('never puts a NoEcho value into a customized template default', () => {
    const params = toCfnParameters(specs, { D: 'secret-value', A: 'custom' });
    expect(params.D?.Default).toBe('');
    expect(params.A?.Default).toBe('custom');
  });
});
