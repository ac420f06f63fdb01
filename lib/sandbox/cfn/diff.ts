// The change set diff: Add/Modify/Remove per resource with Replacement, Scope and Details as
// CloudFormation reports them. Values only known once executed (new resources, a nested stack's
// outputs, a nested stack's parameters fed by them) travel as Unknown and make changes Dynamic.
import { stackAccount, type RegionState } from '../core/state';
import { typeInfo } from '../resources/registry';
import { collectReferences, evaluate, Unknown, type AttrValue, type Scope, type Value } from './intrinsics';
import { deepEqual, isObject, type Json } from './json';
import type { ResourceChangeRecord, StackRecord } from './model';
import { STACK_TYPE } from './nested';
import type { Deployment } from './request';
import { activeResources, buildScope, conditionValues, missingExport } from './scope';
import { loadTemplate, resourceDependencies, type Template } from './template';

function topologicalOrder(template: Template, ids: string[], conditions: Record<string, boolean>): string[] {
  const set = new Set(ids);
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    resourceDependencies(template, id, (c) => conditions[c] === true)
      .filter((d) => set.has(d))
      .forEach(visit);
    order.push(id);
  };
  ids.forEach(visit);
  return order;
}

export const containsUnknown = (v: unknown): Unknown | undefined => {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) for (const item of v) { const u = containsUnknown(item); if (u) return u; }
  if (isObject(v)) for (const item of Object.values(v)) { const u = containsUnknown(item); if (u) return u; }
  return undefined;
};

/** Evaluates like `evaluate`, but keeps going past unknown values inside objects and lists. */
function plan(expr: Json, scope: Scope): Value | Record<string, unknown> {
  if (isObject(expr) && Object.keys(expr).some((k) => !k.startsWith('Fn::') && k !== 'Ref')) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(expr)) {
      const v = plan(value, scope);
      if (typeof v !== 'symbol') out[key] = v;
    }
    return out;
  }
  return evaluate(expr, scope);
}

/** A nested stack's change always carries this when nothing else changed: its template may have. */
const AUTOMATIC: ResourceChangeRecord['details'][number] = {
  target: { attribute: 'Properties', requiresRecreation: 'Never' },
  evaluation: 'Dynamic',
  changeSource: 'Automatic',
};

export interface DiffOptions {
  /** Parameters whose values are only known at execution (a nested stack fed by a sibling's output). */
  unknownParams?: ReadonlySet<string>;
  /** Filled with the planned properties of each nested stack resource that is added or modified. */
  nested?: Map<string, Record<string, unknown>>;
}

