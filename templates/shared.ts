// Parameter factories and constants shared by several stacks. Factories take overrides so a
// stack can adjust a label or group without copying the spec.
import { IMAGE_PATTERN, STACK_NAME_MAX, STACK_NAME_PATTERN } from '@/lib/params/formats';
import type { ParamSpec } from '@/lib/params/spec';

export const LAKERUNNER_VERSION = 'v1.2.1';
export const IMAGES = {
  goServices: `public.ecr.aws/cardinalhq.io/lakerunner:${LAKERUNNER_VERSION}`,
  queryApi: `public.ecr.aws/cardinalhq.io/lakerunner/query-api:${LAKERUNNER_VERSION}`,
  queryWorker: `public.ecr.aws/cardinalhq.io/lakerunner/query-worker:${LAKERUNNER_VERSION}`,
  migration: `public.ecr.aws/cardinalhq.io/lakerunner:${LAKERUNNER_VERSION}`,
  grafana: 'grafana/grafana:latest',
  otelCollector: 'public.ecr.aws/cardinalhq.io/cardinalhq-otel-collector:latest',
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
    'Name of the lakerunner-services stack whose exports (query API URL, task roles) this stack imports.',
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
