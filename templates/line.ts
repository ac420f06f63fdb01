// A release line: one layout of Lakerunner's stacks, with everything the generic code (plan, form,
// engine, discovery, cost) asks of it through the registry (templates/index.ts). The types, and
// the plain-data part client components receive (LineMeta). Isomorphic: no builders run here.
import type { Rule } from '@/lib/cost/model';
import type { ExposureRule } from '@/lib/params/exposure';
import type { Plan, PlanLine } from '@/lib/params/plan';
import type { SettingKeys } from '@/lib/params/settings';
import type { SizeId } from '@/lib/params/sizes';
import type { ReleaseManifest } from './release-manifest';
import { toMeta, type StackDefinition, type StackId } from './stack';

export type { LineId } from './stack';

/** One choice of the plan's network, in the line's words. */
export interface NetworkChoiceText {
  readonly label: string;
  readonly help: string;
}

/** What client components know of a line: plain data, safe to pass as props. */
export interface LineMeta extends PlanLine {
  /** e.g. "2025 layout". */
  readonly title: string;
  /** One sentence: what a deployment on this line is, and who it is for. */
  readonly summary: string;
  /** The release it installs, e.g. "lakerunner v1.2.1". */
  readonly release: string;
  /** The network choice ("new" creates the line's `new-network` stacks). */
  readonly network: { readonly new: NetworkChoiceText; readonly existing: NetworkChoiceText };
  /** What each size means for this line's services, and where its task counts are (a phrase). */
  readonly sizes: { readonly help: Readonly<Record<SizeId, string>>; readonly where: string };
  /** Load balancers whose internet-facing scheme without a certificate the forms warn about. */
  readonly exposure: readonly ExposureRule[];
}

/** A row of a deployment's access points, read from its stacks' outputs. */
export type AccessPoint =
  | { readonly kind: 'link'; readonly label: string; readonly url: string }
  | { readonly kind: 'code'; readonly label: string; readonly value: string }
  | { readonly kind: 'bucket'; readonly label: string; readonly bucket: string; readonly prefixes: readonly string[] }
  /** A sign-in whose password a deployer may reveal from Secrets Manager (never stored by the console). */
  | { readonly kind: 'login'; readonly label: string; readonly url: string; readonly user: string; readonly secretArn: string };

/** Outputs of a deployment's stacks, by stack id. */
export type OutputsById = Readonly<Partial<Record<StackId, Readonly<Record<string, string>>>>>;

/** What a line reads a deployment's access points and manual steps from. */
export interface DeployedView {
  readonly outputs: OutputsById;
  /** Each deployed stack's id (ARN), by stack id. */
  readonly stackArns: Readonly<Partial<Record<StackId, string>>>;
  readonly region: string;
  readonly plan: Pick<Plan, 'params' | 'include' | 'network' | 'accounts'>;
}

/**
 * A step the user does by hand once the stacks exist (CloudFormation cannot), with the exact
 * values to use; the deployment page lists it as a checklist item the console remembers.
 */
export interface ManualStep {
  /** Stable within the line: the console remembers ticks by it. */
  readonly id: string;
  readonly title: string;
  /** A full sentence or two: where to do it and why. */
  readonly text: string;
  readonly values: readonly { readonly label: string; readonly value: string }[];
}

/** The day-2 operations of a line, as the parameters they change. */
export interface LineOperations {
  /**
   * Image parameters an image update may change, by the stack holding them (keys unique across the
   * list), in the order the form shows them; the run updates the stacks in the plan's order.
   */
  readonly images: readonly { readonly stack: StackId; readonly keys: readonly string[] }[];
  /** The Grafana reset: a new token in this parameter, then the parameter cleared again. */
  readonly grafanaReset?: { readonly stack: StackId; readonly parameter: string };
  /** Where Lakerunner sends its own telemetry. */
  readonly otlpEndpoint?: { readonly stack: StackId; readonly parameter: string };
  /** Parameters a deployer may change on the settings form. */
  readonly settings: SettingKeys;
  /** What a teardown deletes and what it keeps, for the teardown card. */
  readonly teardownNote: string;
  /** What a teardown does besides deleting the stacks; none when the stacks' deletes are all it takes. */
  readonly teardown?: LineTeardown;
  /** Optional stacks (toggles) a deployment may add, change or remove on their own after it is deployed. */
  readonly addons?: readonly LineAddon[];
}

/**
 * An optional stack as its own day-2 operation: added with the plan's values, its `settings`
 * changed (an update of that stack only), removed (only that stack deleted).
 */
export interface LineAddon {
  /** A `toggle` stack of the line (`plan.include[stack]`). */
  readonly stack: StackId;
  /** e.g. "CloudWatch metrics stream". */
  readonly title: string;
  /** One or two sentences for the add-on's card: what it does and what removing it deletes. */
  readonly summary: string;
  /** The parameters of the stack a deployer sets when adding it and may change later. */
  readonly settings: readonly AddonSetting[];
}

/** A parameter of an add-on's stack, with the check its value must pass beyond the parameter's spec. */
export interface AddonSetting {
  readonly key: string;
  /** Server-side check of a non-empty value; `message` is the field error when it fails. */
  readonly pattern?: RegExp;
  readonly message?: string;
}

/** A parameter of one of the line's stacks. */
export interface ParamAt {
  readonly stack: StackId;
  readonly key: string;
}

/** A stack's output naming a bucket the teardown empties before the stack's delete. */
export interface BucketToEmpty {
  readonly stack: StackId;
  readonly output: string;
  /** e.g. "raw bucket". */
  readonly label: string;
  /** The bucket names the deploy role lets the console empty, as an S3 ARN pattern (a bucket named otherwise needs that permission added). */
  readonly namePattern: string;
}

