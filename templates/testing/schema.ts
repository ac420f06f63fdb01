// Test helper: checks a template's resources against the official CloudFormation resource
// schemas from @aws-cdk/aws-service-spec. Types exist, property names and value types match
// (walking nested type definitions), required properties are present at every level.
import type { PropertyType, Resource as SpecResource, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types';
import type { Template } from '@/lib/cfn/template';

export interface Violation {
  path: string;
  message: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A single-key object whose key is Ref or Fn::*; accepted wherever a value is expected. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  const key = keys[0];
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::')) ? key : undefined;
}

const isNoValue = (value: unknown) => isPlainObject(value) && value.Ref === 'AWS::NoValue';
const isCustomType = (type: string) => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

export class SchemaChecker {
  private readonly resources = new Map<string, SpecResource | undefined>();

  constructor(private readonly db: SpecDatabase) {}

  resource(type: string): SpecResource | undefined {
    if (!this.resources.has(type)) {
      this.resources.set(type, this.db.lookup('resource', 'cloudFormationType', 'equals', type)[0]);
    }
    return this.resources.get(type);
  }

  /** GetAtt names of a type; undefined for custom resources, whose attributes are free-form. */
  attributes(type: string): string[] | undefined {
    if (isCustomType(type)) return undefined;
    return Object.keys(this.resource(type)?.attributes ?? {});
  }

  check(template: Template): Violation[] {
    const out: Violation[] = [];
    for (const [id, resource] of Object.entries(template.Resources)) {
      const path = `Resources.${id}`;
      const properties = resource.Properties ?? {};
      if (isCustomType(resource.Type)) {
        if (properties.ServiceToken === undefined) out.push({ path, message: 'custom resource without ServiceToken' });
        continue;
      }
      const spec = this.resource(resource.Type);
      if (!spec) {
        out.push({ path, message: `unknown resource type ${resource.Type}` });
        continue;
      }
      this.checkObject(properties, spec.properties, `${path}.Properties`, out);
    }
    return out;
  }

  private checkObject(value: Record<string, unknown>, properties: TypeDefinition['properties'], path: string, out: Violation[]) {
    for (const [name, property] of Object.entries(properties)) {
      if (property.required && value[name] === undefined) out.push({ path: `${path}.${name}`, message: 'required property is missing' });
    }
    for (const [name, child] of Object.entries(value)) {
      const property = properties[name];
      if (!property) {
        out.push({ path: `${path}.${name}`, message: 'unknown property' });
        continue;
      }
      const types = [property.type, ...(property.previousTypes ?? [])];
      const attempts = types.map((type) => {
        const problems: Violation[] = [];
        this.checkValue(child, type, `${path}.${name}`, problems);
        return problems;
      });
      if (!attempts.some((problems) => problems.length === 0)) out.push(...(attempts[0] ?? []));
    }
  }

  private checkValue(value: unknown, type: PropertyType, path: string, out: Violation[]): void {
    const intrinsic = intrinsicName(value);
    if (intrinsic === 'Fn::If') {
      const branches = (value as { 'Fn::If': unknown[] })['Fn::If'].slice(1);
      branches.filter((b) => !isNoValue(b)).forEach((b, i) => this.checkValue(b, type, `${path}.Fn::If[${i + 1}]`, out));
      return;
    }
    if (intrinsic) return;
    const fail = (expected: string): void => {
      out.push({ path, message: `expected ${expected}, got ${JSON.stringify(value)?.slice(0, 80)}` });
    };

    switch (type.type) {
      case 'string':
        if (typeof value !== 'string' && typeof value !== 'number') return fail('a string');
        if (type.allowedValues && !type.allowedValues.includes(String(value))) fail(`one of ${type.allowedValues.join(', ')}`);
        return;
      case 'date-time':
        return void (typeof value === 'string' || fail('a date-time string'));
      case 'integer':
        return void (Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)) || fail('an integer'));
      case 'number':
        return void (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) || fail('a number'));
      case 'boolean':
        return void (typeof value === 'boolean' || value === 'true' || value === 'false' || fail('a boolean'));
      case 'json':
        return void (isPlainObject(value) || Array.isArray(value) || typeof value === 'string' || fail('a JSON document'));
      case 'null':
        return void (value === null || fail('null'));
      case 'tag':
        if (!isPlainObject(value) || value.Key === undefined || value.Value === undefined) return fail('a {Key, Value} tag');
        return this.checkObject(value, { Key: { type: { type: 'string' } }, Value: { type: { type: 'string' } } }, path, out);
      case 'ref': {
        const definition = this.db.get('typeDefinition', type.reference.$ref);
        if (!isPlainObject(value)) return fail(`an object (${definition.name})`);
        return this.checkObject(value, definition.properties, path, out);
      }
      case 'array':
        if (!Array.isArray(value)) return fail('a list');
        return value.forEach((item, i) => {
          if (!isNoValue(item)) this.checkValue(item, type.element, `${path}[${i}]`, out);
        });
      case 'map':
        if (!isPlainObject(value)) return fail('a map');
        return Object.entries(value).forEach(([key, item]) => this.checkValue(item, type.element, `${path}.${key}`, out));
      case 'union': {
        const ok = type.types.some((member) => {
          const problems: Violation[] = [];
          this.checkValue(value, member, path, problems);
          return problems.length === 0;
        });
        return void (ok || fail(`one of ${type.types.map((t) => t.type).join(' | ')}`));
      }
      default:
        return fail(`a supported type (spec type ${(type as { type: string }).type})`);
    }
  }
}
