// CloudFormation template shapes and typed intrinsic helpers. Isomorphic: builders, the
// plan form and the sandbox all read templates through these types.

export type Intrinsic =
  | { Ref: string }
  | { 'Fn::GetAtt': [string, string] }
  | { 'Fn::Sub': string | [string, Record<string, Expr>] }
  | { 'Fn::Join': [string, Expr] }
  | { 'Fn::Select': [number | Expr, Expr] }
  | { 'Fn::Split': [string, Expr] }
  | { 'Fn::If': [string, Expr, Expr] }
  | { 'Fn::Equals': [Expr, Expr] }
  | { 'Fn::Not': [Expr] }
  | { 'Fn::And': Expr[] }
  | { 'Fn::Or': Expr[] }
  | { 'Fn::ImportValue': Expr }
  | { 'Fn::GetAZs': Expr }
  | { 'Fn::Cidr': [Expr, number | Expr, number | Expr] }
  | { 'Fn::Base64': Expr }
  | { 'Fn::FindInMap': [string, Expr, Expr] }
  | { Condition: string }
  | { 'Fn::Contains': [Expr, Expr] }
  | { 'Fn::EachMemberEquals': [Expr, Expr] }
  | { 'Fn::EachMemberIn': [Expr, Expr] }
  | { 'Fn::ValueOf': [string, string] }
  | { 'Fn::ValueOfAll': [string, string] }
  | { 'Fn::RefAll': string };

export type Expr = string | number | boolean | Intrinsic | readonly Expr[] | { readonly [key: string]: Expr };

export interface CfnParameter {
  Type: string;
  Description?: string;
  Default?: string;
  AllowedValues?: string[];
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  ConstraintDescription?: string;
  NoEcho?: boolean;
}

export interface CfnRule {
  RuleCondition?: Expr;
  Assertions: { Assert: Expr; AssertDescription: string }[];
}

export interface Resource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: 'Delete' | 'Retain' | 'RetainExceptOnCreate' | 'Snapshot';
  UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
  Metadata?: Record<string, Expr>;
  Properties?: Record<string, Expr>;
}

export interface Output {
  Description?: string;
  Condition?: string;
  Value: Expr;
  Export?: { Name: Expr };
}

export interface Template {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Metadata?: Record<string, unknown>;
  Parameters?: Record<string, CfnParameter>;
  Rules?: Record<string, CfnRule>;
  Mappings?: Record<string, Record<string, Record<string, Expr>>>;
  Conditions?: Record<string, Expr>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, Output>;
}

/** The pseudo parameters CloudFormation defines; Ref accepts them like parameters. */
export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
] as const;

export const ref = (name: string): Intrinsic => ({ Ref: name });
export const getAtt = (resource: string, attribute: string): Intrinsic => ({ 'Fn::GetAtt': [resource, attribute] });
export const sub = (text: string, vars?: Record<string, Expr>): Intrinsic =>
  vars ? { 'Fn::Sub': [text, vars] } : { 'Fn::Sub': text };
export const join = (delimiter: string, items: Expr): Intrinsic => ({ 'Fn::Join': [delimiter, items] });
export const select = (index: number, list: Expr): Intrinsic => ({ 'Fn::Select': [index, list] });
export const split = (delimiter: string, text: Expr): Intrinsic => ({ 'Fn::Split': [delimiter, text] });
export const ifThen = (condition: string, whenTrue: Expr, whenFalse: Expr): Intrinsic => ({
  'Fn::If': [condition, whenTrue, whenFalse],
});
export const equals = (a: Expr, b: Expr): Intrinsic => ({ 'Fn::Equals': [a, b] });
export const not = (condition: Expr): Intrinsic => ({ 'Fn::Not': [condition] });
export const and = (...conditions: Expr[]): Intrinsic => ({ 'Fn::And': conditions });
export const or = (...conditions: Expr[]): Intrinsic => ({ 'Fn::Or': conditions });
export const condition = (name: string): Intrinsic => ({ Condition: name });
export const importValue = (name: Expr): Intrinsic => ({ 'Fn::ImportValue': name });
export const getAZs = (region: Expr = ''): Intrinsic => ({ 'Fn::GetAZs': region });
export const cidr = (block: Expr, count: number, cidrBits: number): Intrinsic => ({ 'Fn::Cidr': [block, count, cidrBits] });
export const base64 = (value: Expr): Intrinsic => ({ 'Fn::Base64': value });
export const noValue: Intrinsic = { Ref: 'AWS::NoValue' };

/** `${Stack}-<name>`: the export-name pattern every Lakerunner stack uses. */
export const exportName = (name: string): Intrinsic => sub(`\${AWS::StackName}-${name}`);
/** Imports `<name>` exported by the stack whose name is held in parameter `stackParam`. */
export const importFrom = (stackParam: string, name: string): Intrinsic => importValue(sub(`\${${stackParam}}-${name}`));

/** An output exported under the stack's export-name pattern. */
export const exported = (description: string, value: Expr, name: string, cond?: string): Output => ({
  Description: description,
  ...(cond ? { Condition: cond } : {}),
  Value: value,
  Export: { Name: exportName(name) },
});

export const tags = (entries: Record<string, Expr>): Expr[] =>
  Object.entries(entries).map(([Key, Value]) => ({ Key, Value }));

/**
 * DeletionPolicy and UpdateReplacePolicy together: what becomes of the physical resource when its
 * stack is deleted or CloudFormation replaces it. Stateful resources say so explicitly.
 */
export const lifecycle = (policy: 'Delete' | 'Retain' | 'Snapshot'): Pick<Resource, 'DeletionPolicy' | 'UpdateReplacePolicy'> => ({
  DeletionPolicy: policy,
  UpdateReplacePolicy: policy,
});
