// Injected failures: a resource operation that fails with a given reason (a number of times),
// throttling of a fraction of API calls, and quirks of other CloudFormation emulators. The fraction is applied deterministically (an
// accumulator, not a dice roll), so 0.5 throttles exactly every second matching call.
export interface ResourceFault {
  /** The stack's name or, inside nested stacks, its path of logical ids from the root: `root/Child/Grandchild`. */
  stackName?: string;
  logicalId: string;
  operation: 'create' | 'update' | 'delete';
  reason: string;
  times?: number;
  /**
   * A stack's name (in the same region): the failure waits until that stack is in progress, the
   * resource staying in progress meanwhile. So a journey can fail one stack while another runs,
   * without a slowed clock and the race it leaves.
   */
  whileInProgress?: string;
}

export interface ThrottleRule {
  fraction: number;
  durationMs?: number;
  actions?: string[];
}

/** Behaviours of other CloudFormation emulators that the console must stay truthful with. */
export interface Quirks {
  /** DescribeStackEvents reports only the stacks' own events, never a resource's. */
  stackEventsOnly?: boolean;
  /** Stacks of these names complete without outputs, so they export nothing. */
  stacksWithoutOutputs?: string[];
}

export interface FaultController {
  failResource(fault: ResourceFault): void;
  throttle(rule: ThrottleRule): void;
  /** Replaces the quirks in effect. */
  emulate(quirks: Quirks): void;
  clear(): void;
}

interface ActiveThrottle extends ThrottleRule {
  until?: number;
  credit: number;
}

export class Faults implements FaultController {
  private resources: (ResourceFault & { remaining: number })[] = [];
  private throttles: ActiveThrottle[] = [];
  quirks: Quirks = {};

  failResource(fault: ResourceFault) {
    if (!fault.logicalId || !['create', 'update', 'delete'].includes(fault.operation) || !fault.reason) {
      throw new Error('failResource needs logicalId, operation (create, update or delete) and reason');
    }
    if (fault.whileInProgress !== undefined && (typeof fault.whileInProgress !== 'string' || !fault.whileInProgress)) throw new Error('whileInProgress must be a stack name');
    this.resources.push({ ...fault, remaining: fault.times ?? 1 });
  }

  throttle(rule: ThrottleRule) {
    if (!(rule.fraction >= 0 && rule.fraction <= 1)) throw new Error('throttle fraction must be between 0 and 1');
    this.throttles.push({ ...rule, until: rule.durationMs === undefined ? undefined : Date.now() + rule.durationMs, credit: 0 });
  }

  emulate(quirks: Quirks) {
    const names = quirks.stacksWithoutOutputs;
    if (names !== undefined && !(Array.isArray(names) && names.every((n) => typeof n === 'string'))) throw new Error('stacksWithoutOutputs must be a list of stack names');
    if (quirks.stackEventsOnly !== undefined && typeof quirks.stackEventsOnly !== 'boolean') throw new Error('stackEventsOnly must be true or false');
    this.quirks = { ...(quirks.stackEventsOnly ? { stackEventsOnly: true } : {}), ...(names?.length ? { stacksWithoutOutputs: [...names] } : {}) };
  }

  clear() {
    this.resources = [];
    this.throttles = [];
    this.quirks = {};
  }

  /**
   * The injected failure reason for this resource operation, consuming one use. A stack answers to
   * several names: its own and, when nested, its path from the root (`root/ChildLogicalId`).
   */
  takeResourceFailure(stackNames: string | string[], logicalId: string, operation: 'create' | 'update' | 'delete'): string | undefined {
    const fault = this.resourceFault(stackNames, logicalId, operation);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.resources = this.resources.filter((f) => f !== fault);
    return fault.reason;
  }

  /** The stack this resource operation's failure waits for (see ResourceFault.whileInProgress), if any. */
  awaitedStack(stackNames: string | string[], logicalId: string, operation: 'create' | 'update' | 'delete'): string | undefined {
    return this.resourceFault(stackNames, logicalId, operation)?.whileInProgress;
  }

  private resourceFault(stackNames: string | string[], logicalId: string, operation: 'create' | 'update' | 'delete') {
    const names = typeof stackNames === 'string' ? [stackNames] : stackNames;
    return this.resources.find((f) => f.remaining > 0 && f.logicalId === logicalId && f.operation === operation && (f.stackName === undefined || names.includes(f.stackName)));
  }

  /** Whether this call (`service.Action`) is answered with a throttling error. */
  shouldThrottle(service: string, action: string): boolean {
    const now = Date.now();
    this.throttles = this.throttles.filter((t) => t.until === undefined || t.until > now);
    for (const rule of this.throttles) {
      if (rule.actions && !rule.actions.some((a) => a === action || a === `${service}.${action}`)) continue;
      rule.credit += rule.fraction;
      if (rule.credit >= 1 - 1e-9) {
        rule.credit -= 1;
        return true;
      }
    }
    return false;
  }
}
