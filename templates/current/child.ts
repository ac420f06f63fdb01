// Nested children of the services root: their definition (meta, parameter specs, builder), the
// complete template of one, and the AWS::CloudFormation::Stack resource that loads it.
import { sub, type Expr, type Resource, type Template } from '@/lib/cfn/template';
import { toCfnParameters, toInterfaceMetadata } from '@/lib/params/cfn';
import { isRequired, type ParamSpec } from '@/lib/params/spec';
import type { ChildMeta, TemplateBody } from '../stack';

export interface ChildDefinition {
  readonly meta: ChildMeta;
  readonly parameters: readonly ParamSpec[];
  build(): TemplateBody;
}

/** The child's complete template: parameters and Interface metadata derived from its specs. */
export function renderChild(child: ChildDefinition): Template {
  const body = child.build();
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: body.Description,
    Metadata: toInterfaceMetadata(child.parameters),
    Parameters: toCfnParameters(child.parameters),
    ...(body.Conditions ? { Conditions: body.Conditions } : {}),
    Resources: body.Resources,
    ...(body.Outputs ? { Outputs: body.Outputs } : {}),
  };
}

/** The file name under TemplateBaseUrl: the last segment of ChildMeta.file. */
export const childBaseName = (meta: ChildMeta) => meta.file.slice(meta.file.lastIndexOf('/') + 1);

export interface NestedStackOptions {
  condition?: string;
  dependsOn?: string[];
}

/**
 * The resource that loads `child` from `${TemplateBaseUrl}<name>.yaml` with `parameters`. Every
 * parameter the child declares without a default must be given, and nothing it does not declare:
 * CloudFormation rejects either only when the root is deployed.
 */
export function nestedStack(child: ChildDefinition, parameters: Record<string, Expr>, options: NestedStackOptions = {}): Resource {
  const declared = new Set(child.parameters.map((p) => p.key));
  const unknown = Object.keys(parameters).filter((key) => !declared.has(key));
  const missing = child.parameters.filter((p) => isRequired(p) && !(p.key in parameters)).map((p) => p.key);
  if (unknown.length || missing.length) {
    throw new Error(`${child.meta.id}: unknown parameters [${unknown.join(', ')}], missing parameters [${missing.join(', ')}]`);
  }
  return {
    Type: 'AWS::CloudFormation::Stack',
    ...(options.condition ? { Condition: options.condition } : {}),
    ...(options.dependsOn?.length ? { DependsOn: options.dependsOn } : {}),
    DeletionPolicy: 'Delete',
    UpdateReplacePolicy: 'Delete',
    Properties: {
      TemplateURL: sub(`\${TemplateBaseUrl}${childBaseName(child.meta)}.yaml`),
      Parameters: parameters,
    },
  };
}
