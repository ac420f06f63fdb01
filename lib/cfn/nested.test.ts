import { describe, expect, it } from 'vitest';
import { childFileName, childTemplateBase, stackNameOfArn, withNestedTemplateFormat } from './nested';
import { CURRENT_STACKS } from '@/templates/current';
import { renderTemplate } from '@/templates/stack';
import type { Template } from './template';

const root: Template = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'root',
  Resources: {
    Cert: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: { 'Fn::Sub': '${TemplateBaseUrl}cert.yaml' }, Parameters: {} } },
    Fixed: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/t/alb.yaml' } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'not.yaml' } },
  },
};

describe('nested template format', () => {
  it('names a child file with the format\'s extension', () => {
    expect(childFileName('cardinal-lakerunner/cert', 'json')).toBe('cardinal-lakerunner/cert.json');
    expect(childFileName('cardinal-lakerunner/cert', 'yaml')).toBe('cardinal-lakerunner/cert.yaml');
  });

  it('points a JSON root at its JSON children, and touches nothing else', () => {
    const json = withNestedTemplateFormat(root, 'json');
    expect(json.Resources.Cert?.Properties?.TemplateURL).toEqual({ 'Fn::Sub': '${TemplateBaseUrl}cert.json' });
    expect(json.Resources.Fixed?.Properties?.TemplateURL).toBe('https://example.com/t/alb.json');
    expect(json.Resources.Topic).toBe(root.Resources.Topic);
    expect(root.Resources.Cert?.Properties?.TemplateURL).toEqual({ 'Fn::Sub': '${TemplateBaseUrl}cert.yaml' });
  });

  it('leaves a YAML root and a template without nested stacks as they are', () => {
    expect(withNestedTemplateFormat(root, 'yaml')).toBe(root);
    const plain: Template = { AWSTemplateFormatVersion: '2010-09-09', Description: 'p', Resources: { Topic: { Type: 'AWS::SNS::Topic' } } };
    expect(withNestedTemplateFormat(plain, 'json')).toBe(plain);
  });
});

describe('where a root loads its children from', () => {
  const withBase: Template = { ...root, Parameters: { TemplateBaseUrl: { Type: 'String' } } };

  it('reads the parameter and the children\'s folder in a published tree from the TemplateURLs', () => {
    expect(childTemplateBase(withBase, [{ logicalId: 'Cert', file: 'cardinal-lakerunner/cert' }])).toEqual({ parameter: 'TemplateBaseUrl', folder: 'cardinal-lakerunner/' });
    expect(childTemplateBase(withBase, [{ logicalId: 'Cert', file: 'cert' }])).toEqual({ parameter: 'TemplateBaseUrl', folder: '' });
    expect(childTemplateBase(withBase, [])).toBeUndefined();
    // a JSON root loads the same folder's .json files
    expect(childTemplateBase(withNestedTemplateFormat(withBase, 'json'), [{ logicalId: 'Cert', file: 'nested/cert' }])).toEqual({ parameter: 'TemplateBaseUrl', folder: 'nested/' });
  });

  it('refuses a root it could not point at another copy of its children', () => {
    expect(() => childTemplateBase(withBase, [{ logicalId: 'Fixed', file: 'alb' }])).toThrow(/not \$\{Parameter\}<file>/);
    expect(() => childTemplateBase(withBase, [{ logicalId: 'Topic', file: 'x' }])).toThrow(/no nested stack Topic/);
    expect(() => childTemplateBase(withBase, [{ logicalId: 'Cert', file: 'cardinal-lakerunner/xcert' }])).toThrow(/not where its file/);
    expect(() => childTemplateBase(root, [{ logicalId: 'Cert', file: 'cert' }])).toThrow(/not \$\{Parameter\}/);
  });

  it('finds TemplateBaseUrl and cardinal-lakerunner/ for the current line\'s services root, the same for all seven children', () => {
    const services = CURRENT_STACKS.find((s) => s.id === 'services')!;
    expect(services.children).toHaveLength(7);
    expect(childTemplateBase(renderTemplate(services), services.children!)).toEqual({ parameter: 'TemplateBaseUrl', folder: 'cardinal-lakerunner/' });
  });

  it('reads a stack name from a stack ARN only', () => {
    expect(stackNameOfArn('arn:aws:cloudformation:us-east-1:111111111111:stack/app-Alb-1A2B3C/8d2a-11ef')).toBe('app-Alb-1A2B3C');
    expect(stackNameOfArn('arn:aws-us-gov:cloudformation:us-gov-west-1:111111111111:stack/x/y')).toBe('x');
    expect(stackNameOfArn('arn:aws:cloudformation:us-east-1:111111111111:changeSet/x/y')).toBeUndefined();
    expect(stackNameOfArn('i-0abc')).toBeUndefined();
    expect(stackNameOfArn(undefined)).toBeUndefined();
  });
});
