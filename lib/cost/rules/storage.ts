// Pricing rules for data: the database (instance, gp3 storage, backups beyond the free amount),
// EFS, the ingest bucket (storage growing with ingest, requests), the queue, secrets, log groups
// and SSM parameters.
import type { TemplateReader, Value } from '@/lib/cfn/resolve';
import type { Resource } from '@/lib/cfn/template';
import { RAW_PREFIX } from '@/templates/otel-config';
import { DAYS_PER_MONTH, HOURS_PER_MONTH, num as n, THUMB, type Rule, type Usage } from '../model';

/** Days the bucket keeps raw telemetry: the shortest expiration of an enabled lifecycle rule on the raw prefix. */
function rawRetentionDays(reader: TemplateReader, bucket: Resource): number | undefined {
  const lifecycle = reader.value(bucket.Properties?.LifecycleConfiguration) as { Rules?: Record<string, Value>[] } | undefined;
  const days = (lifecycle?.Rules ?? [])
    .filter((rule) => rule.Status === 'Enabled' && rule.ExpirationInDays !== undefined)
    .filter((rule) => {
      const prefix = String(rule.Prefix ?? (rule.Filter as { Prefix?: Value } | undefined)?.Prefix ?? '');
      return `${RAW_PREFIX}/`.startsWith(prefix);
    })
    .map((rule) => Number(rule.ExpirationInDays));
  return days.length > 0 ? Math.min(...days) : undefined;
}

function bucketStorage(usage: Usage, retention: number | undefined) {
  const projected = usage.months * DAYS_PER_MONTH;
  const rawDays = Math.min(retention ?? projected, projected);
  const rawGb = usage.telemetryGbPerDay * rawDays;
  const indexedGb = usage.telemetryGbPerMonth * usage.months * THUMB.indexedShare;
  return { rawDays, rawGb, indexedGb };
}

