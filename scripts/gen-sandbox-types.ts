// npx tsx scripts/gen-sandbox-types.ts (run from the repository root)
// Writes lib/sandbox/resources/types.json: for each resource type the sandbox models, its
// GetAtt attributes, and a compact property schema (required keys, replacement behaviour,
// nested shapes), taken from @aws-cdk/aws-service-spec so the runtime never loads the 15 MB DB.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { PropertyType, SpecDatabase } from '@aws-cdk/service-spec-types';
import { MODELLED_TYPES } from '../lib/sandbox/resources/modelled';

type Shape = string | { list: Shape } | { map: Shape } | { union: Shape[] };
interface PropSchema {
  shape: Shape;
  required?: true;
  replace?: 'yes' | 'maybe';
}
type Definition = Record<string, PropSchema>;

function generate(db: SpecDatabase) {
  const definitions: Record<string, Definition> = {};
  const types: Record<string, { attributes: Record<string, 'string' | 'list'>; properties: Definition; primaryIdentifier: string[] }> = {};

  const shapeOf = (type: PropertyType, prefix: string): Shape => {
    switch (type.type) {
      case 'string':
      case 'integer':
      case 'number':
      case 'boolean':
      case 'json':
      case 'date-time':
      case 'null':
      case 'tag':
        return type.type;
      case 'array':
        return { list: shapeOf(type.element, prefix) };
      case 'map':
        return { map: shapeOf(type.element, prefix) };
      case 'union':
        return { union: type.types.map((t) => shapeOf(t, prefix)) };
      case 'ref': {
        const definition = db.get('typeDefinition', type.reference.$ref);
        const key = `${prefix}.${definition.name}`;
        if (!definitions[key]) {
          definitions[key] = {};
          definitions[key] = propertiesOf(definition.properties, prefix);
        }
        return `#${key}`;
      }
      default:
        return 'json';
    }
  };

  const propertiesOf = (properties: Record<string, { type: PropertyType; required?: boolean; causesReplacement?: string }>, prefix: string) =>
    Object.fromEntries(
      Object.entries(properties).map(([name, p]) => {
        const schema: PropSchema = { shape: shapeOf(p.type, prefix) };
        if (p.required) schema.required = true;
        if (p.causesReplacement === 'yes' || p.causesReplacement === 'maybe') schema.replace = p.causesReplacement;
        return [name, schema];
      }),
    );

  for (const cfnType of MODELLED_TYPES) {
    const resource = db.lookup('resource', 'cloudFormationType', 'equals', cfnType).only();
    const attributes = Object.fromEntries(
      Object.entries(resource.attributes)
        .filter(([, a]) => a.type.type !== 'ref')
        .map(([name, a]) => [name, a.type.type === 'array' ? 'list' : 'string'] as const),
    );
    types[cfnType] = {
      attributes,
      properties: propertiesOf(resource.properties, cfnType),
      primaryIdentifier: resource.primaryIdentifier ?? [],
    };
  }
  return { types, definitions };
}

async function main() {
  const db = await loadAwsServiceSpec();
  const out = join(process.cwd(), 'lib/sandbox/resources/types.json');
  const data = generate(db);
  writeFileSync(out, `${JSON.stringify(data)}\n`);
  console.log(`${out}: ${Object.keys(data.types).length} types, ${Object.keys(data.definitions).length} nested definitions`);
}

void main();
