// The sandbox's whole world as one JSON-serialisable object: per account, its IAM names and
// seeded roles and, per region, stacks and change sets, exports, secrets, SSM parameters, EC2
// network, ECS clusters and ECR repositories; S3 buckets (one namespace for all accounts) and STS
// sessions. Persisted atomically to a file when asked, so a restart keeps everything.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_ACCOUNT_ID, type Session, type UserConfig } from '../auth/identity';
import type { ChangeSetRecord, StackRecord } from '../cfn/model';
import { seedNetwork, seedRouting } from '../services/network';
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
  /** The owning account; absent in state written before accounts existed (the default account). */
  account?: string;
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

export type { RouteTableState, SecurityGroupState, SubnetState, Tag, VpcState } from './network-state';

/** An ECS cluster the customer already has (seeded); stacks' clusters are read from their resources. */
export interface ClusterState {
  clusterName: string;
  status: 'ACTIVE' | 'PROVISIONING' | 'DEPROVISIONING' | 'FAILED' | 'INACTIVE';
  capacityProviders: string[];
  defaultCapacityProviderStrategy: { capacityProvider: string; weight: number; base: number }[];
  settings: { name: string; value: string }[];
  tags: { key: string; value: string }[];
  createdAt: number;
}

export interface ImageState {
  /** `sha256:<64 hex>`. */
  digest: string;
  tags: string[];
  sizeInBytes: number;
  pushedAt: number;
  manifestMediaType: string;
}

export interface RepositoryState {
  repositoryName: string;
  createdAt: number;
  /** Accounts a repository policy lets read it (DescribeImages with this registry's id). */
  sharedWithAccounts: string[];
  images: ImageState[];
}

/** A role seeded in an account, with the trust policy AssumeRole evaluates. */
export interface RoleState {
  arn: string;
  trustPolicy: unknown;
  createdAt: number;
}

export interface RegionState extends NetworkState {
  stacks: StackRecord[];
  changeSets: Record<string, ChangeSetRecord>;
  exports: Record<string, { stackId: string; value: string }>;
  secrets: Record<string, SecretState>;
  ssm: Record<string, { value: string; type: string; version: number }>;
  /** `<type>|<name>` → owning stack id, for names unique per region (log groups, queues…). */
  names: Record<string, string>;
  taskDefinitionRevisions: Record<string, number>;
  clusters: ClusterState[];
  repositories: RepositoryState[];
}

export interface AccountState {
  /** Names unique per account (IAM roles, policies, instance profiles). */
  globalNames: Record<string, string>;
  /** Roles seeded in process or over the control API, by name. */
  roles: Record<string, RoleState>;
  regions: Record<string, RegionState>;
}

export interface SandboxState {
  version: 2;
  /** Temporary credentials by access key id; each acts in its role's account. */
  sessions: Record<string, Session>;
  /** Bucket names are global across accounts, as on AWS. */
  buckets: Record<string, BucketState>;
  /** Users added at run time (accounts created over the control API), by access key id. */
  users: Record<string, UserConfig>;
  accounts: Record<string, AccountState>;
}

/** The shape written before accounts existed: one account's names and regions at the top. */
interface StateV1 {
  version: 1;
  sessions: Record<string, Session>;
  buckets: Record<string, BucketState>;
  globalNames: Record<string, string>;
  regions: Record<string, RegionState>;
}

/** The owner a seeded role or cluster takes in a name registry, where stacks' resources put `<stackId>|<logicalId>`. */
export const SEEDED_OWNER = 'sandbox:seeded';

/** A dictionary without a prototype: keys come from callers (names, tokens), and `__proto__` must be plain data. */
export const dict = <T>(from: Record<string, T> = {}): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, from);

export const emptyState = (): SandboxState => ({ version: 2, sessions: dict(), buckets: dict(), users: dict(), accounts: dict() });

/** A version-1 state is the default account's: its names and regions move under that account. */
function upgrade(state: StateV1 | SandboxState): SandboxState {
  if (state.version === 2) return state;
  const { sessions, buckets, globalNames, regions } = state;
  return { version: 2, sessions, buckets, users: dict(), accounts: { [DEFAULT_ACCOUNT_ID]: { globalNames, roles: dict(), regions } } };
}

/** Restores prototype-less dictionaries in a state read back from JSON, and fills what older files lack. */
function rehydrate(state: SandboxState): SandboxState {
  state.sessions = dict(state.sessions);
  state.buckets = dict(state.buckets);
  for (const bucket of Object.values(state.buckets)) bucket.objects = dict(bucket.objects);
  state.users = dict(state.users);
  state.accounts = dict(state.accounts);
  for (const [id, account] of Object.entries(state.accounts)) {
    account.globalNames = dict(account.globalNames);
    account.roles = dict(account.roles);
    account.regions = dict(account.regions);
    for (const [name, r] of Object.entries(account.regions)) {
      r.changeSets = dict(r.changeSets);
      r.exports = dict(r.exports);
      r.secrets = dict(r.secrets);
      r.ssm = dict(r.ssm);
      r.names = dict(r.names);
      r.taskDefinitionRevisions = dict(r.taskDefinitionRevisions);
      r.routeTables ??= seedRouting(id, name);
      r.clusters ??= [];
      r.repositories ??= [];
      for (const stack of r.stacks) stack.tokens = dict(stack.tokens);
    }
  }
  return state;
}

export function accountState(state: SandboxState, account: string): AccountState {
  let a = state.accounts[account];
  if (!a) {
    a = { globalNames: dict(), roles: dict(), regions: dict() };
    state.accounts[account] = a;
  }
  return a;
}

export function regionState(state: SandboxState, account: string, region: string): RegionState {
  const a = accountState(state, account);
  let r = a.regions[region];
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
      routeTables: [],
      taskDefinitionRevisions: dict(),
      clusters: [],
      repositories: [],
    };
    seedNetwork(r, account, region);
    a.regions[region] = r;
  }
  return r;
}

/** The account a stack lives in, from its ARN (`arn:aws:cloudformation:<region>:<account>:stack/…`). */
export const stackAccount = (stack: Pick<StackRecord, 'stackId'>): string => stack.stackId.split(':')[4] ?? DEFAULT_ACCOUNT_ID;

/** The account that owns a bucket. */
export const bucketAccount = (bucket: BucketState): string => bucket.account ?? DEFAULT_ACCOUNT_ID;

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
    const parsed = JSON.parse(text) as StateV1 | SandboxState;
    if (parsed.version !== 1 && parsed.version !== 2) throw new Error(`${path}: unsupported sandbox state version ${String((parsed as { version: unknown }).version)}`);
    return rehydrate(upgrade(parsed));
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
