// The sandbox's whole world as one JSON-serialisable object: stacks and change sets per
// region, exports, secrets, SSM parameters, EC2 network, S3 buckets and STS sessions.
// Persisted atomically to a file when asked, so a restart keeps everything.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Session } from '../auth/identity';
import type { ChangeSetRecord, StackRecord } from '../cfn/model';
import { seedNetwork } from '../services/network';
import type { NetworkState } from './network-state';

export interface ObjectState {
  /** Base64 of the bytes, so the state file stays JSON. */
  body: string;
  contentType?: string;
  etag: string;
  lastModified: number;
  metadata: Record<string, string>;
}

export interface BucketState {
  name: string;
  region: string;
  createdAt: number;
  objects: Record<string, ObjectState>;
  ownerStackId?: string;
}

export interface SecretState {
  arn: string;
  name: string;
  description?: string;
  secretString?: string;
  versionId: string;
  createdAt: number;
  updatedAt: number;
  ownerStackId?: string;
  /** Deleted with a recovery window: the secret (and its name) stays until `deletionDate`, unless restored. */
  deletedAt?: number;
  deletionDate?: number;
}

export type { SecurityGroupState, SubnetState, Tag, VpcState } from './network-state';

export interface RegionState extends NetworkState {
  stacks: StackRecord[];
  changeSets: Record<string, ChangeSetRecord>;
  exports: Record<string, { stackId: string; value: string }>;
  secrets: Record<string, SecretState>;
  ssm: Record<string, { value: string; type: string; version: number }>;
  /** `<type>|<name>` → owning stack id, for names unique per region (log groups, queues…). */
  names: Record<string, string>;
  taskDefinitionRevisions: Record<string, number>;
}

export interface SandboxState {
  version: 1;
  sessions: Record<string, Session>;
  buckets: Record<string, BucketState>;
  /** Names unique per account (IAM roles, policies, instance profiles). */
  globalNames: Record<string, string>;
  regions: Record<string, RegionState>;
}

/** A dictionary without a prototype: keys come from callers (names, tokens), and `__proto__` must be plain data. */
export const dict = <T>(from: Record<string, T> = {}): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, from);

export const emptyState = (): SandboxState => ({ version: 1, sessions: dict(), buckets: dict(), globalNames: dict(), regions: dict() });

/** Restores prototype-less dictionaries in a state read back from JSON. */
function rehydrate(state: SandboxState): SandboxState {
  state.sessions = dict(state.sessions);
  state.globalNames = dict(state.globalNames);
  state.buckets = dict(state.buckets);
  for (const bucket of Object.values(state.buckets)) bucket.objects = dict(bucket.objects);
  state.regions = dict(state.regions);
  for (const r of Object.values(state.regions)) {
    r.changeSets = dict(r.changeSets);
    r.exports = dict(r.exports);
    r.secrets = dict(r.secrets);
    r.ssm = dict(r.ssm);
    r.names = dict(r.names);
    r.taskDefinitionRevisions = dict(r.taskDefinitionRevisions);
    for (const stack of r.stacks) stack.tokens = dict(stack.tokens);
  }
  return state;
}

export function regionState(state: SandboxState, region: string): RegionState {
  let r = state.regions[region];
  if (!r) {
    r = {
      stacks: [],
      changeSets: dict(),
      exports: dict(),
      secrets: dict(),
      ssm: dict(),
      names: dict(),
      vpcs: [],
      subnets: [],
      securityGroups: [],
      taskDefinitionRevisions: dict(),
    };
    seedNetwork(r, region);
    state.regions[region] = r;
  }
  return r;
}

/** Debounced, atomic (write-then-rename) persistence of the state to one file. */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;
  constructor(
    readonly path: string,
    private readonly snapshot: () => SandboxState,
  ) {}

  static load(path: string): SandboxState | undefined {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = JSON.parse(text) as SandboxState;
    if (parsed.version !== 1) throw new Error(`${path}: unsupported sandbox state version ${String(parsed.version)}`);
    return rehydrate(parsed);
  }

  schedule() {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, 200);
    this.timer.unref();
  }

  flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.write();
  }

  private write() {
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.snapshot()));
    renameSync(temp, this.path);
  }
}
