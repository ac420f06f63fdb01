// The stack definition every template file exports, and the renderer that turns it into a
// complete template (parameters, rules and Interface metadata derived from the specs).
import type { Template } from '@/lib/cfn/template';
import { toCfnParameters, toCfnRules, toInterfaceMetadata } from '@/lib/params/cfn';
import type { ParamRule, ParamSpec } from '@/lib/params/spec';

export const STACK_IDS = ['vpc', 'common', 'migration', 'services', 'grafana', 'otel', 'demo'] as const;
export type StackId = (typeof STACK_IDS)[number];

/** Where the plan takes a parameter's value from instead of asking the user. */
export type StackInput<Id extends string = StackId> = { readonly stackName: Id } | { readonly output: readonly [Id, string] };

/** The template body a builder returns; Parameters, Rules and Metadata are derived. */
export type TemplateBody = Omit<Template, 'AWSTemplateFormatVersion' | 'Parameters' | 'Rules' | 'Metadata'>;

/** A nested stack a root template loads from `${TemplateBaseUrl}<file>.<ext>`. */
export interface ChildMeta {
  readonly id: string;
  /** Logical id of the AWS::CloudFormation::Stack resource in the root template. */
  readonly logicalId: string;
  /** Path under the bundle or publishing root, without extension, e.g. cardinal-lakerunner/cert. */
  readonly file: string;
  readonly title: string;
}

/** How a plan decides whether a stack is deployed. */
export type StackInclusion = 'always' | 'new-network' | 'toggle';

/**
 * `Id` is the release line's stack ids (unique within a line); it defaults to the 2025 line's
 * until the registry holds several lines.
 */
export interface StackMeta<Id extends string = StackId> {
  readonly id: Id;
  /** File stem and default stack name, e.g. lakerunner-services. */
  readonly stem: string;
  /** Other stems the same template is served under (names from the original README). */
  readonly aliases: readonly string[];
  readonly title: string;
  /** One sentence for the home page and the plan. */
  readonly purpose: string;
  readonly optional: boolean;
  /**
   * always; new-network: only when the plan creates the network; toggle: when `plan.include[id]`.
   * Optional until the release-lines registry gives every 2025 stack one.
   */
  readonly inclusion?: StackInclusion;
  /** Nested stacks the template loads, published beside it. */
  readonly children?: readonly ChildMeta[];
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
}

export interface StackDefinition<Id extends string = StackId> extends StackMeta<Id> {
  build(): TemplateBody;
  /** The complete templates of `children`, by ChildMeta.id. */
  buildChildren?(): Readonly<Record<string, Template>>;
}

export function defineStack<Id extends string = StackId>(definition: StackDefinition<Id>): StackDefinition<Id> {
  return definition;
}

/** The complete template; `defaults` become the parameters' defaults (NoEcho ones excepted). */
export function renderTemplate(stack: StackDefinition<string>, defaults: Record<string, string> = {}): Template {
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
  const { build: _build, buildChildren: _buildChildren, ...meta } = stack;
  void _build;
  void _buildChildren;
  return meta;
}
