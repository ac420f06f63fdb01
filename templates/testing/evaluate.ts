// Test helper: the value CloudFormation would use once conditions are decided. Every Fn::If takes
// the branch its condition selects, and AWS::NoValue disappears from lists and objects.
const NO_VALUE = Symbol('NoValue');

function resolve(value: unknown, conditions: Readonly<Record<string, boolean>>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, conditions)).filter((item) => item !== NO_VALUE);
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown>;
  if (node.Ref === 'AWS::NoValue') return NO_VALUE;
  const args = node['Fn::If'];
  if (Array.isArray(args) && Object.keys(node).length === 1) {
    const name = String(args[0]);
    if (!(name in conditions)) throw new Error(`No outcome given for condition ${name}`);
    return resolve(conditions[name] ? args[1] : args[2], conditions);
  }
  const entries = Object.entries(node)
    .map(([key, child]) => [key, resolve(child, conditions)] as const)
    .filter(([, child]) => child !== NO_VALUE);
  return Object.fromEntries(entries);
}

export function withConditions<T>(value: T, conditions: Readonly<Record<string, boolean>>): T {
  const resolved = resolve(value, conditions);
  return (resolved === NO_VALUE ? undefined : resolved) as T;
}
