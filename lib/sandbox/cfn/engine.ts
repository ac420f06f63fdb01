// The deployment engine: walks a stack's resources in dependency order with CloudFormation's
// parallelism, emitting the events CloudFormation emits, with typical per-type durations
// scaled by the clock. All progress lives in the stack record, so a restart resumes it.
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../core/clock';
import type { Faults } from '../core/faults';
import { uuid } from '../core/ids';
import { regionState, stackAccount, type RegionState, type SandboxState } from '../core/state';
import { applyCreate, applyDelete, applyUpdate, prepare, releaseName, ResourceFailure, type ProvisionContext } from '../resources/provision';
import { attributesFor, customAttribute, seconds, typeInfo, type TypeInfo } from '../resources/registry';
import { evaluate, intrinsicName, isUnknown, templateError, type AttrValue } from './intrinsics';
import { clone, deepEqual, isObject, type Json, type JsonObject } from './json';
import type { ChangeSetRecord, Operation, OutputState, Phase, ResourceState, StackRecord, StackSnapshot, TaskAction, TaskState } from './model';
import {
  STACK_TYPE,
  childSettled,
  childStackId,
  childSucceeded,
  embeddedFailure,
  errorMessage,
  nestedAttributes,
  nestedDeployment,
  nestedPropertyProblems,
  nestedStackName,
  nestedStackRecord,
  nestedTags,
  stackPath,
} from './nested';
import { missingAwsIds } from './parameters';
import { UPDATABLE } from './request';
import { activeResources, buildScope, conditionValues, missingExport } from './scope';
import { loadTemplate, resourceDependencies, type Template } from './template';

export interface EngineHost {
  readonly state: SandboxState;
  readonly clock: Clock;
  readonly faults: Faults;
  changed(): void;
  /** Host[:port] of the endpoint, so nested stacks' TemplateURLs may point at it. */
  endpointHost(): string;
}

/** What a child stack's update gets from its parent. */
type UpdateInputs = Omit<StackSnapshot, 'resources' | 'outputs' | 'imports'> & { roleArn?: string; notificationArns?: string[] };
const FORWARD: Phase[] = ['CREATE', 'UPDATE'];
const RETAINED = new Set(['Retain', 'RetainExceptOnCreate']);
const KEEP_DELETED = 200;
/** How often a held fault looks again at the stack it waits for, and at whether it is still there (real milliseconds). */
const FAULT_POLL_MS = 20;

const listOf = (ids: Iterable<string>) => `[${[...ids].sort().join(', ')}]`;
const andList = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/** The kind of resource operation an injected failure names, for a task's action. */
const faultOperation = (action: TaskAction) => (action === 'create' ? 'create' : action === 'update' || action === 'revert' ? 'update' : 'delete');

/** A little deterministic spread (±10%) so parallel resources do not finish in lockstep. */
function jittered(base: number, key: string): number {
  let hash = 0;
  for (const c of key) hash = (hash * 33 + c.charCodeAt(0)) >>> 0;
  return base * (0.9 + (hash % 21) / 100);
}

export class Engine {
  private readonly driving = new Set<string>();
  /** Wakes a stack's walk early (cancellation) instead of waiting for the next task to finish. */
  private readonly wakers = new Map<string, () => void>();
  /** Parents waiting on a nested stack: woken by each of its events. */
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(private readonly host: EngineHost) {}

  // ---------------------------------------------------------------- events

  private emit(stack: StackRecord, e: { logicalId: string; physicalId: string; type: string; status: string; reason?: string }) {
    // The stack's own events have plain ids; its resources' (nested stacks' included) name the resource.
    const stackLevel = e.type === STACK_TYPE && e.physicalId === stack.stackId;
    stack.events.push({
      seq: stack.events.length,
      eventId: stackLevel ? uuid() : `${e.logicalId}-${e.status}-${uuid()}`,
      logicalId: e.logicalId,
      physicalId: e.physicalId,
      resourceType: e.type,
      status: e.status,
      reason: e.reason,
      timestamp: this.host.clock.now(),
      clientRequestToken: stack.operation?.token,
    });
    this.host.changed();
    const watching = this.watchers.get(stack.stackId);
    if (watching) {
      this.watchers.delete(stack.stackId);
      for (const wake of watching) wake();
    }
  }

  /** Resolves at the next event of a stack (or when the sandbox closes). */
  private nextEvent(stackId: string): Promise<void> {
    return Promise.race([
      new Promise<void>((resolve) => {
        const watching = this.watchers.get(stackId) ?? new Set();
        watching.add(resolve);
        this.watchers.set(stackId, watching);
      }),
      this.host.clock.whenClosed,
    ]);
  }

  stackEvent(stack: StackRecord, status: string, reason?: string) {
    stack.status = status;
    stack.reason = reason;
    this.emit(stack, { logicalId: stack.stackName, physicalId: stack.stackId, type: STACK_TYPE, status, reason });
  }

  private resourceEvent(stack: StackRecord, resource: ResourceState, status: string, reason?: string, physicalId = resource.physicalId ?? '') {
    if (physicalId === resource.physicalId || physicalId === '') {
      resource.status = status;
      resource.reason = reason;
      resource.updatedAt = this.host.clock.now();
    }
    this.emit(stack, { logicalId: resource.logicalId, physicalId, type: resource.type, status, reason });
  }

  // ---------------------------------------------------------------- helpers

  private region(stack: StackRecord): RegionState {
    return regionState(this.host.state, stackAccount(stack), stack.region);
  }

  private stackById(stack: StackRecord, stackId: string | undefined): StackRecord | undefined {
    return stackId === undefined ? undefined : this.region(stack).stacks.find((s) => s.stackId === stackId);
  }

  /** The names a fault may give a stack: its own, or its path from the root (`root/Child`). */
  private faultNames(stack: StackRecord): string[] {
    return stack.parentId ? [stack.stackName, stackPath(stack, (id) => this.stackById(stack, id))] : [stack.stackName];
  }

  private identity(stack: StackRecord) {
    return { stackName: stack.stackName, stackId: stack.stackId, region: stack.region, account: stackAccount(stack), notificationArns: stack.notificationArns };
  }

