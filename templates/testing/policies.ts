// Test helper: pulls the risky parts out of a template for targeted assertions: IAM statements
// (both branches of an Fn::If), security-group ingress rules, and fixed physical names.
import type { Expr, Resource, Template } from '@/lib/cfn/template';

type Node = Record<string, unknown>;

export interface FoundStatement {
  path: string;
  statement: Node;
}

/** Both branches of an Fn::If (AWS::NoValue dropped); any other value as itself. */
function branches(value: unknown): unknown[] {
  const args = (value as Node | null)?.['Fn::If'];
  if (Array.isArray(args)) return args.slice(1).flatMap(branches);
  if ((value as Node | null)?.Ref === 'AWS::NoValue') return [];
  return [value];
}

function statementsOf(document: unknown, path: string): FoundStatement[] {
  const list = (document as Node | undefined)?.Statement;
  return (Array.isArray(list) ? list : [list]).flatMap((item, i) =>
    branches(item).map((statement) => ({ path: `${path}.Statement[${i}]`, statement: statement as Node })),
  );
}

/** Identity-policy statements of roles, inline policies and managed policies. */
export function identityStatements(template: Template): FoundStatement[] {
  return Object.entries(template.Resources).flatMap(([id, resource]) => {
    const props = (resource.Properties ?? {}) as Node;
    const path = `Resources.${id}`;
    if (resource.Type === 'AWS::IAM::Role') {
      const policies = (props.Policies ?? []) as Node[];
      return policies.flatMap((policy, i) => statementsOf(policy.PolicyDocument, `${path}.Policies[${i}]`));
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      return statementsOf(props.PolicyDocument, `${path}.PolicyDocument`);
    }
    return [];
  });
}

export const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

export interface IngressRule {
  path: string;
  /** Logical id of the group the rule belongs to, or undefined for an imported group. */
  group: string | undefined;
  rule: Node;
}

const logicalId = (value: unknown): string | undefined => {
  const node = value as Node | null;
  if (typeof node?.Ref === 'string') return node.Ref;
  const getAtt = node?.['Fn::GetAtt'];
  return Array.isArray(getAtt) ? String(getAtt[0]) : undefined;
};

/** Inline SecurityGroupIngress rules and standalone AWS::EC2::SecurityGroupIngress resources. */
export function ingressRules(template: Template): IngressRule[] {
  return Object.entries(template.Resources).flatMap(([id, resource]): IngressRule[] => {
    const props = (resource.Properties ?? {}) as Node;
    if (resource.Type === 'AWS::EC2::SecurityGroup') {
      return asList(props.SecurityGroupIngress ?? []).flatMap((item, i) =>
        branches(item).map((rule) => ({ path: `Resources.${id}.Properties.SecurityGroupIngress[${i}]`, group: id, rule: rule as Node })),
      );
    }
    if (resource.Type === 'AWS::EC2::SecurityGroupIngress') {
      return [{ path: `Resources.${id}`, group: logicalId(props.GroupId), rule: props }];
    }
    return [];
  });
}

/** Ports of the template's listeners, by the logical id of their load balancer's security groups. */
export function listenerPortsBySecurityGroup(template: Template): Map<string, Set<number>> {
  const ports = new Map<string, Set<number>>();
  const resources = template.Resources;
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ElasticLoadBalancingV2::Listener') continue;
    const props = resource.Properties as Node;
    const balancer = resources[logicalId(props.LoadBalancerArn) ?? ''];
    const groups = asList((balancer?.Properties as Node | undefined)?.SecurityGroups ?? []).map(logicalId);
    for (const group of groups) {
      if (!group) continue;
      ports.set(group, (ports.get(group) ?? new Set()).add(Number(props.Port)));
    }
  }
  return ports;
}

/** Properties that would give a resource a fixed physical name, by type. */
export const NAME_PROPERTIES: Record<string, string[]> = {
  'AWS::IAM::Role': ['RoleName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::IAM::User': ['UserName'],
  'AWS::IAM::Group': ['GroupName'],
  'AWS::IAM::InstanceProfile': ['InstanceProfileName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::ECS::Cluster': ['ClusterName'],
  'AWS::ECS::Service': ['ServiceName'],
  'AWS::ECS::TaskDefinition': ['Family'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SSM::Parameter': ['Name'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name'],
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['Name'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::RDS::DBInstance': ['DBInstanceIdentifier'],
  'AWS::RDS::DBSubnetGroup': ['DBSubnetGroupName'],
  'AWS::EC2::SecurityGroup': ['GroupName'],
};

/**
 * Names that are regional and may repeat without colliding as long as they carry the stack name:
 * KMS aliases (which must be named), and task definition families (a family takes new revisions).
 */
const STACK_SCOPED: Record<string, string> = { 'AWS::KMS::Alias': 'AliasName', 'AWS::ECS::TaskDefinition': 'Family' };

/** Physical-name properties set on resources (a stack-scoped name must carry the stack name). */
export function fixedNames(template: Template): string[] {
  return Object.entries(template.Resources).flatMap(([id, resource]: [string, Resource]) => {
    const props = (resource.Properties ?? {}) as Record<string, Expr>;
    const scoped = STACK_SCOPED[resource.Type];
    if (scoped && props[scoped] !== undefined) {
      return JSON.stringify(props[scoped]).includes('${AWS::StackName}') ? [] : [`${id}.${scoped}`];
    }
    return (NAME_PROPERTIES[resource.Type] ?? []).filter((name) => props[name] !== undefined).map((name) => `${id}.${name}`);
  });
}

/** Resources of a type, as [logical id, properties]. */
export const resourcesOfType = (template: Template, type: string): [string, Node][] =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, (resource.Properties ?? {}) as Node]);
