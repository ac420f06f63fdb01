// The collector's default configuration: OTLP/HTTP in, logs and metrics out to the ingest
// bucket under otel-raw/<org>/<collector>/ in the minute partitions Lakerunner's ingesters
// read. Built as data and serialized once; `${env:X}` is resolved by the collector at start.
import { stringify } from 'yaml';

export const OTLP_HTTP_PORT = 4318;
export const HEALTH_CHECK_PORT = 13133;
/** Key prefix the ingesters read; the bucket notifies SQS for objects under it. */
export const RAW_PREFIX = 'otel-raw';
export const PARTITION_FORMAT = 'year=%Y/month=%m/day=%d/hour=%H/minute=%M';

const s3Exporter = {
  s3uploader: {
    region: '${env:AWS_REGION}',
    s3_bucket: '${env:AWS_S3_BUCKET}',
    s3_prefix: `${RAW_PREFIX}/\${env:ORG}/\${env:COLLECTOR}`,
    s3_partition_format: PARTITION_FORMAT,
    compression: 'gzip',
  },
  // otlp_proto writes .binpb(.gz) objects, the only raw format the ingesters accept.
  marshaler: 'otlp_proto',
};

export const DEFAULT_COLLECTOR_CONFIG = {
  receivers: {
    otlp: { protocols: { http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } } },
  },
  processors: {
    // 75% of the task's 2 GiB, leaving headroom for the Go runtime.
    memory_limiter: { check_interval: '1s', limit_mib: 1536, spike_limit_mib: 384 },
    batch: { timeout: '10s', send_batch_size: 10000, send_batch_max_size: 10000 },
  },
  exporters: {
    'awss3/logs': s3Exporter,
    'awss3/metrics': s3Exporter,
    // Lakerunner does not ingest traces yet; accept and drop them so senders see no errors.
    nop: {},
  },
  extensions: {
    health_check: { endpoint: `0.0.0.0:${HEALTH_CHECK_PORT}` },
  },
  service: {
    extensions: ['health_check'],
    pipelines: {
      logs: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['awss3/logs'] },
      metrics: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['awss3/metrics'] },
      traces: { receivers: ['otlp'], processors: ['memory_limiter'], exporters: ['nop'] },
    },
  },
} as const;

export const DEFAULT_COLLECTOR_CONFIG_YAML = stringify(DEFAULT_COLLECTOR_CONFIG, { lineWidth: 0, aliasDuplicateObjects: false });
