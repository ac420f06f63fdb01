// Derives the form's field descriptors from specs: grouped as the template's Interface
// metadata groups them, each with the widget its type calls for.
import { groupSpecs } from './cfn';
import { AWS_ID_TYPES, isListType, isRequired, itemType, type AwsIdType, type ParamSpec } from './spec';

export type FieldWidget = 'text' | 'select' | 'textarea' | 'number' | 'secret' | 'list';

export interface FieldDescriptor {
  key: string;
  label: string;
  help: string;
  widget: FieldWidget;
  required: boolean;
  defaultValue: string;
  options?: readonly string[];
  placeholder?: string;
  /** The AWS resource type a picker can list, when credentials are available. */
  awsType?: AwsIdType;
  pattern?: string;
}

export interface FieldGroup {
  label: string;
  fields: FieldDescriptor[];
}

export function widgetFor(spec: ParamSpec): FieldWidget {
  if (spec.noEcho) return 'secret';
  if (spec.allowedValues) return 'select';
  if (spec.multiline) return 'textarea';
  if (isListType(spec.type)) return 'list';
  if (spec.type === 'Number') return 'number';
  return 'text';
}

export function toField(spec: ParamSpec): FieldDescriptor {
  const item = itemType(spec.type);
  const awsType = item in AWS_ID_TYPES ? (item as AwsIdType) : undefined;
  return {
    key: spec.key,
    label: spec.label,
    help: spec.description,
    widget: widgetFor(spec),
    required: isRequired(spec),
    defaultValue: spec.default ?? '',
    options: spec.allowedValues,
    placeholder: awsType ? AWS_ID_TYPES[awsType].example + (isListType(spec.type) ? ', …' : '') : undefined,
    awsType,
    pattern: spec.allowedPattern,
  };
}

export function toFields(specs: readonly ParamSpec[], omit: readonly string[] = []): FieldGroup[] {
  return groupSpecs(specs)
    .map((group) => ({ label: group.label, fields: group.specs.filter((s) => !omit.includes(s.key)).map(toField) }))
    .filter((group) => group.fields.length > 0);
}