  /** The live scope of a stack: resources resolve to what has been created so far. */
  scopeFor(stack: StackRecord, template: Template, values: Record<string, string>) {
    const r = this.region(stack);
    return buildScope(template, values, this.identity(stack), r, {
      isResource: (id) => id in template.resources,
      ref: (id) => {
        const resource = stack.resources[id];
        if (!resource?.physicalId) throw templateError(`resource ${id} has no physical id yet`);
        return resource.physicalId;
      },
      attr: (id, attribute) => {
        const resource = stack.resources[id];
        if (!resource?.physicalId) throw templateError(`resource ${id} has no physical id yet`);
        if (!(attribute in resource.attributes) && typeInfo(resource.type)?.custom) {
          resource.attributes[attribute] = customAttribute(this.naming(stack, id, resource.properties), resource.physicalId, attribute);
        }
        const value = resource.attributes[attribute];
        if (value === undefined) throw templateError(`resource ${id} does not support attribute type ${attribute} in Fn::GetAtt`);
        return value;
      },
    });
  }

  private naming(stack: StackRecord, logicalId: string, properties: JsonObject) {
    const r = this.region(stack);
    return {
      region: stack.region,
      account: stackAccount(stack),
      stackName: stack.stackName,
      logicalId,
      properties,
      nextRevision: (family: string) => (r.taskDefinitionRevisions[family] = (r.taskDefinitionRevisions[family] ?? 0) + 1),
    };
  }

  private provision(stack: StackRecord, logicalId: string, info: TypeInfo, properties: JsonObject): ProvisionContext {
    return { ...this.naming(stack, logicalId, properties), world: this.host.state, r: this.region(stack), stackId: stack.stackId, info };
  }

  private newOperation(kind: Operation['kind'], phase: Phase, token: string | undefined, onFailure: Operation['onFailure']): Operation {
    return { kind, phase, token, onFailure, tasks: {}, replaced: {}, created: [], touched: [], rolledBack: {} };
  }

