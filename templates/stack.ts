// The stack definition every template file exports, and the renderer that turns it into a
// complete template (parameters, rules and Interface metadata derived from the specs).
import type { Template } from '@/lib/cfn/template';
import { toCfnParameters, toCfnRules, toInterfaceMetadata } from '@/lib/params/cfn';
import type { ParamRule, ParamSpec } from '@/lib/params/spec';

/** A stack's id, unique within its release line (two lines may both have a `vpc`). */
export type StackId = string;
/** What every line's stack ids look like (lowercase words joined by dashes), for checking input. */
export const STACK_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The release lines the console deploys: the 2025 seven-stack layout and upstream's current one. */
export const LINE_IDS = ['2025', 'current'] as const;
export type LineId = (typeof LINE_IDS)[number];

/**
 * When a plan includes a stack: always; only when the plan creates its network (a new VPC); or
 * when the plan's toggle for it (`plan.include[id]`) is on.
 */
export type StackInclusion = 'always' | 'new-network' | 'toggle';

/** A nested stack (AWS::CloudFormation::Stack) a stack's template creates. */
export interface ChildMeta {
  readonly id: string;
  /** The parent's logical id of the AWS::CloudFormation::Stack resource. */
  readonly logicalId: string;
  /** Path of the child's template without extension, e.g. cardinal-lakerunner/cert. */
  readonly file: string;
  readonly title: string;
}

/**
 * Where the plan takes a parameter's value from instead of asking the user: another stack's name;
 * another stack's output; the output of the case a parameter of this stack chooses (`outputBy`,
 * such as public subnets for an internet-facing load balancer, private ones otherwise); or the
 * value the plan gives another stack's parameter (`sameAs`: one field for a value several stacks
 * take). Outputs and `sameAs` apply while their stack is in the plan; otherwise the user gives it.
 * An output of a stack the plan puts in another AWS account applies only when it names something
 * usable from there (`acrossAccounts`, such as a role ARN); a VPC or cluster id does not cross.
 */
export type StackInput<Id extends string = StackId> =
  | { readonly stackName: Id }
  | { readonly output: readonly [Id, string]; readonly acrossAccounts?: true }
  | { readonly outputBy: { readonly key: string; readonly cases: Readonly<Record<string, readonly [Id, string]>> } }
  | { readonly sameAs: readonly [Id, string] };

/** The template body a builder returns; Parameters, Rules and Metadata are derived. */
export type TemplateBody = Omit<Template, 'AWSTemplateFormatVersion' | 'Parameters' | 'Rules' | 'Metadata'>;

/** `Id`: the line's stack ids, for a line that wants its own ids checked (any string by default). */
export interface StackMeta<Id extends string = StackId> {
  readonly id: Id;
  /** File stem and default stack name, e.g. lakerunner-services. */
  readonly stem: string;
  /** Other stems the same template is served under (names from the original README). */
  readonly aliases: readonly string[];
  readonly title: string;
  /** One sentence for the home page and the plan. */
  readonly purpose: string;
  readonly inclusion: StackInclusion;
  /** What deleting the stack loses (teardown, and a run that removes and creates it again). */
  readonly lossOnDelete: string;
  readonly parameters: readonly ParamSpec[];
  readonly rules: readonly ParamRule[];
  /** Stacks this one imports from; they must be deployed first. */
  readonly needs: readonly Id[];
  /**
   * The dependency graph's edges into this stack: it starts once these have completed. Direct
   * edges only; together they reach every stack in `needs` (the setup task's migration, which
   * nothing imports, is an edge too: the services must not start before the database is migrated).
   */
  readonly after: readonly Id[];
  readonly inputs: Readonly<Record<string, StackInput<Id>>>;
  /**
   * The line's group of stacks a plan may place in another AWS account together (PlanLine's
   * `accountGroups`); absent: always in the deployment's account.
   */
  readonly accountGroup?: string;
  /** The nested stacks its template creates, if any. */
  readonly children?: readonly ChildMeta[];
  /**
   * Parameter values CloudFormation needs in place before it can delete the stack, such as a
   * database's deletion protection off. A teardown sets them first (in the deployed template, every
   * other value kept), as a change set previewed and approved with the delete.
   */
  readonly beforeDelete?: Readonly<Record<string, string>>;
  /**
   * Parameters that may only rise: each names the deployed resource whose running version AWS may
   * have raised on its own (RDS minor upgrades). The preview refuses a value below it.
   */
  readonly versionFloors?: readonly VersionFloor[];
  /**
   * Secret values the console makes when it creates the stack and the plan gives none, passed like
   * any NoEcho value of the run (never on an update, where the deployed ones stay).
   */
  readonly generatedOnCreate?: readonly GeneratedOnCreate[];
}

/**
 * A self-signed certificate (a PEM body and its unencrypted RSA key) for parameters `certificate`
 * and `privateKey`, made while every parameter of `unless` is empty (no certificate given otherwise).
 */
export interface GeneratedOnCreate {
  readonly kind: 'self-signed-certificate';
  readonly unless: readonly string[];
  readonly certificate: string;
  readonly privateKey: string;
  readonly commonName: string;
  readonly altNames: readonly string[];
  readonly days: number;
}

/** A version parameter and the resource whose deployed version it must not go below. */
export interface VersionFloor {
  readonly parameter: string;
  readonly logicalId: string;
  /** The resource types whose deployed version the console can read. */
  readonly resourceType: 'AWS::RDS::DBInstance';
}

export interface StackDefinition<Id extends string = StackId> extends StackMeta<Id> {
  build(): TemplateBody;
  /** The complete template of each child (by ChildMeta.id), for stacks with children. */
  buildChildren?(): Readonly<Record<string, Template>>;
}

/** Whether a plan can leave the stack out. */
export const isOptional = (meta: Pick<StackMeta, 'inclusion'>) => meta.inclusion !== 'always';

export function defineStack<Id extends string = StackId>(definition: StackDefinition<Id>): StackDefinition<Id> {
  return definition;
}

/** The complete template; `defaults` become the parameters' defaults (NoEcho ones excepted). */
export function renderTemplate(stack: StackDefinition, defaults: Record<string, string> = {}): Template {
  const body = stack.build();
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: body.Description,
    Metadata: toInterfaceMetadata(stack.parameters),
    Parameters: toCfnParameters(stack.parameters, defaults),
    ...(stack.rules.length > 0 ? { Rules: toCfnRules(stack.rules, stack.parameters) } : {}),
    ...(body.Mappings ? { Mappings: body.Mappings } : {}),
    ...(body.Conditions ? { Conditions: body.Conditions } : {}),
    Resources: body.Resources,
    ...(body.Outputs ? { Outputs: body.Outputs } : {}),
  };
}

/** The plain-data part of a stack, safe to pass to client components. */
export function toMeta<Id extends string = StackId>(stack: StackDefinition<Id>): StackMeta<Id> {
  const { build: _build, buildChildren: _children, ...meta } = stack;
  void _build;
  void _children;
  return meta;
}

/** The stacks an input reads from: the named stack, the output's producer (each case's), or the stack whose value it takes. */
export function inputSources<Id extends string>(input: StackInput<Id>): Id[] {
  if ('stackName' in input) return [input.stackName];
  if ('output' in input) return [input.output[0]];
  if ('outputBy' in input) return [...new Set(Object.values(input.outputBy.cases).map(([id]) => id))];
  return [input.sameAs[0]];
}
