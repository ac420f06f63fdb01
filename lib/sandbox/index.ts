// The sandbox: a local AWS endpoint (CloudFormation, STS, Secrets Manager, EC2, ECS, ECR, RDS, S3,
// Service Quotas) with several accounts, that the official SDKs and the AWS CLI use unchanged.
// Server-only; embedded by the console when no AWS credentials exist, run standalone by
// `npm run sandbox`, and the target of deploy tests.
import 'server-only';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Directory } from './auth/directory';
import { DEFAULT_ACCOUNT_ID, DEFAULT_ROLES, SANDBOX_CREDENTIALS, type RoleConfig, type UserConfig } from './auth/identity';
import { Engine } from './cfn/engine';
import { Clock } from './core/clock';
import { Faults, type FaultController } from './core/faults';
import { Quotas, type QuotaController } from './core/quotas';
import { emptyState, StateFile } from './core/state';
import { Seeder, type SandboxAccount, type SeedController } from './seed';
import { createHandler } from './server';

export interface SandboxOptions {
  /** 0 = a free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Multiplies typical AWS durations; 0 = as fast as possible. Default 1 (real time). */
  timeScale?: number;
  /** Persist state (stacks, resources, exports, secrets, S3 objects) here; reload on start. */
  stateFile?: string;
  /** Enables the HTTP control API under /_sandbox/ when set. */
  controlToken?: string;
  /**
   * Configured roles (any account): `{ arn, externalId }` lets the role's own account in with that
   * ExternalId; `{ arn, trustPolicy }` follows the policy. Default: DEFAULT_ROLES.
   */
  roles?: readonly RoleConfig[];
  /** Accounts (users with fixed keys) besides the two built-in ones. */
  accounts?: readonly UserConfig[];
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:4566 — usable as AWS_ENDPOINT_URL for every client. */
  endpoint: string;
  /** Default region, us-east-1 (other regions work too). */
  region: string;
  /** The default account, whose user `credentials` are. */
  accountId: string;
  /** The built-in sandbox user of the default account. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Configured roles that name an ExternalId. */
  roles: readonly { arn: string; externalId: string }[];
  /** Every account with a user, and that user's access key id. */
  accounts(): SandboxAccount[];
  /** Seeds accounts, roles, networks, ECS clusters and ECR images (the control API does the same). */
  seed: SeedController;
  faults: FaultController;
  /** The account's service quotas (the Fargate On-Demand vCPU quota, L-3032A538). */
  quotas: QuotaController;
  /** Calls per "service.Action" since start, e.g. "cloudformation.DescribeStackEvents". */
  metrics(): Record<string, number>;
  setTimeScale(scale: number): void;
  close(): Promise<void>;
}

export type { FaultController, Quirks, ResourceFault, ThrottleRule } from './core/faults';
export type { QuotaController, QuotaSetting } from './core/quotas';
export type { Placement, SandboxAccount, SeedController } from './seed';
export type { RoleConfig, UserConfig } from './auth/identity';
export type { RoleSeed } from './auth/directory';
export type { ClusterSeed } from './services/ecs';
export type { ImageSeed, RepositorySeed, SeededRepository } from './services/ecr';
export type { SeededVpc, SubnetSeed, VpcSeed } from './services/network';
export { DEFAULT_ACCOUNT_ID, DEFAULT_ROLES, SECOND_ACCOUNT_CREDENTIALS, SECOND_ACCOUNT_ID } from './auth/identity';

export const SANDBOX_REGION = 'us-east-1';

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale >= 0)) throw new Error('timeScale must be 0 or more');
  const world = (options.stateFile && StateFile.load(options.stateFile)) || emptyState();
  // Checks the accounts and roles given before anything starts.
  const directory = new Directory(world, options.accounts ?? [], options.roles ?? DEFAULT_ROLES);
  const persistence = options.stateFile ? new StateFile(options.stateFile, () => world) : undefined;
  const clock = new Clock(timeScale);
  const faults = new Faults();
  const quotas = new Quotas();
  const changed = () => persistence?.schedule();
  let endpointHost = '';
  const engine = new Engine({ state: world, clock, faults, changed, endpointHost: () => endpointHost });
  const metrics = new Map<string, number>();
  const seed = new Seeder(world, directory, SANDBOX_REGION, changed);

  const server = createServer(
    createHandler({
      world,
      engine,
      clock,
      faults,
      quotas,
      directory,
      seed,
      controlToken: options.controlToken,
      defaultRegion: SANDBOX_REGION,
      metrics,
      endpointHost: () => endpointHost,
      changed,
    }),
  );
  server.keepAliveTimeout = 5000;
  const address = await listen(server, options.port ?? 0, host);
  const hostName = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  endpointHost = `${hostName}:${address.port}`;
  engine.resumeAll();

  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://${endpointHost}`,
    region: SANDBOX_REGION,
    accountId: DEFAULT_ACCOUNT_ID,
    credentials: { ...SANDBOX_CREDENTIALS },
    roles: directory.configuredRoles(),
    accounts: () => seed.accounts(),
    seed,
    faults,
    quotas,
    metrics: () => Object.fromEntries(metrics),
    setTimeScale(scale: number) {
      if (!(scale >= 0)) throw new Error('timeScale must be 0 or more');
      clock.scale = scale;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        clock.close();
        persistence?.flush();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
