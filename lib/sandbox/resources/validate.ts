// Property validation against the generated schema, worded like CloudFormation's registry
// handlers: "#/ContainerDefinitions/0: required key [Image] not found".
import { isObject, type Json, type JsonObject } from '../cfn/json';
import { definitions, type PropSchema, type Shape } from './registry';

export function schemaProblems(properties: JsonObject, schema: Record<string, PropSchema>, custom: boolean): string[] {
  const problems: string[] = [];
  checkObject(properties, schema, '#', problems, custom);
  return problems;
}

function checkObject(value: JsonObject, schema: Record<string, PropSchema>, path: string, problems: string[], allowExtra: boolean) {
  for (const [key, prop] of Object.entries(schema)) {
    if (prop.required && (value[key] === undefined || value[key] === null)) problems.push(`${path}: required key [${key}] not found`);
  }
  for (const [key, child] of Object.entries(value)) {
    const prop = schema[key];
    if (!prop) {
      if (!allowExtra) problems.push(`${path}: extraneous key [${key}] is not permitted`);
      continue;
    }
    checkShape(child, prop.shape, `${path}/${key}`, problems);
  }
}

const typeName = (v: Json) => (Array.isArray(v) ? 'JSONArray' : isObject(v) ? 'JSONObject' : typeof v === 'string' ? 'String' : typeof v === 'number' ? 'Integer' : typeof v === 'boolean' ? 'Boolean' : 'Null');

function checkShape(value: Json, shape: Shape, path: string, problems: string[]) {
  if (value === null) return;
  if (typeof shape === 'string') {
    if (shape.startsWith('#')) {
      const definition = definitions[shape.slice(1)];
      if (!definition) return;
      if (!isObject(value)) return void problems.push(`${path}: expected type: JSONObject, found: ${typeName(value)}`);
      return checkObject(value, definition, path, problems, false);
    }
    switch (shape) {
      case 'string':
        if (Array.isArray(value) || isObject(value)) problems.push(`${path}: expected type: String, found: ${typeName(value)}`);
        return;
      case 'integer':
      case 'number':
        if (typeof value === 'number') return;
        if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return;
        problems.push(`${path}: expected type: Number, found: ${typeName(value)}`);
        return;
      case 'boolean':
        if (typeof value === 'boolean' || value === 'true' || value === 'false') return;
        problems.push(`${path}: expected type: Boolean, found: ${typeName(value)}`);
        return;
      case 'tag':
        if (!isObject(value) || value.Key === undefined || value.Value === undefined) problems.push(`${path}: expected a tag with Key and Value`);
        return;
      default:
        return;
    }
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return void problems.push(`${path}: expected type: JSONArray, found: ${typeName(value)}`);
    value.forEach((item, i) => checkShape(item, shape.list, `${path}/${i}`, problems));
    return;
  }
  if ('map' in shape) {
    if (!isObject(value)) return void problems.push(`${path}: expected type: JSONObject, found: ${typeName(value)}`);
    Object.entries(value).forEach(([k, v]) => checkShape(v, shape.map, `${path}/${k}`, problems));
    return;
  }
  const before = problems.length;
  for (const option of shape.union) {
    const attempt: string[] = [];
    checkShape(value, option, path, attempt);
    if (attempt.length === 0) return;
  }
  if (problems.length === before) problems.push(`${path}: value does not match any allowed type`);
}
