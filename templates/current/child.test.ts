import { describe, expect, it } from 'vitest';
import { ref } from '@/lib/cfn/template';
import { certChild } from './cardinal-lakerunner/cert';
import { childBaseName, nestedStack, renderChild } from './child';

const ids = { InstallIdShort: ref('A'), InstallIdLong: ref('B') };

describe('nested children', () => {
  it('loads a child from TemplateBaseUrl by its file name, deleted with its root', () => {
    expect(childBaseName(certChild.meta)).toBe('cert');
    expect(nestedStack(certChild, ids, { dependsOn: ['X'], condition: 'C' })).toEqual({
      Type: 'AWS::CloudFormation::Stack',
      Condition: 'C',
      DependsOn: ['X'],
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: { TemplateURL: { 'Fn::Sub': '${TemplateBaseUrl}cert.yaml' }, Parameters: ids },
    });
  });

  it('refuses parameters the child does not declare and a missing required one, before CloudFormation would', () => {
    expect(() => nestedStack(certChild, { ...ids, Nope: 'x' })).toThrow('cert: unknown parameters [Nope], missing parameters []');
    expect(() => nestedStack(certChild, { InstallIdShort: ref('A') })).toThrow('cert: unknown parameters [], missing parameters [InstallIdLong]');
  });

  it('renders a child completely: parameters and Interface metadata from its specs', () => {
    const template = renderChild(certChild);
    expect(Object.keys(template.Parameters ?? {})).toEqual(certChild.parameters.map((p) => p.key));
    expect(template.Metadata).toHaveProperty('AWS::CloudFormation::Interface');
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
  });
});
