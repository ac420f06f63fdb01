import { describe, expect, it } from 'vitest';
import { readTemplate, refTarget, UNKNOWN } from './resolve';
import type { Template } from './template';

const template: Template = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'test',
  Parameters: {
    Count: { Type: 'Number', Default: '3' },
    Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-a, subnet-b,subnet-c' },
    Empty: { Type: 'CommaDelimitedList', Default: '' },
    Scheme: { Type: 'String', Default: 'internal' },
    Required: { Type: 'String' },
  },
  Conditions: {
    IsPublic: { 'Fn::Equals': [{ Ref: 'Scheme' }, 'internet-facing'] },
    IsPrivate: { 'Fn::Not': [{ Condition: 'IsPublic' }] },
    Both: { 'Fn::And': [{ Condition: 'IsPrivate' }, { 'Fn::Equals': [{ Ref: 'Count' }, '3'] }] },
    Unknowable: { 'Fn::Equals': [{ Ref: 'Required' }, 'x'] },
  },
  Resources: {
    Always: { Type: 'AWS::SQS::Queue' },
    OnlyPublic: { Type: 'AWS::EC2::EIP', Condition: 'IsPublic' },
    OnlyPrivate: { Type: 'AWS::EC2::EIP', Condition: 'IsPrivate' },
    Maybe: { Type: 'AWS::EC2::EIP', Condition: 'Unknowable' },
  },
};

describe('readTemplate', () => {
  const reader = readTemplate(template, 'eu-west-1');

  it('takes parameters at their defaults, lists split and trimmed', () => {
    expect(reader.value({ Ref: 'Count' })).toBe('3');
    expect(reader.value({ Ref: 'Subnets' })).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    expect(reader.value({ Ref: 'Empty' })).toEqual([]);
    expect(reader.value({ Ref: 'Required' })).toBe(UNKNOWN);
  });

  it('knows the region, drops AWS::NoValue, and leaves imports, attributes and resources unknown', () => {
    expect(reader.value({ 'Fn::Sub': 'com.amazonaws.${AWS::Region}.logs' })).toBe('com.amazonaws.eu-west-1.logs');
    expect(reader.value(['a', { Ref: 'AWS::NoValue' }, 'b'])).toEqual(['a', 'b']);
    expect(reader.value({ Key: { Ref: 'AWS::NoValue' }, Other: 1 })).toEqual({ Other: 1 });
    expect(reader.value({ 'Fn::ImportValue': 'x' })).toBe(UNKNOWN);
    expect(reader.value({ 'Fn::GetAtt': ['Always', 'Arn'] })).toBe(UNKNOWN);
    expect(reader.value({ Ref: 'Always' })).toBe(UNKNOWN);
    expect(reader.value({ 'Fn::Sub': ['${A}-x', { A: { 'Fn::ImportValue': 'y' } }] })).toBe(UNKNOWN);
  });

  it('evaluates conditions, Fn::If and the list functions', () => {
    expect([reader.condition('IsPublic'), reader.condition('IsPrivate'), reader.condition('Both')]).toEqual([false, true, true]);
    expect(reader.condition('Unknowable')).toBe(UNKNOWN);
    expect(reader.value({ 'Fn::If': ['IsPublic', 'yes', 'no'] })).toBe('no');
    expect(reader.value({ 'Fn::If': ['Unknowable', 'yes', 'no'] })).toBe(UNKNOWN);
    expect(reader.value({ 'Fn::Select': [1, { Ref: 'Subnets' }] })).toBe('subnet-b');
    expect(reader.value({ 'Fn::Join': ['/', { Ref: 'Subnets' }] })).toBe('subnet-a/subnet-b/subnet-c');
    expect(reader.value({ 'Fn::Split': [',', 'a,b'] })).toEqual(['a', 'b']);
    expect(reader.value({ 'Fn::Split': [',', { 'Fn::ImportValue': 'x' }] })).toBe(UNKNOWN);
  });

  it('keeps the length of a list whose items are unknown', () => {
    expect(reader.value([{ Ref: 'Always' }, { Ref: 'Always' }])).toEqual([UNKNOWN, UNKNOWN]);
  });

  it('lists the resources CloudFormation would create: false conditions out, unknown ones in', () => {
    expect(reader.resources().map(([id]) => id)).toEqual(['Always', 'OnlyPrivate', 'Maybe']);
  });

  it('names the target of a Ref', () => {
    expect(refTarget({ Ref: 'Always' })).toBe('Always');
    expect(refTarget({ 'Fn::GetAtt': ['Always', 'Arn'] })).toBeUndefined();
    expect(refTarget('Always')).toBeUndefined();
  });
});
