// What a test or a console puts into the sandbox's world before it calls AWS: accounts and their
// users, roles with trust policies, a customer's VPC, ECS cluster and ECR images, each in an account
// and region. The same calls serve the in-process API (`sandbox.seed`) and the /_sandbox/ control
// API; everything seeded is kept in the state (and its file) like what stacks create.
import type { Directory, RoleSeed } from './auth/directory';
import { DEFAULT_ACCOUNT_ID, type UserConfig } from './auth/identity';
import { regionState, type SandboxState } from './core/state';
import { removeRepository, seedRepository, type RepositorySeed, type SeededRepository } from './services/ecr';
import { removeCluster, seedCluster, type ClusterSeed } from './services/ecs';
import { seedVpc, type SeededVpc, type VpcSeed } from './services/network';

/** Where a seeded thing goes: the default account and region unless given. */
export interface Placement {
  accountId?: string;
  region?: string;
}

export interface SandboxAccount {
  accountId: string;
  userArn: string;
  accessKeyId: string;
}

export interface SeedController {
  /** Every account with a user (the two built-in ones first) and its user's access key id. */
  accounts(): SandboxAccount[];
  /** Adds an account with its user, or another user of an account; the same user again is a no-op. */
  account(user: UserConfig): void;
  /** Adds or replaces a role in the account its ARN names, with the trust policy AssumeRole evaluates. */
  role(seed: RoleSeed): void;
  removeRole(arn: string): boolean;
  /** Adds a VPC with subnets and route tables (public subnets route to an internet gateway). */
  network(seed: VpcSeed & Placement): SeededVpc;
  /** Adds or replaces a customer-owned ECS cluster. */
  cluster(seed: ClusterSeed & Placement): { clusterArn: string };
  removeCluster(target: { clusterName: string } & Placement): boolean;
  /** Creates an ECR repository if needed and pushes image tags/digests into it. */
  repository(seed: RepositorySeed & Placement): SeededRepository;
  removeRepository(target: { repositoryName: string } & Placement): boolean;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export class Seeder implements SeedController {
  constructor(
    private readonly world: SandboxState,
    private readonly directory: Directory,
    private readonly defaultRegion: string,
    private readonly changed: () => void,
  ) {}

  private place(placement: Placement) {
    const account = placement.accountId ?? DEFAULT_ACCOUNT_ID;
    const region = placement.region ?? this.defaultRegion;
    if (typeof account !== 'string' || !ACCOUNT.test(account)) throw new Error('accountId must be 12 digits');
    if (typeof region !== 'string' || !REGION.test(region)) throw new Error('region must be a region name such as us-east-1');
    return { account, region, r: regionState(this.world, account, region) };
  }

  private done<T>(value: T): T {
    this.changed();
    return value;
  }

  accounts() {
    return this.directory.accounts();
  }

  account(user: UserConfig) {
    this.directory.addUser(user);
    this.changed();
  }

  role(seed: RoleSeed) {
    this.directory.putRole(seed);
    this.changed();
  }

  removeRole(arn: string) {
    return this.done(this.directory.deleteRole(arn));
  }

  network(seed: VpcSeed & Placement) {
    const { r, region } = this.place(seed);
    return this.done(seedVpc(r, region, seed));
  }

  cluster(seed: ClusterSeed & Placement) {
    const { r, region, account } = this.place(seed);
    return this.done(seedCluster(r, region, account, seed));
  }

  removeCluster(target: { clusterName: string } & Placement) {
    return this.done(removeCluster(this.place(target).r, target.clusterName));
  }

  repository(seed: RepositorySeed & Placement) {
    const { r, region, account } = this.place(seed);
    return this.done(seedRepository(r, region, account, seed));
  }

  removeRepository(target: { repositoryName: string } & Placement) {
    return this.done(removeRepository(this.place(target).r, target.repositoryName));
  }
}
