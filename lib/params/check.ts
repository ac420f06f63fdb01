// Checks one parameter value against its spec the way CloudFormation does (type, AllowedValues,
// AllowedPattern, lengths, ranges), plus the console's synchronous formats. Isomorphic.
import { checkFormatSync } from './formats';
import {
  AWS_ID_TYPES,
  isListType,
  isRequired,
  itemType,
  PARAMETER_VALUE_LIMIT,
  splitList,
  type AwsIdType,
  type ParamRule,
  type ParamSpec,
} from './spec';

const anchored = (pattern: string) => new RegExp(`^(?:${pattern})$`, 'u');
const utf8Bytes = (value: string) => new TextEncoder().encode(value).length;

function checkItem(spec: ParamSpec, item: string): string | undefined {
  const type = itemType(spec.type);
  if (type === 'Number') {
    if (!/^-?\d+(\.\d+)?$/.test(item)) return `${spec.label} must be a number.`;
    const n = Number(item);
    if (spec.minValue !== undefined && n < spec.minValue)
      return spec.constraintDescription ?? `${spec.label} must be at least ${spec.minValue}.`;
    if (spec.maxValue !== undefined && n > spec.maxValue)
      return spec.constraintDescription ?? `${spec.label} must be at most ${spec.maxValue}.`;
  }
  if (type in AWS_ID_TYPES) {
    const aws = AWS_ID_TYPES[type as AwsIdType];
    if (!new RegExp(aws.pattern).test(item)) return `${spec.label} must be a ${aws.noun} such as ${aws.example}; "${item}" is not.`;
  }
  return undefined;
}

/** Returns the first problem with `value` for `spec`, or undefined. Values are CloudFormation strings. */
export function checkValue(spec: ParamSpec, value: string): string | undefined {
  if (value === '' && isRequired(spec)) return `${spec.label} is required.`;
  if (utf8Bytes(value) > PARAMETER_VALUE_LIMIT)
    return `${spec.label} must be at most ${PARAMETER_VALUE_LIMIT.toLocaleString('en-US')} bytes, CloudFormation's limit for a parameter value.`;
  if (spec.allowedValues && !spec.allowedValues.includes(value))
    return spec.constraintDescription ?? `${spec.label} must be one of: ${spec.allowedValues.join(', ')}.`;
  if (spec.allowedPattern !== undefined && !anchored(spec.allowedPattern).test(value))
    return spec.constraintDescription ?? `${spec.label} must match the pattern ${spec.allowedPattern}.`;
  if (spec.minLength !== undefined && value.length < spec.minLength)
    return spec.constraintDescription ?? `${spec.label} must be at least ${spec.minLength} characters.`;
  if (spec.maxLength !== undefined && value.length > spec.maxLength)
    return spec.constraintDescription ?? `${spec.label} must be at most ${spec.maxLength} characters.`;

  if (isListType(spec.type)) {
    const items = splitList(value);
    if (value.trim() !== '' && items.length !== value.split(',').length) return `${spec.label} has an empty item; separate items with single commas.`;
    for (const item of items) {
      const problem = checkItem(spec, item);
      if (problem) return problem;
    }
    if (spec.minItems !== undefined && (items.length > 0 || isRequired(spec)) && items.length < spec.minItems)
      return `${spec.label} needs at least ${spec.minItems} items; ${items.length} given.`;
    if (spec.distinctItems && new Set(items).size !== items.length) return `${spec.label} lists the same item twice.`;
  } else if (value !== '') {
    const problem = checkItem(spec, value);
    if (problem) return problem;
  }
  return spec.format ? checkFormatSync(spec.format, value, spec.label) : undefined;
}

/** Returns the rule's message when `values` break it, else undefined. */
export function checkRule(rule: ParamRule, values: Record<string, string | undefined>): string | undefined {
  const when = values[rule.when.key] ?? '';
  if ('equals' in rule.when ? when !== rule.when.equals : when === '') return undefined;
  if (rule.unless && values[rule.unless.key] === rule.unless.equals) return undefined;
  const target = values[rule.then.key] ?? '';
  if ('notEmpty' in rule.then) return splitList(target).length > 0 ? undefined : rule.message;
  return rule.then.oneOf.includes(target) ? undefined : rule.message;
}
