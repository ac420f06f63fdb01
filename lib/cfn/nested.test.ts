import { describe, expect, it } from 'vitest';
import { childFileName, withNestedTemplateFormat } from './nested';
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