export const STORAGE_RULES: Record<string, Rule> = {
  'AWS::RDS::DBInstance': {
    charges: ({ reader, resource }) => {
      const p = resource.Properties ?? {};
      const engine = String(reader.value(p.Engine) ?? '');
      const instanceClass = String(reader.value(p.DBInstanceClass) ?? '');
      if (engine !== 'postgres') return { unpriced: `Only PostgreSQL instances are priced, not ${engine || 'an unknown engine'}.` };
      const multiAz = String(reader.value(p.MultiAZ)) === 'true';
      const copies = multiAz ? 2 : 1;
      const storageGb = Number(reader.value(p.AllocatedStorage) ?? 0);
      const storageType = String(reader.value(p.StorageType) ?? 'gp3');
      const retention = Number(reader.value(p.BackupRetentionPeriod) ?? 1);
      const az = multiAz ? ' × 2 (Multi-AZ)' : '';
      if (storageType !== 'gp3') return { unpriced: `Only gp3 storage is priced, not ${storageType}.` };
      const backupBeyondFree = storageGb * THUMB.rdsDailyChangeShare * retention;
      return [
        { counted: `${instanceClass}, PostgreSQL: ${HOURS_PER_MONTH} h${az}`, quantity: HOURS_PER_MONTH * copies, price: `rds.instance.${instanceClass}`, kind: 'fixed' },
        { counted: `gp3 storage: ${n(storageGb)} GB${az}`, quantity: storageGb * copies, price: 'rds.gp3GbMonth', kind: 'fixed' },
        ...(retention > 0
          ? [{ counted: `Backups beyond the free ${n(storageGb)} GB: ${retention} days kept`, quantity: backupBeyondFree, price: 'rds.backupGbMonth' as const, kind: 'usage' as const }]
          : []),
      ];
    },
  },
  'AWS::EFS::FileSystem': {
    charges: ({ reader, resource, usage }) => {
      const mode = reader.value(resource.Properties?.ThroughputMode) ?? 'bursting';
      if (mode === 'provisioned') return { unpriced: 'Provisioned throughput is not priced.' };
      const storage = { counted: `Standard storage: ${THUMB.efsStoredGb} GB`, quantity: THUMB.efsStoredGb, price: 'efs.standardGbMonth' as const, kind: 'usage' as const };
      if (mode !== 'elastic') return [storage];
      const passes = `${n(usage.telemetryGbPerMonth)} GB of telemetry through /scratch`;
      return [
        storage,
        { counted: `Elastic throughput writes: ${passes}`, quantity: usage.telemetryGbPerMonth, price: 'efs.elasticWriteGb', kind: 'usage' },
        { counted: `Elastic throughput reads: ${passes}`, quantity: usage.telemetryGbPerMonth, price: 'efs.elasticReadGb', kind: 'usage' },
      ];
    },
  },
  'AWS::S3::Bucket': {
    charges: ({ reader, resource, usage }) => {
      const notifications = reader.value(resource.Properties?.NotificationConfiguration) as { QueueConfigurations?: unknown[] } | undefined;
      if (!notifications?.QueueConfigurations?.length) return { free: 'Receives no telemetry in this estimate; you pay for what you store in it.' };
      const { rawDays, rawGb, indexedGb } = bucketStorage(usage, rawRetentionDays(reader, resource));
      const objects = usage.rawObjectsPerMonth;
      return [
        {
          counted: `Standard storage in month ${usage.months}: ${n(rawGb)} GB raw (${n(rawDays, 0)} days) + ${n(indexedGb)} GB indexed`,
          quantity: rawGb + indexedGb,
          price: 's3.standardGbMonth',
          kind: 'usage',
        },
        { counted: `PUT requests: ${n(objects, 0)} raw objects × ${1 + THUMB.lakerunnerPutsPerRawObject}`, quantity: (objects * (1 + THUMB.lakerunnerPutsPerRawObject)) / 1000, price: 's3.put1000', kind: 'usage' },
        { counted: `GET requests: ${n(objects, 0)} raw objects × ${THUMB.getsPerRawObject}`, quantity: (objects * THUMB.getsPerRawObject) / 1000, price: 's3.get1000', kind: 'usage' },
      ];
    },
  },
  'AWS::SQS::Queue': {
    charges: ({ reader, resource, usage }) => {
      const fifo = String(reader.value(resource.Properties?.FifoQueue)) === 'true';
      const requests = usage.rawObjectsPerMonth * THUMB.sqsRequestsPerMessage + THUMB.sqsPollingRequests;
      return [
        {
          counted: `Requests: ${n(usage.rawObjectsPerMonth, 0)} notifications × ${THUMB.sqsRequestsPerMessage} + ${n(THUMB.sqsPollingRequests, 0)} polls`,
          quantity: requests / 1e6,
          price: fifo ? 'sqs.fifoMillion' : 'sqs.standardMillion',
          kind: 'usage',
        },
      ];
    },
  },
  'AWS::SecretsManager::Secret': {
    charges: () => [{ counted: 'One secret for the month (API calls at task start are negligible)', quantity: 1, price: 'secrets.secretMonth', kind: 'fixed' }],
  },
  'AWS::Logs::LogGroup': {
    charges: ({ reader, logicalId, resource, usage, tasksByLogGroup }) => {
      const tasks = tasksByLogGroup.get(logicalId) ?? 0;
      if (tasks === 0) return { free: 'Written only while a deployment runs: a few MB.' };
      const ingestGb = tasks * THUMB.logGbPerTaskMonth;
      const retention = Number(reader.value(resource.Properties?.RetentionInDays) ?? usage.months * DAYS_PER_MONTH);
      const kept = Math.min(retention, usage.months * DAYS_PER_MONTH) / DAYS_PER_MONTH;
      return [
        { counted: `Ingestion: ${tasks} running task${tasks === 1 ? '' : 's'} × ${THUMB.logGbPerTaskMonth} GB`, quantity: ingestGb, price: 'logs.ingestGb', kind: 'usage' },
        { counted: `Storage: ${n(ingestGb)} GB a month kept ${n(retention, 0)} days`, quantity: ingestGb * kept, price: 'logs.storageGbMonth', kind: 'usage' },
      ];
    },
  },
  'AWS::SSM::Parameter': {
    charges: ({ reader, resource }) =>
      reader.value(resource.Properties?.Tier) === 'Advanced'
        ? [{ counted: 'One advanced parameter for the month', quantity: 1, price: 'ssm.advancedMonth', kind: 'fixed' }]
        : { free: 'Standard parameters have no charge.' },
  },
  'AWS::SQS::QueuePolicy': { free: 'Queue policies have no charge.' },
  'AWS::S3::BucketPolicy': { free: 'Bucket policies have no charge.' },
  'AWS::EFS::MountTarget': { free: 'Mount targets have no charge.' },
  'AWS::EFS::AccessPoint': { free: 'Access points have no charge.' },
  'AWS::RDS::DBSubnetGroup': { free: 'DB subnet groups have no charge.' },
  'AWS::SecretsManager::SecretTargetAttachment': { free: 'Attaching a secret to the database has no charge.' },
};
