import { describe, expect, it } from 'vitest';
import { cidrSubnets, evaluate, NO_VALUE, Unknown, type Scope } from './intrinsics';
import type { Json } from './json';
import { parseTemplateText } from './parse';

const scope: Scope = {
  region: 'eu-west-1',
  pseudo: (name) => (name === 'AWS::Region' ? 'eu-west-1' : name === 'AWS::NoValue' ? NO_VALUE : undefined),
  param: (name) => ({ Env: 'prod', Subnets: ['subnet-a', 'subnet-b'] })[name],
  condition: (name) => name === 'IsProd',
  isResource: (id) => id === 'Bucket' || id === 'Pending',
  resourceRef: (id) => (id === 'Pending' ? new Unknown('ResourceReference', id) : 'my-bucket'),
  resourceAttr: (id, attribute) => (id === 'Pending' ? new Unknown('ResourceAttribute', `${id}.${attribute}`) : `arn:aws:s3:::my-bucket/${attribute}`),
  importValue: (name) => `imported:${name}`,
  mapping: (map, top, second) => (map === 'M' && top === 'eu-west-1' && second === 'Size' ? 'large' : undefined),
  azs: (region) => [`${region}a`, `${region}b`],
};

describe('intrinsic functions', () => {
  it.each<[string, Json, unknown]>([
    ['Sub with pseudo parameters, resources, attributes and escapes', { 'Fn::Sub': '${Bucket}/${Bucket.Arn}/${AWS::Region}/${!Literal}' }, 'my-bucket/arn:aws:s3:::my-bucket/Arn/eu-west-1/${Literal}'],
    ['Sub with a variable map', { 'Fn::Sub': ['${A}-${Env}', { A: { Ref: 'Bucket' } }] }, 'my-bucket-prod'],
    ['Join over a list parameter', { 'Fn::Join': [',', { Ref: 'Subnets' }] }, 'subnet-a,subnet-b'],
    ['Select from GetAZs', { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }, 'eu-west-1b'],
    ['If drops AWS::NoValue keys', { A: { 'Fn::If': ['IsDev', 'x', { Ref: 'AWS::NoValue' }] }, B: 1 }, { B: 1 }],
    ['If drops AWS::NoValue list items', [{ 'Fn::If': ['IsProd', 'kept', 'no'] }, { 'Fn::If': ['IsDev', 'x', { Ref: 'AWS::NoValue' }] }], ['kept']],
    ['Equals, Not, And, Or', { 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, { 'Fn::Not': [{ 'Fn::Or': [{ Condition: 'IsDev' }, false] }] }] }, true],
    ['ImportValue of a computed name', { 'Fn::ImportValue': { 'Fn::Sub': '${Env}-VpcId' } }, 'imported:prod-VpcId'],
    ['FindInMap', { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'Size'] }, 'large'],
    ['Split then Select', { 'Fn::Select': [2, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'c'],
    ['Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
    ['Unknown values poison what contains them', { 'Fn::Join': ['-', ['x', { Ref: 'Pending' }]] }, new Unknown('ResourceReference', 'Pending')],
    ['IAM policy Condition blocks are data, not intrinsics', { Condition: { StringEquals: { 'aws:SourceAccount': '1' } } }, { Condition: { StringEquals: { 'aws:SourceAccount': '1' } } }],
  ])('%s', (_, expr, expected) => {
    expect(evaluate(expr, scope)).toEqual(expected);
  });

  it.each<[Json, string]>([
    [{ 'Fn::Select': [5, ['a']] }, 'Template error: Fn::Select cannot select nonexistent value at index 5'],
    [{ 'Fn::Join': [',', 'not-a-list'] }, 'Template error: every Fn::Join object requires two parameters'],
    [{ 'Fn::Sub': '${Subnets}' }, 'Template error: variable Subnets in Fn::Sub expression does not resolve to a string'],
    [{ Ref: 'Missing' }, 'Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template'],
    [{ 'Fn::FindInMap': ['M', 'x', 'y'] }, 'Template error: Unable to get mapping for M::x::y'],
  ])('refuses %j with CloudFormation\'s message', (expr, message) => {
    expect(() => evaluate(expr, scope)).toThrow(message);
  });

  it('Fn::Cidr carves consecutive blocks from the network address', () => {
    expect(cidrSubnets('10.0.0.0/16', 4, 8)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
    expect(cidrSubnets('192.168.7.9/22', 2, 9)).toEqual(['192.168.4.0/23', '192.168.6.0/23']);
    expect(() => cidrSubnets('10.0.0.0/24', 3, 7)).toThrow('cannot split');
  });
});

describe('template text', () => {
  it('expands YAML short-form tags to their long forms, GetAtt splitting at the first dot only', () => {
    const parsed = parseTemplateText(
      ['Resources:', '  A:', '    Type: X', '    Properties:', '      R: !Ref P', '      G: !GetAtt Db.Endpoint.Address', '      S: !Sub "${AWS::Region}"', '      J: !Join [",", !Split [" ", "a b"]]', '      V: 2010-09-09', '      Y: Yes', '      N: n', '      O: off'].join('\n'),
    );
    expect(parsed).toEqual({
      Resources: {
        A: {
          Type: 'X',
          Properties: {
            R: { Ref: 'P' },
            G: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
            S: { 'Fn::Sub': '${AWS::Region}' },
            J: { 'Fn::Join': [',', { 'Fn::Split': [' ', 'a b'] }] },
            V: '2010-09-09',
            Y: true,
            N: 'n',
            O: false,
          },
        },
      },
    });
  });

  it('reports malformed JSON and YAML with a position', () => {
    expect(() => parseTemplateText('{"Resources": ')).toThrow(/^Template format error: JSON not well-formed\. \(line 1, {2}column \d+\)$/);
    expect(() => parseTemplateText('Resources:\n  - [')).toThrow(/^Template format error: YAML not well-formed\. \(line \d+, column \d+\)$/);
  });
});
