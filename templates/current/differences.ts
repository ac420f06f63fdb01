// What the console's current-line templates do differently from upstream's v1.7.5, and why: data,
// and the markdown section the bundle's README carries. Tests tie each entry to the templates.
import { CURRENT_RELEASE } from './manifest';

export interface Difference {
  /** Stable id, referenced by tests. */
  readonly id: string;
  /** Published file names (without extension) the difference is in. */
  readonly files: readonly string[];
  readonly upstream: string;
  readonly ours: string;
  readonly why: string;
}

/** Defects the fact sheet records in upstream, fixed here. */
export const FIXES: readonly Difference[] = [
  {
    id: 'control-to-query',
    files: ['cardinal-lakerunner-infra-base'],
    upstream: 'The query security group admits 8080 from the load balancer and Maestro only.',
    ours: 'A QueryFromControl rule admits 8080 from the control security group as well.',
    why: "alert-evaluator runs in the control tier and calls http://query-api.<namespace>:8080 through Cloud Map; without the rule that call is blocked.",
  },
  {
    id: 'query-worker-storage',
    files: ['cardinal-lakerunner/services-query'],
    upstream: "query-worker runs on Fargate's default 20 GiB of ephemeral storage; the 100 GiB in upstream's defaults file is never applied.",
    ours: 'The query-worker task definition asks for 100 GiB of ephemeral storage.',
    why: 'The defaults ask for it; the workers fetch segments to local disk.',
  },
  {
    id: 'partition',
    files: ['cardinal-lakerunner-infra-base', 'cardinal-satellite-services'],
    upstream: 'The execution roles attach arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy.',
    ours: 'Every ARN in a resource or output is built with ${AWS::Partition}; none is written arn:aws:.',
    why: 'The hard-coded partition breaks installs in the GovCloud and China partitions.',
  },
  {
    id: 'cwmetrics-teardown',
    files: ['cardinal-satellite-cwmetrics'],
    upstream: 'The teardown script never deletes cardinal-satellite-cwmetrics, so Firehose keeps writing into the raw bucket.',
    ours: 'cwmetrics is part of the stack graph, after cardinal-satellite-infra-base, so a teardown in reverse order removes it before the raw bucket.',
    why: "The docs say cwmetrics is deleted first; the script forgets it.",
  },
];

