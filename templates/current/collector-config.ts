// The satellite collector's built-in configuration (CHQ_COLLECTOR_CONFIG_YAML unless OtelConfigYaml
// overrides it): OTLP in; logs, metrics and traces out to the raw bucket under
// otel-raw/<org>/<collector>/ in minute partitions; a service graph computed from the traces.
// Built as data and serialized once; `${env:X}` is resolved by the collector at start.
import { stringify } from 'yaml';
import { PORTS } from './shared';

export const RAW_PREFIX = 'otel-raw';
export const PARTITION_FORMAT = 'year=%Y/month=%m/day=%d/hour=%H/minute=%M';

const s3Exporter = {
  s3uploader: {
    region: '${env:LRDB_S3_REGION}',
    s3_bucket: '${env:LRDB_S3_BUCKET}',
    s3_prefix: `${RAW_PREFIX}/\${env:ORG}/\${env:COLLECTOR}`,
    s3_force_path_style: true,
    s3_partition_format: PARTITION_FORMAT,
    compression: 'gzip',
  },
  marshaler: 'otlp_proto',
};

const processors = ['memory_limiter', 'batch'];
const metricProcessors = ['memory_limiter', 'cumulativetodelta', 'batch'];

export const COLLECTOR_CONFIG = {
  receivers: {
    otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: `0.0.0.0:${PORTS.otlpHttp}` } } },
  },
  processors: {
    memory_limiter: { check_interval: '1s', limit_mib: 1024 },
    // Every cumulative sum and histogram becomes a delta, which Lakerunner stores.
    cumulativetodelta: {},
    batch: { timeout: '10s', send_batch_size: 1000, send_batch_max_size: 2000 },
  },
  connectors: {
    // The cardinalhq build registers the connector as service_graph. Complete graphs need one replica.
    service_graph: {
      metrics_flush_interval: '10s',
      store: { ttl: '10s' },
      virtual_node_peer_attributes: ['peer.service', 'server.address', 'http.url', 'url.full', 'net.peer.name', 'rpc.service', 'db.system', 'db.name', 'db.instance.id'],
    },
  },
  exporters: {
    'awss3/logs': s3Exporter,
    'awss3/metrics': s3Exporter,
    'awss3/traces': s3Exporter,
  },
  extensions: {
    health_check: { endpoint: `0.0.0.0:${PORTS.collectorHealth}` },
  },
  service: {
    extensions: ['health_check'],
    pipelines: {
      logs: { receivers: ['otlp'], processors, exporters: ['awss3/logs'] },
      metrics: { receivers: ['otlp'], processors: metricProcessors, exporters: ['awss3/metrics'] },
      'metrics/servicegraph': { receivers: ['service_graph'], processors: metricProcessors, exporters: ['awss3/metrics'] },
      traces: { receivers: ['otlp'], processors, exporters: ['awss3/traces', 'service_graph'] },
    },
  },
} as const;

export const COLLECTOR_CONFIG_YAML = stringify(COLLECTOR_CONFIG, { lineWidth: 0, aliasDuplicateObjects: false });
