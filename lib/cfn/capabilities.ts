// The capabilities CloudFormation requires to create a template: IAM resources need
// CAPABILITY_IAM, IAM resources with custom names need CAPABILITY_NAMED_IAM.
import type { Template } from './template';

const NAME_PROPERTIES = ['RoleName', 'UserName', 'GroupName', 'ManagedPolicyName', 'InstanceProfileName'];

export type Capability = 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | 'CAPABILITY_AUTO_EXPAND';

export function requiredCapabilities(template: Template): Capability[] {
  const iam = Object.values(template.Resources).filter((r) => r.Type.startsWith('AWS::IAM::'));
  if (iam.length === 0) return [];
  const named = iam.some((r) => NAME_PROPERTIES.some((p) => r.Properties?.[p] !== undefined));
  return named ? ['CAPABILITY_NAMED_IAM'] : ['CAPABILITY_IAM'];
}
