// Template Rules: parameter assertions checked before any resource is touched. A failed
// assertion refuses the request with its AssertDescription.
import type { RegionState } from '../core/state';
import { validationError } from '../core/errors';
import { templateError } from './intrinsics';
import { isObject, type Json } from './json';
import { refValue } from './parameters';
import type { Template } from './template';

type RuleValue = string | string[] | boolean;

export function checkRules(template: Template, values: Record<string, string>, r: RegionState) {
  for (const rule of Object.values(template.rules)) {
    if (!isObject(rule)) continue;
    if (rule.RuleCondition !== undefined && evaluateRule(rule.RuleCondition, template, values, r) !== true) continue;
    const assertions = Array.isArray(rule.Assertions) ? rule.Assertions : [];
    for (const assertion of assertions) {
      if (!isObject(assertion)) continue;
      if (evaluateRule(assertion.Assert ?? null, template, values, r) !== true) {
        throw validationError(typeof assertion.AssertDescription === 'string' ? assertion.AssertDescription : 'Template validation error: assertion failed');
      }
    }
  }
}

function evaluateRule(expr: Json, t: Template, values: Record<string, string>, r: RegionState): RuleValue {
  const ev = (e: Json) => evaluateRule(e, t, values, r);
  const asList = (v: RuleValue): string[] => (Array.isArray(v) ? v : [String(v)]);
  if (typeof expr === 'string') return expr;
  if (typeof expr === 'number' || typeof expr === 'boolean') return typeof expr === 'boolean' ? expr : String(expr);
  if (Array.isArray(expr)) return expr.map((e) => String(ev(e)));
  if (!isObject(expr)) return '';
  const [fn] = Object.keys(expr);
  const args = expr[fn!]!;
  const argList = Array.isArray(args) ? args : [args];
  switch (fn) {
    case 'Ref': {
      const decl = t.parameters[String(args)];
      if (!decl) throw templateError(`Unresolved parameter ${String(args)} in Rules`);
      return refValue(decl, values[String(args)]!, r.ssm);
    }
    case 'Fn::Equals': {
      const [a, b] = argList.map(ev);
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'Fn::Not':
      return ev(argList[0]!) !== true;
    case 'Fn::And':
      return argList.every((a) => ev(a) === true);
    case 'Fn::Or':
      return argList.some((a) => ev(a) === true);
    case 'Fn::If':
      return ev(argList[0]!) === true ? ev(argList[1]!) : ev(argList[2]!);
    case 'Fn::Contains': {
      const [list, value] = argList.map(ev);
      return asList(list!).includes(String(value));
    }
    case 'Fn::EachMemberEquals': {
      const [list, value] = argList.map(ev);
      return asList(list!).every((item) => item === String(value));
    }
    case 'Fn::EachMemberIn': {
      const [list, allowed] = argList.map(ev);
      return asList(list!).every((item) => asList(allowed!).includes(item));
    }
    case 'Fn::RefAll':
      return refAll(String(args), r);
    case 'Fn::ValueOf':
    case 'Fn::ValueOfAll': {
      const [param, attribute] = argList.map((a) => String(ev(a)));
      const decl = t.parameters[param!];
      if (!decl) throw templateError(`Unresolved parameter ${param} in Rules`);
      const ids = asList(refValue(decl, values[param!]!, r.ssm));
      const found = ids.map((id) => attributeOf(id, attribute!, r));
      return fn === 'Fn::ValueOf' ? (found[0] ?? '') : found;
    }
    default:
      throw templateError(`Unsupported function ${fn} in Rules`);
  }
}

function refAll(type: string, r: RegionState): string[] {
  if (type === 'AWS::EC2::VPC::Id') return r.vpcs.map((v) => v.vpcId);
  if (type === 'AWS::EC2::Subnet::Id') return r.subnets.map((s) => s.subnetId);
  if (type === 'AWS::EC2::SecurityGroup::Id') return r.securityGroups.map((g) => g.groupId);
  return [];
}

function attributeOf(id: string, attribute: string, r: RegionState): string {
  const subnet = r.subnets.find((s) => s.subnetId === id);
  if (subnet) {
    if (attribute === 'VpcId') return subnet.vpcId;
    if (attribute === 'AvailabilityZone') return subnet.availabilityZone;
    if (attribute.startsWith('Tags.')) return subnet.tags.find((tag) => tag.Key === attribute.slice(5))?.Value ?? '';
  }
  const vpc = r.vpcs.find((v) => v.vpcId === id);
  if (vpc && attribute.startsWith('Tags.')) return vpc.tags.find((tag) => tag.Key === attribute.slice(5))?.Value ?? '';
  const group = r.securityGroups.find((g) => g.groupId === id);
  if (group && attribute === 'VpcId') return group.vpcId;
  return '';
}
