// Parameter factories and constants shared by several stacks. Factories take overrides so a
// stack can adjust a label or group without copying the spec.
import { IMAGE_PATTERN, STACK_NAME_MAX, STACK_NAME_PATTERN } from '@/lib/params/formats';
import type { ParamRule, ParamSpec } from '@/lib/params/spec';

export const LAKERUNNER_VERSION = 'v1.2.1';
/**
 * Default images, each pinned to a published version so a stack update never moves an image by
 * itself: moving them is the image-update operation's job. Grafana 12.4.0 (Docker Hub); the
 * collector at v1.3.8, the version upstream pinned for this layout. The sample app has no
 * published version tag (only latest), so it alone floats.
 */
export const IMAGES = {
  goServices: `public.ecr.aws/cardinalhq.io/lakerunner:${LAKERUNNER_VERSION}`,
  queryApi: `public.ecr.aws/cardinalhq.io/lakerunner/query-api:${LAKERUNNER_VERSION}`,
  queryWorker: `public.ecr.aws/cardinalhq.io/lakerunner/query-worker:${LAKERUNNER_VERSION}`,
  migration: `public.ecr.aws/cardinalhq.io/lakerunner:${LAKERUNNER_VERSION}`,
  grafana: 'grafana/grafana:12.4.0',
  otelCollector: 'public.ecr.aws/cardinalhq.io/cardinalhq-otel-collector:v1.3.8',
  sampleApp: 'public.ecr.aws/cardinalhq.io/lakerunner-demo/sample-app:latest',
} as const;

export const DEFAULT_ORGANIZATION_ID = '12340000-0000-4000-8000-000000000000';
export const DEFAULT_COLLECTOR_NAME = 'lakerunner';

type Overrides = Partial<Omit<ParamSpec, 'key' | 'type'>>;

const stackNameParam = (key: string, label: string, description: string, overrides: Overrides = {}): ParamSpec => ({
  key,
  type: 'String',
  label,
  description,
  group: 'Stack wiring',
  allowedPattern: STACK_NAME_PATTERN,
  maxLength: STACK_NAME_MAX,
  constraintDescription: `${label} must start with a letter and contain only letters, digits and hyphens.`,
  ...overrides,
});

export const commonInfraStackName = (overrides?: Overrides) =>
  stackNameParam(
    'CommonInfraStackName',
    'Common infrastructure stack name',
    'Name of the lakerunner-common stack whose exports (cluster, network, database, bucket) this stack imports.',
    overrides,
  );

export const servicesStackName = (overrides?: Overrides) =>
  stackNameParam(
    'ServicesStackName',
    'Services stack name',
    'Name of the lakerunner-services stack whose exports (task roles) this stack imports.',
    overrides,
  );

export const otelCollectorStackName = (overrides?: Overrides) =>
  stackNameParam(
    'OtelCollectorStackName',
    'OTEL collector stack name',
    'Name of the lakerunner-otel-collector stack whose OTLP endpoint the demo apps send telemetry to.',
    overrides,
  );

export const imageParam = (key: string, label: string, defaultImage: string, description: string, overrides?: Overrides): ParamSpec => ({
  key,
  type: 'String',
  label,
  description,
  group: 'Container images',
  default: defaultImage,
  allowedPattern: IMAGE_PATTERN,
  maxLength: 1024,
  constraintDescription: `${label} must be an image reference such as ${defaultImage}.`,
  format: 'image',
  ...overrides,
});

/** The most tasks of one service a plan may ask for; more is a typo, or a Fargate quota request first. */
export const MAX_TASKS = 100;

/**
 * How many tasks of one ECS service run: its default is today's ("Production") count, and the
 * "Proof of concept" size runs one task, the fewest that still runs the service.
 */
export const taskCountParam = (key: string, service: string, replicas: number, size: { cpu: number; memory: number }): ParamSpec => ({
  key,
  type: 'Number',
  label: `Number of ${service} tasks`,
  description: `How many ${service} tasks ECS keeps running, each with ${size.cpu / 1024} vCPU and ${size.memory / 1024} GB of memory.`,
  group: 'Task counts',
  default: String(replicas),
  minValue: 1,
  maxValue: MAX_TASKS,
  format: 'whole-number',
  constraintDescription: `Number of ${service} tasks must be a whole number from 1 to ${MAX_TASKS}.`,
  proofOfConcept: '1',
});

/** An ACM certificate ARN, or empty. */
export const CERTIFICATE_ARN_PATTERN = '^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]{1,128}$';
/** A DNS name of two or more labels, or empty. */
export const DOMAIN_NAME_PATTERN = '^$|^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]$';

/** An optional ACM certificate that turns a load balancer's listeners to HTTPS. */
export const certificateParam = (key: string, label: string, listeners: string, overrides?: Overrides): ParamSpec => ({
  key,
  type: 'String',
  label,
  description: `ARN of an ACM certificate in this region: ${listeners} then speak HTTPS with a current TLS policy. Leave empty for plain HTTP, which carries passwords, API keys and telemetry in clear — keep that to an internal load balancer.`,
  group: 'TLS',
  default: '',
  allowedPattern: CERTIFICATE_ARN_PATTERN,
  maxLength: 2048,
  constraintDescription: `${label} must be empty or an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789.`,
  ...overrides,
});

/** The name clients use for a load balancer with a certificate; the certificate must cover it. */
export const domainNameParam = (key: string, label: string, dnsOutput: string, overrides?: Overrides): ParamSpec => ({
  key,
  type: 'String',
  label,
  description: `The name clients reach the load balancer by, covered by the certificate, such as lakerunner.example.com: point it at the load balancer's DNS name (the ${dnsOutput} output) with a CNAME or alias record. Empty uses the load balancer's own DNS name, which no certificate can cover.`,
  group: 'TLS',
  default: '',
  allowedPattern: DOMAIN_NAME_PATTERN,
  maxLength: 253,
  constraintDescription: `${label} must be empty or a DNS name such as lakerunner.example.com.`,
  ...overrides,
});

/**
 * The explicit consent an internet-facing load balancer without a certificate needs: without it a
 * template Rule refuses the stack before anything is created.
 */
export const allowPlainHttpParam = (key: string, label: string, carried: string): ParamSpec => ({
  key,
  type: 'String',
  label,
  description: `Yes lets an internet-facing load balancer without a certificate speak plain HTTP, carrying ${carried} across the internet in clear. Leave it at No and give a certificate instead, or keep the load balancer internal.`,
  group: 'TLS',
  default: 'No',
  allowedValues: ['No', 'Yes'],
  constraintDescription: `${label} must be No or Yes.`,
});

/** The Rule that refuses an internet-facing load balancer without a certificate unless plain HTTP is allowed. */
export const plainHttpRule = (keys: { scheme: string; certificate: string; allow: string }, what: string): ParamRule => ({
  id: 'InternetFacingNeedsCertificate',
  when: { key: keys.scheme, equals: 'internet-facing' },
  unless: { key: keys.allow, equals: 'Yes' },
  then: { key: keys.certificate, notEmpty: true },
  message: `An internet-facing ${what} without a certificate would carry its traffic across the internet in clear: give a certificate ARN (and the domain name it covers), keep it internal, or allow plain HTTP explicitly (${keys.allow} Yes).`,
});