export function computeChanges(
  r: RegionState,
  region: string,
  stack: StackRecord | undefined,
  identity: { stackName: string; stackId: string },
  deployment: Deployment,
  options: DiffOptions = {},
): ResourceChangeRecord[] {
  const { template, values } = deployment;
  const pending = new Set<string>();
  // A modified nested stack keeps its id, but its outputs are only known once it has run.
  const pendingOutputs = new Set<string>();
  const base = buildScope(
    template,
    values,
    { ...identity, region, account: stackAccount(identity), notificationArns: stack?.notificationArns ?? [] },
    r,
    {
      isResource: (id) => id in template.resources,
      ref: (id): AttrValue | Unknown => (pending.has(id) || !stack?.resources[id]?.physicalId ? new Unknown('ResourceReference', id) : stack.resources[id]!.physicalId!),
      attr: (id, attribute): AttrValue | Unknown => {
        const live = stack?.resources[id];
        if (pending.has(id) || pendingOutputs.has(id) || !live || !(attribute in live.attributes)) return new Unknown('ResourceAttribute', `${id}.${attribute}`);
        return live.attributes[attribute]!;
      },
    },
    (name) => {
      const entry = r.exports[name];
      if (!entry) throw missingExport(name);
      return entry.value;
    },
  );
  // Conditions see the stand-in values of unknown parameters; properties see them as unknown.
  const unknownParams = options.unknownParams ?? new Set<string>();
  const scope: Scope = { ...base, param: (name) => (unknownParams.has(name) ? new Unknown('ParameterReference', name) : base.param(name)) };
  const conditions = conditionValues(template, base);
  const active = activeResources(template, conditions);
  const order = topologicalOrder(template, active, conditions);
  const changes = new Map<string, ResourceChangeRecord>();
  const oldTemplate = stack ? loadTemplate(stack.templateBody) : undefined;
  const changedParams = new Set(Object.keys(values).filter((k) => !unknownParams.has(k) && stack?.parameters[k] !== values[k]));

  for (const id of order) {
    const decl = template.resources[id]!;
    const live = stack?.resources[id];
    const planned = plan(decl.Properties, scope);
    const nestedPlan = () => {
      if (decl.Type === STACK_TYPE && isObject(planned)) options.nested?.set(id, planned as Record<string, unknown>);
    };
    if (!live || live.status === 'DELETE_COMPLETE' || !live.physicalId) {
      pending.add(id);
      changes.set(id, { action: 'Add', logicalId: id, resourceType: decl.Type, scope: [], details: [] });
      nestedPlan();
      continue;
    }
    if (live.type !== decl.Type) {
      pending.add(id);
      changes.set(id, { action: 'Modify', logicalId: id, physicalId: live.physicalId, resourceType: decl.Type, replacement: 'True', scope: ['Properties'], details: [] });
      continue;
    }
    const info = typeInfo(decl.Type)!;
    const next = (isObject(planned) ? planned : {}) as Record<string, unknown>;
    const details: ResourceChangeRecord['details'] = [];
    const scopes = new Set<string>();
    for (const key of new Set([...Object.keys(next), ...Object.keys(live.properties)])) {
      const unknown = containsUnknown(next[key]);
      const staticChange = !unknown && !deepEqual(next[key], live.properties[key]);
      if (!unknown && !staticChange) continue;
      const replace = info.custom ? (key === 'ServiceToken' ? 'yes' : undefined) : info.properties[key]?.replace;
      const requiresRecreation: 'Always' | 'Conditionally' | 'Never' = replace === 'yes' ? 'Always' : replace === 'maybe' ? 'Conditionally' : 'Never';
      const attribute = key === 'Tags' ? 'Tags' : 'Properties';
      scopes.add(attribute);
      const target = attribute === 'Tags' ? { attribute, requiresRecreation } : { attribute, name: key, requiresRecreation };
      if (unknown) {
        details.push({ target, evaluation: 'Dynamic', changeSource: unknown.source, causingEntity: unknown.causingEntity });
        continue;
      }
      const rawNew = decl.Properties[key] ?? null;
      const rawOld = oldTemplate?.resources[id]?.Properties[key] ?? null;
      if (deepEqual(rawNew, rawOld)) {
        const param = [...collectReferences(rawNew).refs].find((ref) => changedParams.has(ref));
        details.push({ target, evaluation: 'Static', changeSource: param ? 'ParameterReference' : 'DirectModification', causingEntity: param });
      } else {
        details.push({ target, evaluation: 'Static', changeSource: 'DirectModification' });
      }
    }
    // CloudFormation always updates a nested stack with its parent: it cannot tell from here whether its template changed.
    if (decl.Type === STACK_TYPE) {
      if (!details.length) {
        details.push(AUTOMATIC);
        scopes.add('Properties');
      }
      pendingOutputs.add(id);
      nestedPlan();
    }
    if (!details.length) continue;
    const always = details.filter((d) => d.target.requiresRecreation === 'Always');
    const replacement = always.some((d) => d.evaluation === 'Static')
      ? 'True'
      : always.length || details.some((d) => d.target.requiresRecreation === 'Conditionally')
        ? 'Conditional'
        : 'False';
    if (replacement === 'True') pending.add(id);
    changes.set(id, { action: 'Modify', logicalId: id, physicalId: live.physicalId, resourceType: decl.Type, replacement, scope: [...scopes], details });
  }
  const ordered = Object.keys(template.resources).filter((id) => changes.has(id)).map((id) => changes.get(id)!);
  const activeSet = new Set(active);
  for (const [id, live] of Object.entries(stack?.resources ?? {})) {
    if (activeSet.has(id) || live.status === 'DELETE_COMPLETE') continue;
    ordered.push({ action: 'Remove', logicalId: id, physicalId: live.physicalId, resourceType: live.type, scope: [], details: [] });
  }
  return ordered;
}