  /** Names every ImportValue in the active part of a template resolves to (those knowable up front). */
  importsOf(stack: StackRecord, template: Template, values: Record<string, string>): string[] {
    const scope = this.scopeFor(stack, template, values);
    const conditions = conditionValues(template, scope);
    const names = new Set<string>();
    const walk = (node: Json) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!isObject(node)) return;
      const fn = intrinsicName(node);
      if (fn === 'Fn::If' && Array.isArray(node[fn])) {
        const [cond, yes, no] = node[fn] as Json[];
        return walk(conditions[String(cond)] ? yes! : no!);
      }
      if (fn === 'Fn::ImportValue') {
        try {
          const name = evaluate(node[fn]!, scope);
          if (typeof name === 'string') names.add(name);
        } catch {
          // A name built from a resource attribute is only known at run time.
        }
        return;
      }
      Object.values(node).forEach(walk);
    };
    for (const id of activeResources(template, conditions)) walk(template.resources[id]!.Properties);
    for (const output of Object.values(template.outputs)) {
      if (output.Condition === undefined || conditions[output.Condition]) walk(output.Value);
    }
    return [...names];
  }

  private precheck(stack: StackRecord, template: Template, values: Record<string, string>): string | undefined {
    const r = this.region(stack);
    const ids = missingAwsIds(template, values, r, stack.region);
    if (ids) return ids;
    const missing = this.importsOf(stack, template, values).find((name) => !r.exports[name]);
    return missing ? missingExport(missing).message : undefined;
  }

  private forwardTasks(stack: StackRecord, template: Template, values: Record<string, string>, action: (id: string) => TaskAction) {
    const scope = this.scopeFor(stack, template, values);
    const conditions = conditionValues(template, scope);
    const active = activeResources(template, conditions);
    const set = new Set(active);
    const tasks: Record<string, TaskState> = {};
    for (const id of active) {
      const deps = resourceDependencies(template, id, (c) => conditions[c] === true).filter((d) => set.has(d));
      tasks[id] = { state: 'pending', deps, action: action(id) };
    }
    return tasks;
  }

  /** Delete tasks in reverse dependency order: a resource goes after everything that needs it. */
  private deleteTasks(records: Record<string, ResourceState>, action: TaskAction): Record<string, TaskState> {
    const ids = Object.keys(records);
    const tasks: Record<string, TaskState> = {};
    for (const id of ids) {
      tasks[id] = { state: 'pending', deps: ids.filter((other) => other !== id && records[other]!.dependsOn.includes(id)), action };
    }
    return tasks;
  }

  // ---------------------------------------------------------------- operations

  beginCreate(stack: StackRecord, token: string | undefined, onFailure: Operation['onFailure']) {
    stack.failure = undefined;
    stack.operation = this.newOperation('CREATE', 'CREATE', token, onFailure);
    this.stackEvent(stack, 'CREATE_IN_PROGRESS', 'User Initiated');
    const template = loadTemplate(stack.templateBody);
    stack.imports = this.importsOf(stack, template, stack.parameters);
    const failure = this.precheck(stack, template, stack.parameters);
    if (failure) stack.operation.failureReason = failure;
    else stack.operation.tasks = this.forwardTasks(stack, template, stack.parameters, () => 'create');
    void this.drive(stack);
  }

  /** `awaitParent`: a nested stack updated by its parent stops before its cleanup until the parent settles. */
  beginUpdate(stack: StackRecord, next: UpdateInputs, token?: string, awaitParent = false) {
    stack.failure = undefined;
    const previous: StackSnapshot = {
      templateBody: stack.templateBody,
      parameters: stack.parameters,
      resources: clone(stack.resources),
      outputs: stack.outputs,
      imports: stack.imports,
      description: stack.description,
      capabilities: stack.capabilities,
      tags: stack.tags,
    };
    const op = this.newOperation('UPDATE', 'UPDATE', token, 'ROLLBACK');
    op.previous = previous;
    if (awaitParent) op.awaitParent = true;
    stack.operation = op;
    stack.templateBody = next.templateBody;
    stack.parameters = next.parameters;
    stack.description = next.description;
    stack.capabilities = next.capabilities;
    stack.tags = next.tags;
    if (next.roleArn !== undefined) stack.roleArn = next.roleArn;
    if (next.notificationArns) stack.notificationArns = next.notificationArns;
    stack.updatedAt = this.host.clock.now();
    this.stackEvent(stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
    const template = loadTemplate(stack.templateBody);
    stack.imports = [...new Set([...previous.imports, ...this.importsOf(stack, template, stack.parameters)])];
    const failure = this.precheck(stack, template, stack.parameters);
    if (failure) op.failureReason = failure;
    else {
      op.tasks = this.forwardTasks(stack, template, stack.parameters, (id) =>
        stack.resources[id] && stack.resources[id]!.status !== 'DELETE_COMPLETE' ? 'update' : 'create',
      );
    }
    void this.drive(stack);
  }

  /** Starts deleting; an export still imported elsewhere refuses the delete, leaving the stack as it was. */
  beginDelete(stack: StackRecord, token: string | undefined, retain: string[]) {
    if (stack.status === 'CREATE_IN_PROGRESS' && stack.operation?.phase === 'CREATE') {
      stack.operation.cancelRequested = true;
      stack.operation.deleteAfterCancel = true;
      this.wakers.get(stack.stackId)?.();
      return;
    }
    const op = this.newOperation('DELETE', 'DELETE', token, 'ROLLBACK');
    op.retain = retain;
    stack.failure = undefined;
    stack.operation = op;
    const before = stack.status;
    this.stackEvent(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    const inUse = this.exportsInUse(stack, stack.outputs.map((o) => o.exportName).filter((n): n is string => !!n));
    if (inUse) {
      // CloudFormation refuses without touching anything: the stack keeps its status, with the reason.
      stack.failure = { status: before, reason: inUse };
      this.stackEvent(stack, before, inUse);
      stack.operation = undefined;
      return;
    }
    op.tasks = this.deleteTasks(this.liveResources(stack), 'delete');
    void this.drive(stack);
  }

  cancelUpdate(stack: StackRecord) {
    if (stack.operation) stack.operation.cancelRequested = true;
    this.wakers.get(stack.stackId)?.();
  }

  continueRollback(stack: StackRecord, skip: string[], token?: string) {
    const op = stack.operation!;
    op.halted = false;
    op.token = token ?? op.token;
    this.stackEvent(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'User Initiated');
    for (const [id, task] of Object.entries(op.tasks)) {
      if (task.state !== 'failed') continue;
      if (skip.includes(id)) {
        task.state = 'skipped';
        const resource = stack.resources[id];
        if (resource) this.resourceEvent(stack, resource, 'UPDATE_COMPLETE', 'Resource skipped during UpdateRollback');
      } else {
        task.state = 'pending';
        task.failure = undefined;
      }
    }
    void this.drive(stack);
  }

  resumeAll() {
    for (const account of Object.values(this.host.state.accounts)) {
      for (const r of Object.values(account.regions)) {
        for (const stack of r.stacks) if (stack.operation && !stack.operation.halted && !stack.operation.parked) void this.drive(stack);
      }
    }
  }

  /** The parent finished: a parked nested stack runs its cleanup. */
  private releaseParked(stack: StackRecord) {
    const op = stack.operation;
    if (!op?.parked) return;
    op.parked = false;
    void this.drive(stack);
  }

  /** The parent rolls back: a parked nested stack rolls its finished update back too. */
  private rollbackParked(stack: StackRecord) {
    const op = stack.operation;
    if (!op?.parked) return;
    op.parked = false;
    op.awaitParent = false;
    // The update published its outputs' exports when it finished; the rollback puts the previous ones back.
    const r = this.region(stack);
    for (const [name, entry] of Object.entries(r.exports)) if (entry.stackId === stack.stackId) delete r.exports[name];
    for (const output of op.previous!.outputs) if (output.exportName) r.exports[output.exportName] = { stackId: stack.stackId, value: output.value };
    this.startUpdateRollback(stack, op, 'Rollback requested by user.');
    void this.drive(stack);
  }

  /** A parent gives up on a nested stack's create or update (a sibling failed): the child cancels too. */
  private cancelChild(child: StackRecord | undefined) {
    const op = child?.operation;
    if (!child || !op || !FORWARD.includes(op.phase) || op.cancelRequested) return;
    op.cancelRequested = true;
    this.wakers.get(child.stackId)?.();
  }

  private liveResources(stack: StackRecord): Record<string, ResourceState> {
    return Object.fromEntries(
      Object.entries(stack.resources).filter(([, r]) => r.status !== 'DELETE_COMPLETE' && r.status !== 'DELETE_SKIPPED'),
    );
  }

  /** "Export X cannot be deleted as it is in use by Y" when another live stack imports one of `names`. */
  private exportsInUse(stack: StackRecord, names: string[]): string | undefined {
    for (const name of names) {
      const importers = this.importers(stack, name);
      if (importers.length) return `Export ${name} cannot be deleted as it is in use by ${andList(importers)}`;
    }
    return undefined;
  }

  private importers(stack: StackRecord, exportName: string): string[] {
    return this.region(stack)
      .stacks.filter((s) => s.stackId !== stack.stackId && !s.deletedAt && s.imports.includes(exportName))
      .map((s) => s.stackName);
  }

  // ---------------------------------------------------------------- the walk

  private async drive(stack: StackRecord) {
    if (this.driving.has(stack.stackId)) return;
    this.driving.add(stack.stackId);
    try {
      while (stack.operation && !stack.operation.halted && !stack.operation.parked && !this.host.clock.isClosed) {
        const op = stack.operation;
        const failed = await this.runPhase(stack, op);
        if (this.host.clock.isClosed) return;
        this.advance(stack, op, failed);
      }
    } catch (error) {
      // An engine bug must not leave the stack spinning forever.
      this.stackEvent(stack, stack.operation?.kind === 'DELETE' ? 'DELETE_FAILED' : stack.status.replace(/_IN_PROGRESS$/, '_FAILED'), `Internal sandbox error: ${(error as Error).message}`);
      stack.operation = undefined;
    } finally {
      this.driving.delete(stack.stackId);
    }
  }

  private async runPhase(stack: StackRecord, op: Operation): Promise<string[]> {
    const forward = FORWARD.includes(op.phase);
    const inflight = new Map<string, Promise<string>>();
    let aborted = false;
    const satisfied = (dep: string) => {
      const t = op.tasks[dep];
      return !t || t.state === 'done' || t.state === 'skipped';
    };
    for (const [id, task] of Object.entries(op.tasks)) {
      if (task.state === 'running') inflight.set(id, this.waitTask(stack, op, id, task));
    }
    for (;;) {
      if (this.host.clock.isClosed) return [];
      if (forward && op.cancelRequested && !aborted) {
        aborted = true;
        this.cancelRunning(stack, op, inflight);
      }
      if (!aborted) {
        for (const [id, task] of Object.entries(op.tasks)) {
          if (task.state !== 'pending' || !task.deps.every(satisfied)) continue;
          this.startTask(stack, op, id, task);
          if ((task.state as TaskState['state']) === 'running') inflight.set(id, this.waitTask(stack, op, id, task));
        }
      }
      if (inflight.size === 0) break;
      const woken = new Promise<string>((resolve) => this.wakers.set(stack.stackId, () => resolve('')));
      const id = await Promise.race([...inflight.values(), woken]);
      this.wakers.delete(stack.stackId);
      if (id === '') continue;
      inflight.delete(id);
      if (op.tasks[id]?.state === 'failed' && forward && !aborted) {
        aborted = true;
        this.cancelRunning(stack, op, inflight);
      }
    }
    return Object.entries(op.tasks)
      .filter(([, t]) => t.state === 'failed' || t.state === 'cancelled')
      .map(([id]) => id);
  }

  private cancelRunning(stack: StackRecord, op: Operation, inflight: Map<string, Promise<string>>) {
    for (const id of [...inflight.keys()]) {
      const task = op.tasks[id]!;
      if (task.state !== 'running') continue;
      task.state = 'cancelled';
      inflight.delete(id);
      if (task.child !== undefined) this.cancelChild(this.stackById(stack, task.child));
      const resource = stack.resources[id];
      if (!resource) continue;
      const creating = task.action === 'create' || task.next?.replacement;
      if (task.next && task.action === 'create') resource.physicalId = task.next.physicalId;
      this.resourceEvent(stack, resource, creating && task.action === 'create' ? 'CREATE_FAILED' : 'UPDATE_FAILED', creating && task.action === 'create' ? 'Resource creation cancelled' : 'Resource update cancelled');
    }
  }

  private async waitTask(stack: StackRecord, op: Operation, id: string, task: TaskState): Promise<string> {
    if (task.child !== undefined) await this.waitChild(stack, op, task);
    else await this.host.clock.until(() => this.host.clock.endOf(task.startedAt ?? 0, task.seconds ?? 0));
    await this.heldByFault(stack, op, id, task);
    if (task.state === 'running' && stack.operation === op && !this.host.clock.isClosed) this.finishTask(stack, op, id, task);
    return id;
  }

  /** An injected failure that waits for another stack to be in progress holds the task until then. */
  private async heldByFault(stack: StackRecord, op: Operation, id: string, task: TaskState) {
    const action = task.action;
    if (action === undefined || action === 'settle' || task.failure !== undefined) return;
    const operation = faultOperation(action);
    for (;;) {
      const awaited = this.host.faults.awaitedStack(this.faultNames(stack), id, operation);
      if (!awaited || task.state !== 'running' || stack.operation !== op || this.host.clock.isClosed) return;
      const other = this.region(stack).stacks.find((s) => s.stackName === awaited && !s.deletedAt);
      if (other?.status.endsWith('_IN_PROGRESS')) return;
      // Woken by that stack's events, and by the poll too: a fault cleared meanwhile lets the task finish.
      await Promise.race([...(other ? [this.nextEvent(other.stackId)] : []), delay(FAULT_POLL_MS), this.host.clock.whenClosed]);
    }
  }

  /** A nested stack's task lasts until the child gets where the task needs it (its events wake the parent). */
  private async waitChild(stack: StackRecord, op: Operation, task: TaskState) {
    while (task.state === 'running' && stack.operation === op && !this.host.clock.isClosed) {
      const child = this.stackById(stack, task.child);
      if (!child || this.advanceChild(child, task, op.token)) return;
      await this.nextEvent(child.stackId);
    }
  }

  /**
   * Starts what the child must do for this task once it can (a delete waits for the child's own
   * rollback to end), and says whether the task may finish.
   */
  private advanceChild(child: StackRecord, task: TaskState, token: string | undefined): boolean {
    const action = task.action!;
    if (action === 'create' || action === 'update') return childSettled(child, action);
    const busy = child.operation !== undefined && !child.operation.halted && !child.operation.parked;
    if (!task.childStarted) {
      if (action === 'settle' || action === 'revert') {
        if (child.operation?.parked) {
          task.childStarted = true;
          if (action === 'settle') this.releaseParked(child);
          else this.rollbackParked(child);
          return false;
        }
        // ContinueUpdateRollback on a parent continues its nested stacks' rollbacks too.
        if (action === 'revert' && child.operation?.halted) {
          task.childStarted = true;
          this.continueRollback(child, [], token);
          return false;
        }
        if (busy) return false;
        task.childStarted = true;
        return true;
      }
      if (busy) return false;
      task.childStarted = true;
      if (child.deletedAt || child.status === 'DELETE_COMPLETE') return true;
      this.beginDelete(child, token, []);
      return !child.operation;
    }
    return !busy && !child.operation?.parked;
  }

  /** Typical seconds for an operation on a type, with a little per-resource spread. */
  private seconds(info: TypeInfo | undefined, kind: 'create' | 'update' | 'delete', properties: JsonObject, key: string): number {
    const base = info ? (kind === 'create' ? seconds(info.create, properties, 5) : seconds(info[kind], properties, seconds(info.create, properties, 5))) : 1;
    return jittered(base, key);
  }

  private run(task: TaskState, seconds: number) {
    task.state = 'running';
    task.startedAt = this.host.clock.now();
    task.seconds = seconds;
  }

  private failSoon(task: TaskState, reason: string) {
    task.failure = reason;
    task.child = undefined;
    task.childStarted = undefined;
    this.run(task, 1);
  }

  private startTask(stack: StackRecord, op: Operation, id: string, task: TaskState) {
    switch (task.action) {
      case 'create':
        return this.startCreate(stack, op, id, task);
      case 'update':
        return this.startUpdate(stack, op, id, task);
      case 'revert':
        return this.startRevert(stack, op, id, task);
      case 'settle': {
        const child = this.stackById(stack, task.child);
        if (!child) return void (task.state = 'done');
        return this.runChild(task, child, false);
      }
      default:
        return this.startDelete(stack, op, id, task);
    }
  }

  private startCreate(stack: StackRecord, op: Operation, id: string, task: TaskState) {
    const template = loadTemplate(stack.templateBody);
    const decl = template.resources[id]!;
    const info = typeInfo(decl.Type)!;
    const resource: ResourceState = {
      logicalId: id,
      type: decl.Type,
      status: 'CREATE_IN_PROGRESS',
      updatedAt: this.host.clock.now(),
      properties: {},
      attributes: {},
      deletionPolicy: decl.DeletionPolicy,
      updateReplacePolicy: decl.UpdateReplacePolicy,
      dependsOn: task.deps,
    };
    stack.resources[id] = resource;
    if (op.kind === 'UPDATE') op.created.push(id);
    this.resourceEvent(stack, resource, 'CREATE_IN_PROGRESS');
    if (decl.Type === STACK_TYPE) return this.startNestedCreate(stack, op, id, task, template);
    let properties: JsonObject;
    let physicalId: string;
    try {
      properties = this.resolveProperties(stack, template, decl.Properties);
      resource.properties = properties;
      const ctx = this.provision(stack, id, info, properties);
      prepare(ctx, undefined);
      physicalId = info.physicalId(ctx);
      prepare(ctx, physicalId);
      task.next = { physicalId, properties, attributes: attributesFor(info, ctx, physicalId), replacement: false };
    } catch (error) {
      return this.failSoon(task, (error as Error).message);
    }
    resource.physicalId = physicalId;
    if (info.initiated !== false) this.resourceEvent(stack, resource, 'CREATE_IN_PROGRESS', 'Resource creation Initiated');
    this.run(task, this.seconds(info, 'create', properties, `${stack.stackName}/${id}/create`));
  }

  /** Creates the child stack (a real stack of its own) and waits for it. */
  private startNestedCreate(stack: StackRecord, op: Operation, id: string, task: TaskState, template: Template) {
    const resource = stack.resources[id]!;
    const r = this.region(stack);
    const planned = this.plannedChild(stack, id);
    let child: StackRecord;
    try {
      const properties = this.resolveProperties(stack, template, template.resources[id]!.Properties);
      resource.properties = properties;
      const problems = nestedPropertyProblems(properties);
      if (problems.length) throw new ResourceFailure(`Properties validation failed for resource ${id} with message: ${problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`}`);
      // A nested change set made the child already (REVIEW_IN_PROGRESS): it becomes that stack.
      const stackName = planned?.child?.stackName ?? nestedStackName(stack.stackName, id);
      const stackId = planned?.child?.stackId ?? childStackId(stack, stackName);
      const deployment = nestedDeployment(this.host.state, r, this.host.endpointHost(), stack, properties, { stackName, stackId }, planned?.changeSet.templateBody);
      child = nestedStackRecord(stack, id, stackId, stackName, deployment, properties, this.host.clock.now());
      task.next = { physicalId: stackId, properties, attributes: {}, replacement: false };
    } catch (error) {
      return this.failSoon(task, errorMessage(error));
    }
    if (planned?.child) {
      Object.assign(planned.child, { ...child, createdAt: planned.child.createdAt, events: planned.child.events, tokens: planned.child.tokens });
      child = planned.child;
    } else r.stacks.push(child);
    child.changeSetId = planned?.changeSet.changeSetId;
    resource.physicalId = child.stackId;
    this.resourceEvent(stack, resource, 'CREATE_IN_PROGRESS', 'Resource creation Initiated');
    this.runChild(task, child, true);
    this.beginCreate(child, op.token, op.onFailure === 'DO_NOTHING' ? 'DO_NOTHING' : 'ROLLBACK');
  }

  /** Runs the child's update whether or not its template or parameters changed, as CloudFormation does. */
  private startNestedUpdate(stack: StackRecord, op: Operation, id: string, task: TaskState, properties: JsonObject) {
    const current = stack.resources[id]!;
    op.touched.push(id);
    this.resourceEvent(stack, current, 'UPDATE_IN_PROGRESS');
    const child = this.stackById(stack, current.physicalId);
    try {
      if (!child || child.deletedAt) throw new ResourceFailure(`Stack with id ${current.physicalId ?? id} does not exist`);
      const problems = nestedPropertyProblems(properties);
      if (problems.length) throw new ResourceFailure(`Properties validation failed for resource ${id} with message: ${problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`}`);
      if (!UPDATABLE.has(child.status)) throw new ResourceFailure(`Stack:${child.stackId} is in ${child.status} state and can not be updated.`);
      const planned = this.plannedChild(stack, id);
      const deployment = nestedDeployment(this.host.state, this.region(stack), this.host.endpointHost(), stack, properties, child, planned?.changeSet.templateBody);
      child.changeSetId = planned?.changeSet.changeSetId;
      task.next = { physicalId: child.stackId, properties, attributes: { ...current.attributes }, replacement: false };
      this.runChild(task, child, true);
      this.beginUpdate(
        child,
        {
          templateBody: deployment.templateBody,
          parameters: deployment.values,
          capabilities: [...stack.capabilities],
          tags: nestedTags(stack, properties),
          description: deployment.template.description,
          notificationArns: Array.isArray(properties.NotificationARNs) ? properties.NotificationARNs.map(String) : undefined,
        },
        op.token,
        true,
      );
    } catch (error) {
      return this.failSoon(task, errorMessage(error));
    }
  }

  /** The nested change set (and the REVIEW_IN_PROGRESS child it made) the executing change set holds for a resource. */
  private plannedChild(stack: StackRecord, id: string): { changeSet: ChangeSetRecord; child?: StackRecord } | undefined {
    const r = this.region(stack);
    const parentSet = stack.changeSetId ? r.changeSets[stack.changeSetId] : undefined;
    if (parentSet?.executionStatus !== 'EXECUTE_IN_PROGRESS') return undefined;
    const change = parentSet.changes.find((c) => c.logicalId === id);
    const changeSet = change?.changeSetId ? r.changeSets[change.changeSetId] : undefined;
    if (!changeSet) return undefined;
    const child = r.stacks.find((s) => s.stackId === change!.nestedStackId && s.status === 'REVIEW_IN_PROGRESS');
    return { changeSet, child };
  }

  private runChild(task: TaskState, child: StackRecord, started: boolean) {
    task.state = 'running';
    task.startedAt = this.host.clock.now();
    task.seconds = 0;
    task.child = child.stackId;
    task.childStarted = started;
  }

  private resolveProperties(stack: StackRecord, template: Template, properties: JsonObject): JsonObject {
    const value = evaluate(properties, this.scopeFor(stack, template, stack.parameters));
    if (isUnknown(value) || !isObject(value)) throw templateError('resource properties must be an object');
    return value;
  }

  private startUpdate(stack: StackRecord, op: Operation, id: string, task: TaskState) {
    const template = loadTemplate(stack.templateBody);
    const decl = template.resources[id]!;
    const info = typeInfo(decl.Type)!;
    const current = stack.resources[id]!;
    let properties: JsonObject;
    try {
      properties = this.resolveProperties(stack, template, decl.Properties);
    } catch (error) {
      op.touched.push(id);
      this.resourceEvent(stack, current, 'UPDATE_IN_PROGRESS');
      return this.failSoon(task, (error as Error).message);
    }
    current.deletionPolicy = decl.DeletionPolicy;
    current.updateReplacePolicy = decl.UpdateReplacePolicy;
    if (decl.Type === STACK_TYPE && current.type === STACK_TYPE) return this.startNestedUpdate(stack, op, id, task, properties);
    const typeChanged = current.type !== decl.Type;
    const changed = [...new Set([...Object.keys(properties), ...Object.keys(current.properties)])].filter(
      (key) => !deepEqual(properties[key], current.properties[key]),
    );
    if (!typeChanged && changed.length === 0) {
      current.dependsOn = task.deps;
      task.state = 'done';
      return;
    }
    const replacement =
      typeChanged || changed.some((key) => (info.custom ? key === 'ServiceToken' : info.properties[key]?.replace === 'yes'));
    this.resourceEvent(stack, current, 'UPDATE_IN_PROGRESS');
    if (replacement) op.replaced[id] = clone(current);
    else op.touched.push(id);
    try {
      if (replacement && info.nameProperty && properties[info.nameProperty] !== undefined) {
        throw new ResourceFailure(
          `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${String(properties[info.nameProperty])} and update the stack again.`,
        );
      }
      const ctx = this.provision(stack, id, info, properties);
      prepare(ctx, replacement ? undefined : current.physicalId);
      if (replacement) {
        const physicalId = info.physicalId(ctx);
        prepare(ctx, physicalId);
        task.next = { physicalId, properties, attributes: attributesFor(info, ctx, physicalId), replacement: true };
      } else {
        const attributes = { ...current.attributes };
        if (info.type === 'AWS::SSM::Parameter') Object.assign(attributes, { Value: String(properties.Value ?? ''), Type: String(properties.Type ?? 'String') });
        task.next = { physicalId: current.physicalId ?? '', properties, attributes, replacement: false };
      }
    } catch (error) {
      return this.failSoon(task, (error as Error).message);
    }
    current.type = decl.Type;
    if (replacement) {
      this.resourceEvent(stack, current, 'UPDATE_IN_PROGRESS', 'Requested update requires the creation of a new physical resource; hence creating one.', task.next.physicalId);
    }
    this.run(task, this.seconds(info, replacement ? 'create' : 'update', properties, `${stack.stackName}/${id}/update`));
  }

  private startRevert(stack: StackRecord, op: Operation, id: string, task: TaskState) {
    const previous = op.previous!.resources[id]!;
    const current = stack.resources[id] ?? clone(previous);
    stack.resources[id] = current;
    this.resourceEvent(stack, current, 'UPDATE_IN_PROGRESS');
    const info = typeInfo(previous.type);
    const restoring = id in op.replaced;
    task.next = { physicalId: previous.physicalId ?? '', properties: previous.properties, attributes: previous.attributes, replacement: restoring };
    const child = previous.type === STACK_TYPE && !restoring ? this.stackById(stack, previous.physicalId) : undefined;
    if (child) return this.runChild(task, child, false);
    this.run(task, restoring ? 1 : this.seconds(info, 'update', previous.properties, `${stack.stackName}/${id}/revert`));
  }

  private startDelete(stack: StackRecord, op: Operation, id: string, task: TaskState) {
    const record = this.deletionTarget(stack, op, id, task.action!);
    if (!record) {
      task.state = 'done';
      return;
    }
    const physicalId = record.physicalId ?? '';
    const retained =
      (task.action === 'delete' && op.phase === 'DELETE' && (RETAINED.has(record.deletionPolicy ?? '') || (op.retain ?? []).includes(id))) ||
      (task.action === 'delete-old' && record.updateReplacePolicy === 'Retain');
    if (retained) {
      this.emitFor(stack, record, 'DELETE_SKIPPED', undefined, physicalId);
      task.state = 'done';
      return;
    }
    this.emitFor(stack, record, 'DELETE_IN_PROGRESS', undefined, physicalId);
    const child = record.type === STACK_TYPE ? this.stackById(stack, physicalId) : undefined;
    if (child) return this.runChild(task, child, false);
    this.run(task, physicalId ? this.seconds(typeInfo(record.type), 'delete', record.properties, `${stack.stackName}/${id}/delete`) : 1);
  }

  /** The physical resource a delete-like task removes. */
  private deletionTarget(stack: StackRecord, op: Operation, id: string, action: TaskAction): ResourceState | undefined {
    if (action === 'delete-old') return op.replaced[id];
    if (action === 'delete-new') return op.rolledBack[id] ?? (op.created.includes(id) ? stack.resources[id] : undefined);
    return stack.resources[id];
  }

  /** Events for a record that may be the current resource or a replaced physical one. */
  private emitFor(stack: StackRecord, record: ResourceState, status: string, reason: string | undefined, physicalId: string) {
    const current = stack.resources[record.logicalId];
    if (current && current.physicalId === physicalId) this.resourceEvent(stack, current, status, reason);
    else {
      record.status = status;
      this.emit(stack, { logicalId: record.logicalId, physicalId, type: record.type, status, reason });
    }
  }

  private finishTask(stack: StackRecord, op: Operation, id: string, task: TaskState) {
    const action = task.action!;
    if (action === 'settle') {
      task.state = 'done';
      return;
    }
    const operation = faultOperation(action);
    let reason = task.failure ?? this.host.faults.takeResourceFailure(this.faultNames(stack), id, operation);
    if (reason === undefined && task.child !== undefined) {
      const child = this.stackById(stack, task.child);
      if (!childSucceeded(child, action)) reason = child ? embeddedFailure(child, action) : `Stack with id ${task.child} does not exist`;
      else if (child && task.next && (action === 'create' || action === 'update')) task.next.attributes = nestedAttributes(child);
    }
    if (reason !== undefined) return this.failTask(stack, op, id, task, reason);
    try {
      if (action === 'create') this.completeCreate(stack, id, task);
      else if (action === 'update') this.completeUpdate(stack, id, task);
      else if (action === 'revert') this.completeRevert(stack, op, id, task);
      else this.completeDelete(stack, op, id, task);
    } catch (error) {
      if (!(error instanceof ResourceFailure)) throw error;
      return this.failTask(stack, op, id, task, error.message);
    }
    task.state = 'done';
  }

  private failTask(stack: StackRecord, op: Operation, id: string, task: TaskState, reason: string) {
    task.state = 'failed';
    task.failure = reason;
    const action = task.action!;
    if (action === 'create' || action === 'update' || action === 'revert') {
      const resource = stack.resources[id]!;
      if (action === 'create' && task.next) {
        resource.physicalId = task.next.physicalId;
        releaseName(this.provision(stack, id, typeInfo(resource.type)!, task.next.properties), task.next.physicalId);
      }
      this.resourceEvent(stack, resource, action === 'create' ? 'CREATE_FAILED' : 'UPDATE_FAILED', reason);
      return;
    }
    const record = this.deletionTarget(stack, op, id, action);
    if (record) this.emitFor(stack, record, 'DELETE_FAILED', reason, record.physicalId ?? '');
  }

  private completeCreate(stack: StackRecord, id: string, task: TaskState) {
    const resource = stack.resources[id]!;
    const next = task.next!;
    applyCreate(this.provision(stack, id, typeInfo(resource.type)!, next.properties), next.physicalId, next.attributes);
    resource.physicalId = next.physicalId;
    resource.attributes = next.attributes;
    resource.properties = next.properties;
    this.resourceEvent(stack, resource, 'CREATE_COMPLETE');
  }

  private completeUpdate(stack: StackRecord, id: string, task: TaskState) {
    const resource = stack.resources[id]!;
    const next = task.next!;
    const ctx = this.provision(stack, id, typeInfo(resource.type)!, next.properties);
    if (next.replacement) applyCreate(ctx, next.physicalId, next.attributes);
    else applyUpdate(ctx, resource);
    resource.physicalId = next.physicalId;
    resource.attributes = next.attributes;
    resource.properties = next.properties;
    resource.dependsOn = task.deps;
    this.resourceEvent(stack, resource, 'UPDATE_COMPLETE');
  }

  private completeRevert(stack: StackRecord, op: Operation, id: string, task: TaskState) {
    const previous = op.previous!.resources[id]!;
    const current = stack.resources[id]!;
    const next = task.next!;
    if (next.replacement) {
      // The replacement (if it got created) is put aside for the rollback cleanup.
      if (current.physicalId && current.physicalId !== previous.physicalId) op.rolledBack[id] = clone(current);
    } else {
      applyUpdate(this.provision(stack, id, typeInfo(previous.type)!, previous.properties), current);
    }
    Object.assign(current, clone(previous), { status: current.status, updatedAt: current.updatedAt });
    this.resourceEvent(stack, current, 'UPDATE_COMPLETE');
  }

  private completeDelete(stack: StackRecord, op: Operation, id: string, task: TaskState) {
    const record = this.deletionTarget(stack, op, id, task.action!)!;
    const info = typeInfo(record.type);
    if (record.physicalId && info) applyDelete(this.provision(stack, id, info, record.properties), record);
    this.emitFor(stack, record, 'DELETE_COMPLETE', undefined, record.physicalId ?? '');
  }

  // ---------------------------------------------------------------- phase transitions

  private advance(stack: StackRecord, op: Operation, failed: string[]) {
    switch (op.phase) {
      case 'CREATE':
        return this.afterCreate(stack, op, failed);
      case 'ROLLBACK':
        if (failed.length) return this.fail(stack, 'ROLLBACK_FAILED', `The following resource(s) failed to delete: ${listOf(failed)}. `);
        if (op.onFailure === 'DELETE') {
          op.phase = 'DELETE_AFTER_ROLLBACK';
          op.tasks = {};
          this.stackEvent(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
          return;
        }
        return this.finish(stack, 'ROLLBACK_COMPLETE');
      case 'DELETE':
      case 'DELETE_AFTER_ROLLBACK':
        if (failed.length) return this.fail(stack, 'DELETE_FAILED', `The following resource(s) failed to delete: ${listOf(failed)}. `);
        return this.finishDelete(stack);
      case 'UPDATE':
        return this.afterUpdate(stack, op, failed);
      case 'UPDATE_CLEANUP':
        for (const id of Object.keys(op.tasks)) {
          if (op.tasks[id]!.action === 'delete' && stack.resources[id]?.status === 'DELETE_COMPLETE') delete stack.resources[id];
        }
        return this.finish(stack, 'UPDATE_COMPLETE');
      case 'UPDATE_ROLLBACK':
        if (failed.length) {
          op.halted = true;
          stack.failure = { status: 'UPDATE_ROLLBACK_FAILED', reason: `The following resource(s) failed to update: ${listOf(failed)}. ` };
          this.stackEvent(stack, 'UPDATE_ROLLBACK_FAILED', stack.failure.reason);
          this.settleChangeSet(stack, false);
          return;
        }
        op.phase = 'UPDATE_ROLLBACK_CLEANUP';
        op.tasks = this.deleteTasks(
          Object.fromEntries([
            ...op.created.filter((id) => stack.resources[id]).map((id) => [id, stack.resources[id]!] as const),
            ...Object.entries(op.rolledBack),
          ]),
          'delete-new',
        );
        this.stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
        return;
      case 'UPDATE_ROLLBACK_CLEANUP':
        for (const id of op.created) if (!(id in op.previous!.resources)) delete stack.resources[id];
        stack.imports = op.previous!.imports;
        return this.finish(stack, 'UPDATE_ROLLBACK_COMPLETE');
    }
  }

  private afterCreate(stack: StackRecord, op: Operation, failed: string[]) {
    if (op.deleteAfterCancel) {
      op.phase = 'DELETE';
      op.kind = 'DELETE';
      op.tasks = this.deleteTasks(this.liveResources(stack), 'delete');
      this.stackEvent(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
      return;
    }
    let reason =
      op.failureReason ?? (failed.length ? `The following resource(s) failed to create: ${listOf(failed)}.` : op.cancelRequested ? 'Resource creation cancelled' : undefined);
    if (!reason) {
      try {
        this.publishOutputs(stack);
        return this.finish(stack, 'CREATE_COMPLETE');
      } catch (error) {
        reason = (error as Error).message;
      }
    }
    stack.failure = { status: 'CREATE_FAILED', reason };
    if (op.onFailure === 'DO_NOTHING') return this.finish(stack, 'CREATE_FAILED', reason);
    op.phase = 'ROLLBACK';
    op.tasks = this.deleteTasks(
      Object.fromEntries(Object.entries(stack.resources).filter(([, r]) => r.status !== 'DELETE_COMPLETE')),
      'delete',
    );
    this.stackEvent(stack, 'ROLLBACK_IN_PROGRESS', `${reason} Rollback requested by user.`);
  }

  private afterUpdate(stack: StackRecord, op: Operation, failed: string[]) {
    const failedCreates = failed.filter((id) => op.tasks[id]?.action === 'create');
    const failedUpdates = failed.filter((id) => op.tasks[id]?.action !== 'create');
    const failures =
      (failedCreates.length ? `The following resource(s) failed to create: ${listOf(failedCreates)}. ` : '') +
      (failedUpdates.length ? `The following resource(s) failed to update: ${listOf(failedUpdates)}. ` : '');
    let reason = op.failureReason ?? (op.cancelRequested ? 'Resource update cancelled' : failures || undefined);
    if (!reason) {
      try {
        this.publishOutputs(stack);
      } catch (error) {
        reason = (error as Error).message;
      }
    }
    if (!reason) {
      const template = loadTemplate(stack.templateBody);
      const active = new Set(Object.keys(op.tasks));
      const removed = Object.fromEntries(Object.entries(this.liveResources(stack)).filter(([id]) => !active.has(id) || !template.resources[id]));
      const removedTasks = this.deleteTasks({ ...removed, ...op.replaced }, 'delete');
      for (const id of Object.keys(op.replaced)) if (!(id in removed)) removedTasks[id]!.action = 'delete-old';
      // Nested stacks this update updated wait, parked, for this stack's cleanup to run theirs.
      for (const [id, task] of Object.entries(op.tasks)) {
        const resource = stack.resources[id];
        if (task.action === 'update' && resource?.type === STACK_TYPE && !(id in removedTasks)) {
          removedTasks[id] = { state: 'pending', deps: [], action: 'settle', child: resource.physicalId };
        }
      }
      op.phase = 'UPDATE_CLEANUP';
      op.tasks = removedTasks;
      stack.imports = this.importsOf(stack, template, stack.parameters);
      if (op.awaitParent) op.parked = true;
      this.stackEvent(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      return;
    }
    this.startUpdateRollback(stack, op, reason);
  }

  /** Puts the previous template back and reverts what the update touched, then cleans up what it made. */
  private startUpdateRollback(stack: StackRecord, op: Operation, reason: string) {
    const previous = op.previous!;
    stack.templateBody = previous.templateBody;
    stack.parameters = previous.parameters;
    stack.description = previous.description;
    stack.capabilities = previous.capabilities;
    stack.tags = previous.tags;
    stack.outputs = previous.outputs;
    stack.updatedAt = this.host.clock.now();
    const toRevert = [...new Set([...op.touched, ...Object.keys(op.replaced)])].filter((id) => id in previous.resources);
    const revertSet = new Set(toRevert);
    op.phase = 'UPDATE_ROLLBACK';
    op.tasks = Object.fromEntries(
      toRevert.map((id) => [id, { state: 'pending', deps: previous.resources[id]!.dependsOn.filter((d) => revertSet.has(d)), action: 'revert' } as TaskState]),
    );
    stack.failure = { status: 'UPDATE_ROLLBACK_IN_PROGRESS', reason };
    this.stackEvent(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
  }

  /** Ends an operation in a failed status, remembering why for a parent's "Embedded stack" reason. */
  private fail(stack: StackRecord, status: string, reason: string) {
    stack.failure = { status, reason };
    this.finish(stack, status, reason);
  }

  private finish(stack: StackRecord, status: string, reason?: string) {
    this.stackEvent(stack, status, reason);
    stack.operation = undefined;
    this.settleChangeSet(stack, status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE');
  }

  private settleChangeSet(stack: StackRecord, succeeded: boolean) {
    const r = this.region(stack);
    const changeSet = stack.changeSetId ? r.changeSets[stack.changeSetId] : undefined;
    if (!changeSet || changeSet.executionStatus !== 'EXECUTE_IN_PROGRESS') return;
    changeSet.executionStatus = succeeded ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
    if (changeSet.rootChangeSetId) return;
    // The root settled: nested change sets whose stacks never ran settle with it, and children
    // made for review that were never created go away.
    for (const nested of Object.values(r.changeSets)) {
      if (nested.rootChangeSetId !== changeSet.changeSetId || nested.executionStatus !== 'EXECUTE_IN_PROGRESS') continue;
      const child = r.stacks.find((s) => s.stackId === nested.stackId);
      if (child?.status === 'REVIEW_IN_PROGRESS') {
        child.status = 'DELETE_COMPLETE';
        child.deletedAt = this.host.clock.now();
      }
      if (child?.operation) continue;
      nested.executionStatus = succeeded ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
    }
  }

  private finishDelete(stack: StackRecord) {
    const r = this.region(stack);
    for (const [name, entry] of Object.entries(r.exports)) if (entry.stackId === stack.stackId) delete r.exports[name];
    stack.imports = [];
    stack.deletedAt = this.host.clock.now();
    this.finish(stack, 'DELETE_COMPLETE');
    // CloudFormation forgets deleted stacks after 90 days; the sandbox keeps the latest ones.
    const deleted = r.stacks.filter((s) => s.deletedAt);
    if (deleted.length > KEEP_DELETED) {
      const forget = new Set(deleted.slice(0, deleted.length - KEEP_DELETED));
      r.stacks = r.stacks.filter((s) => !forget.has(s));
    }
  }

  /** Evaluates the outputs, checks the exports against other stacks, and publishes them. */
  private publishOutputs(stack: StackRecord) {
    const template = loadTemplate(stack.templateBody);
    const scope = this.scopeFor(stack, template, stack.parameters);
    const conditions = conditionValues(template, scope);
    const outputs: OutputState[] = [];
    for (const [key, decl] of Object.entries(template.outputs)) {
      if (decl.Condition !== undefined && !conditions[decl.Condition]) continue;
      const value = evaluate(decl.Value, scope);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw templateError(`Output ${key} must evaluate to a String, not a ${Array.isArray(value) ? 'List' : 'Map'}`);
      }
      const exportName = decl.ExportName === undefined ? undefined : evaluate(decl.ExportName, scope);
      if (exportName !== undefined && typeof exportName !== 'string') throw templateError(`Output ${key} has an Export Name that is not a String`);
      outputs.push({ key, value: String(value), description: decl.Description, exportName });
    }
    const r = this.region(stack);
    const mine = new Map(Object.entries(r.exports).filter(([, e]) => e.stackId === stack.stackId));
    const next = new Map(outputs.filter((o) => o.exportName).map((o) => [o.exportName!, o.value]));
    for (const [name, value] of next) {
      if (value.trim() === '') throw new Error(`Exported values must not be empty or whitespace-only. Output with export name ${name} has an empty value.`);
      const holder = r.exports[name];
      if (holder && holder.stackId !== stack.stackId) {
        const other = r.stacks.find((s) => s.stackId === holder.stackId)?.stackName ?? holder.stackId;
        throw new Error(`Export with name ${name} is already exported by stack ${other}`);
      }
    }
    for (const [name, entry] of mine) {
      const importers = this.importers(stack, name);
      if (!importers.length) continue;
      if (!next.has(name)) throw new Error(`Export ${name} cannot be deleted as it is in use by ${andList(importers)}`);
      if (next.get(name) !== entry.value) throw new Error(`Cannot update export ${name} as it is in use by ${andList(importers)}`);
    }
    for (const name of mine.keys()) delete r.exports[name];
    if (this.host.faults.quirks.stacksWithoutOutputs?.includes(stack.stackName)) {
      stack.outputs = [];
      return;
    }
    for (const [name, value] of next) r.exports[name] = { stackId: stack.stackId, value };
    stack.outputs = outputs;
  }
}

export type { AttrValue };