/** A secret kept by its stack's delete (DeletionPolicy Retain) under a name a later install needs again. */
export type RetainedSecret =
  | { readonly stack: StackId; readonly name: string }
  /** Named by a parameter of the stack (its value, or the parameter's default). */
  | (ParamAt & { readonly name?: undefined });

/** A line's teardown steps besides the deletes, each previewed and approved with them. */
export interface LineTeardown {
  /** CloudFormation cannot delete a bucket with objects in it: these are emptied just before their stack's delete. */
  readonly emptyBuckets?: readonly BucketToEmpty[];
  /** Force-deleted (no recovery window) after their stack's delete, only when the teardown explicitly asks for it. */
  readonly retainedSecrets?: readonly RetainedSecret[];
  /** What force-deleting the retained secrets means, for the teardown card's checkbox. */
  readonly secretsNote?: string;
}

/** A field of the plan that names part of a customer's environment; `when` limits it to plans where another value of the same stack holds. */
export interface EnvironmentField extends ParamAt {
  readonly when?: { readonly key: string; readonly equals: string };
}

/**
 * Where a plan that brings its own VPC or ECS cluster names them, for the preflight that checks
 * them before anything is created (lib/deploy/environment.ts). Only fields the user gives are
 * checked: those the plan fills from the line's own VPC or cluster stacks are not.
 */
export interface LineEnvironment {
  readonly vpc: readonly ParamAt[];
  /** Comma-separated private subnets: at least two, in distinct Availability Zones, in the VPC. */
  readonly privateSubnets: readonly EnvironmentField[];
  /** Comma-separated public subnets (routed to an internet gateway), for internet-facing load balancers. */
  readonly publicSubnets: readonly EnvironmentField[];
  /** The ECS cluster's name or ARN: it must exist, be ACTIVE and have the FARGATE capacity provider. */
  readonly cluster: readonly ParamAt[];
}

/**
 * The releases of a line the console knows by manifest (templates/release-manifest.ts): the one
 * its templates are built for, and where an upgrade puts each of a manifest's images.
 */
export interface LineReleases {
  /** The release the line's templates and image defaults are built for. */
  readonly builtIn: ReleaseManifest;
  /** Each image parameter, by the stack holding it and the manifest image key it takes. */
  readonly images: readonly { readonly stack: StackId; readonly parameter: string; readonly image: string }[];
}

/** Guidance for a failed resource the console recognizes. */
export interface RootCauseHint {
  readonly stack: StackId;
  readonly resourceType: string;
  /** Matches CloudFormation's status reason. */
  readonly reason: RegExp;
  readonly guidance: string;
}

/** A deployed stack discovery recognized as one of the line's. */
export interface FoundStack {
  readonly id: StackId;
  readonly name: string;
  /** Deployed from upstream's original template rather than the console's. */
  readonly upstream: boolean;
  readonly parameters: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, string>>;
}

/** Found stacks that make one deployment. */
export interface FoundGroup {
  /** What ties them together (for the 2025 line, the common stack's name). */
  readonly key: string;
  readonly members: FoundStack[];
}

/** How discovery (attach existing stacks) tells which deployed stacks make one deployment of the line. */
export interface LineDiscovery {
  /** The Description of upstream's original templates of this line, by stack id. */
  readonly upstreamDescriptions: Readonly<Record<string, StackId>>;
  group(found: readonly FoundStack[]): FoundGroup[];
  /** What looks odd about how the chosen stacks (one per id) refer to each other. */
  relationWarnings(group: FoundGroup, chosen: ReadonlyMap<StackId, FoundStack>, titleOf: (id: StackId) => string): string[];
  /** A name for every stack of the line: the chosen ones' own, new ones for the rest (never one in `existing`). */
  stackNames(group: FoundGroup, chosen: ReadonlyMap<StackId, FoundStack>, existing: ReadonlySet<string>): Record<StackId, string>;
  /** A deployment name from the group's key. */
  suggestName(key: string): string;
}

/** The whole line, on the server: builders included. */
export interface ReleaseLine extends Omit<LineMeta, 'stacks'> {
  readonly stacks: readonly StackDefinition[];
  readonly operations: LineOperations;
  /** Release upgrades within the line; absent for a line the console knows one release of only. */
  readonly releases?: LineReleases;
  readonly discovery: LineDiscovery;
  /** The access points of a deployment whose stacks have these outputs (`view` adds what the plan and stack ids say). */
  accessPoints(outputs: OutputsById, view?: DeployedView): AccessPoint[];
  /** Steps to do by hand once the stacks exist, with their values; none when the line needs none or the stacks are not there yet. */
  manualSteps?(view: DeployedView): ManualStep[];
  /** Which access points the run page names once a deployment run succeeded, as a phrase. */
  readonly accessSummary: string;
  readonly rootCauseHints: readonly RootCauseHint[];
  /** The customer's VPC and cluster fields, when the line can run in them. */
  readonly environment?: LineEnvironment;
  /** Price rules by resource type for types the generic rules (lib/cost/rules) do not price. */
  readonly priceRules?: Readonly<Record<string, Rule>>;
}

/** The plain-data part of a line, for client components. */
export function toLineMeta(line: ReleaseLine): LineMeta {
  const { id, title, summary, release, toggles, rules, network, sizes, exposure, accountGroups } = line;
  return { id, title, summary, release, stacks: line.stacks.map(toMeta), toggles, rules, network, sizes, exposure, ...(accountGroups ? { accountGroups } : {}) };
}