/** Other deliberate differences: same behaviour, different shape or wiring. */
export const CHANGES: readonly Difference[] = [
  {
    id: 'wiring',
    files: ['cardinal-satellite-infra-base', 'cardinal-lakerunner-services', 'cardinal-satellite-services', 'cardinal-satellite-cwmetrics'],
    upstream: "The shell drivers copy outputs into parameters, some by hand (infra-base's ProcessRoleArn into LAKERUNNER_PRINCIPAL).",
    ours: "The console passes every output to the parameter that takes it when the producing stack completes, including RawQueueUrl → QueueUrl, LakerunnerAccessRoleArn → QueueRoleArn, ProcessRoleArn → LakerunnerPrincipal and CollectorEndpoint → SelfTelemetryEndpoint. No exports, no Fn::ImportValue.",
    why: 'Nothing to copy by hand, and the stacks stay free of export locks.',
  },
  {
    id: 'poc-network',
    files: ['cardinal-poc-vpc', 'cardinal-poc-ecs-cluster'],
    upstream: 'lrdev-vpc (three AZs, optional NAT, paid interface endpoints) and lrdev-baseinfra are for upstream\'s own test environment only.',
    ours: 'cardinal-poc-vpc (two or three AZs, one NAT gateway, a free S3 gateway endpoint) and cardinal-poc-ecs-cluster (FARGATE and FARGATE_SPOT associated, Container Insights off by default) stand in for the VPC and cluster a customer brings.',
    why: 'A proof of concept in an empty account; without NAT the tasks cannot reach SQS, STS or public ECR.',
  },
  {
    id: 'redundant-depends-on',
    files: ['cardinal-lakerunner-services', 'cardinal-lakerunner/services-process'],
    upstream: 'Children DependsOn Cert or Migration and scalable targets DependsOn their service, besides reading their outputs (cfn-lint W3005 is ignored).',
    ours: 'Only the output references remain; CloudFormation derives the same order from them.',
    why: 'cfn-lint reports 0 errors and 0 warnings without ignoring any check.',
  },
  {
    id: 'unused-child-parameters',
    files: ['cardinal-lakerunner/migration', 'cardinal-lakerunner/alb', 'cardinal-lakerunner/services-control', 'cardinal-lakerunner/services-query'],
    upstream: 'Children declare parameters they never use (MigrationComplete, ClusterName in migration, VpcId in alb, HttpsListenerArn in control); cfn-lint W2001 is ignored.',
    ours: 'The same parameters, recorded in the resources\' Metadata (Cardinal::MigrationComplete and so on).',
    why: 'The children keep upstream\'s interface, so this root also loads upstream\'s published children (TemplateBaseUrl\'s default) and upstream\'s root loads ours.',
  },
  {
    id: 'explicit-policies',
    files: ['all'],
    upstream: 'Log groups, queues, nested stacks, load balancers and some secrets take CloudFormation\'s default deletion behaviour.',
    ours: 'Every stateful resource states its DeletionPolicy and UpdateReplacePolicy (the same behaviour: the cooked bucket and the secrets are retained, the database snapshotted, the rest deleted). The raw queue states SQS\'s default retention (four days).',
    why: 'cfn-lint --include-checks I reports no I3011 or I3013.',
  },
  {
    id: 'rules',
    files: ['cardinal-lakerunner-services', 'cardinal-lakerunner-infra-base', 'cardinal-lakerunner/cert'],
    upstream:
      'An internet-facing load balancer without public subnets, Maestro without the admin password hash, PEMs without their key and an empty license all fail while the stacks are created (the drivers catch some of them).',
    ours: 'Template Rules refuse each of them at the change set, before anything is created, and the console\'s form says so; the cert child builds a server certificate only from a body and a key together.',
    why: 'The parameters keep upstream\'s defaults; the mistakes are reported before a root rolls back halfway.',
  },
  {
    id: 'parameter-groups',
    files: ['cardinal-lakerunner-infra-base', 'cardinal-satellite-infra-base', 'cardinal-satellite-services'],
    upstream: 'Some parameters are in no parameter group, and satellite-infra-base has none.',
    ours: "Upstream's groups and members are kept; the rest sit in added groups (Other settings, Inputs, Naming). Labels, descriptions and constraint messages are written for the console's form.",
    why: 'The console lays the form out by group.',
  },
];

/** Upstream behaviour kept on purpose, worth knowing. */
export const KEPT: readonly Difference[] = [
  {
    id: 'dex-hash-env',
    files: ['cardinal-lakerunner/maestro'],
    upstream: 'DexAdminPasswordHash and DexExtraUsers reach Dex as plain environment variables.',
    ours: 'The same.',
    why: "Dex's image renders its configuration from them; they are bcrypt hashes, visible to whoever may describe the task definition.",
  },
  {
    id: 'otel-listener',
    files: ['cardinal-lakerunner/alb', 'cardinal-lakerunner-infra-base'],
    upstream: "The app load balancer keeps a 4318 listener that answers 404, and its security group opens 4318.",
    ours: 'The same.',
    why: 'Left over from the removed otel child; removing it is upstream\'s call.',
  },
  {
    id: 'template-base-url',
    files: ['cardinal-lakerunner-services'],
    upstream: `TemplateBaseUrl defaults to upstream's published ${CURRENT_RELEASE.version} children.`,
    ours: 'The same default; the console always passes the URL of its own published children (or a mirror).',
    why: "The default keeps parameter parity; with it, the root loads upstream's children, which share the interface.",
  },
];

const section = (title: string, entries: readonly Difference[]) => [
  `### ${title}`,
  '',
  ...entries.flatMap((d) => [`- **${d.files.join(', ')}** — upstream: ${d.upstream} Here: ${d.ours} Why: ${d.why}`]),
  '',
];

/** The "Differences from upstream" section of the bundle's README. */
export function differencesMarkdown(): string {
  return [
    `## Differences from upstream (cardinalhq/lakerunner-cloudformation ${CURRENT_RELEASE.version})`,
    '',
    `These templates follow upstream's layout and parameters file for file (lakerunner ${CURRENT_RELEASE.images.lakerunner.tag}, maestro ${CURRENT_RELEASE.images.maestro.tag}). Every upstream parameter is here with the same name, type, default, allowed values and NoEcho.`,
    '',
    ...section('Fixed', FIXES),
    ...section('Changed', CHANGES),
    ...section('Kept as upstream', KEPT),
  ].join('\n');
}
