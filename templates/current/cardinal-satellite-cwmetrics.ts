// cardinal-satellite-cwmetrics: streams the account's CloudWatch metrics through a metric stream
// (JSON) and Firehose into the satellite's raw bucket under cwmetrics-raw/<org>/<account>/, from
// where they take the same queue and access role as the collector's objects. A producer only.
import { equals, getAtt, ifThen, noValue, not, ref, sub } from '@/lib/cfn/template';
import type { ParamSpec } from '@/lib/params/spec';
import { defineStack } from '../stack';
import { bucketArn, logGroup, regionalArn, role, statement, trustService } from './building-blocks';
import type { CurrentStackId } from './ids';
import { bucketNameParam, cardinalTags, nameSuffixParam, organizationIdParam } from './shared';

const MANAGED_BY = 'cardinal-cfn-satellite';
const tagged = (name: string, component = 'cwmetrics') => cardinalTags(name, component, MANAGED_BY);

export const CWMETRICS_PREFIX = 'cwmetrics-raw';
/** Outside the notified prefixes: failed records must not reach the queue. */
export const CWMETRICS_ERROR_PREFIX = 'cwmetrics-errors';
const LOG_STREAM = 's3-delivery';

const PARAMETERS: ParamSpec[] = [
  bucketNameParam('RawBucketName', 'Raw bucket name', 'The raw ingest bucket Firehose writes to (the RawBucketName output of cardinal-satellite-infra-base).'),
  organizationIdParam('UUID of the organization the metrics belong to, the first path segment under cwmetrics-raw/; it must equal the collector’s OrganizationId.'),
  {
    key: 'ExcludeNamespace',
    type: 'String',
    label: 'Excluded namespace',
    description: 'One CloudWatch namespace left out of the stream, such as AWS/Usage; leave empty to stream every namespace.',
    group: 'Stream',
    default: 'AWS/Usage',
  },
  {
    key: 'FirehoseBufferSeconds',
    type: 'Number',
    label: 'Buffer interval (seconds)',
    description: 'Seconds Firehose buffers metrics before writing an object, from 60 to 900.',
    group: 'Stream',
    default: '300',
    minValue: 60,
    maxValue: 900,
    format: 'whole-number',
    constraintDescription: 'Buffer interval (seconds) must be a whole number from 60 to 900.',
  },
  {
    key: 'FirehoseBufferSizeMB',
    type: 'Number',
    label: 'Buffer size (MB)',
    description: 'Megabytes Firehose buffers before writing an object, from 1 to 128.',
    group: 'Stream',
    default: '64',
    minValue: 1,
    maxValue: 128,
    format: 'whole-number',
    constraintDescription: 'Buffer size (MB) must be a whole number from 1 to 128.',
  },
  nameSuffixParam('Appended to the Firehose log group name, matching the satellite infra stack of the same suffix.'),
];

const rawBucket = () => bucketArn(ref('RawBucketName'));
const prefixObjects = (prefix: string) => sub(`arn:\${AWS::Partition}:s3:::\${RawBucketName}/${prefix}/*`);

const resources = () => ({
  FirehoseLogGroup: logGroup(
    tagged('cardinal-cwmetrics-firehose-logs'),
    ifThen('HasNameSuffix', sub('/cardinal/cwmetrics-firehose-${NameSuffix}'), '/cardinal/cwmetrics-firehose'),
    7,
  ),
  FirehoseDeliveryRole: role({
    trust: trustService('firehose.amazonaws.com', { StringEquals: { 'sts:ExternalId': ref('AWS::AccountId') } }),
    policyName: 'cardinal-cwmetrics-delivery',
    statements: [
      statement('RawBucketList', ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], rawBucket()),
      statement('CwmetricsPrefixWrite', ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], [prefixObjects(CWMETRICS_PREFIX), prefixObjects(CWMETRICS_ERROR_PREFIX)]),
      statement('FirehoseErrorLogging', ['logs:PutLogEvents'], regionalArn('logs', 'log-group:${FirehoseLogGroup}:*')),
    ],
    tags: tagged('cardinal-cwmetrics-delivery-role', 'iam'),
  }),
  CwmetricsDeliveryStream: {
    Type: 'AWS::KinesisFirehose::DeliveryStream',
    Properties: {
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        BucketARN: rawBucket(),
        RoleARN: getAtt('FirehoseDeliveryRole', 'Arn'),
        Prefix: sub(`${CWMETRICS_PREFIX}/\${OrganizationId}/\${AWS::AccountId}/!{timestamp:yyyy/MM/dd/HH}/`),
        ErrorOutputPrefix: `${CWMETRICS_ERROR_PREFIX}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`,
        CompressionFormat: 'GZIP',
        BufferingHints: { IntervalInSeconds: ref('FirehoseBufferSeconds'), SizeInMBs: ref('FirehoseBufferSizeMB') },
        CloudWatchLoggingOptions: { Enabled: true, LogGroupName: ref('FirehoseLogGroup'), LogStreamName: LOG_STREAM },
      },
      Tags: tagged('cardinal-cwmetrics-firehose'),
    },
  },
  MetricStreamRole: role({
    trust: trustService('streams.metrics.cloudwatch.amazonaws.com', { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } }),
    policyName: 'cardinal-cwmetrics-put',
    statements: [statement('FirehosePut', ['firehose:PutRecord', 'firehose:PutRecordBatch'], getAtt('CwmetricsDeliveryStream', 'Arn'))],
    tags: tagged('cardinal-cwmetrics-stream-role', 'iam'),
  }),
  // JSON, not OpenTelemetry: Lakerunner parses the CloudWatch JSON itself.
  CwmetricsStream: {
    Type: 'AWS::CloudWatch::MetricStream',
    Properties: {
      FirehoseArn: getAtt('CwmetricsDeliveryStream', 'Arn'),
      RoleArn: getAtt('MetricStreamRole', 'Arn'),
      OutputFormat: 'json',
      ExcludeFilters: ifThen('HasExcludeNamespace', [{ Namespace: ref('ExcludeNamespace') }], noValue),
      Tags: tagged('cardinal-cwmetrics-stream'),
    },
  },
});

export const satelliteCwmetricsStack = defineStack<CurrentStackId>({
  id: 'cwmetrics',
  stem: 'cardinal-satellite-cwmetrics',
  aliases: [],
  title: 'CloudWatch metrics stream',
  purpose: "Streams this account's CloudWatch metrics through a metric stream and Firehose into the raw bucket, where Lakerunner picks them up like the collector's objects.",
  inclusion: 'toggle',
  lossOnDelete: 'Only the stream and its delivery logs; metrics published while it is gone are not sent.',
  needs: [],
  after: ['satellite-infra-base'],
  accountGroup: 'satellite',
  inputs: { RawBucketName: { output: ['satellite-infra-base', 'RawBucketName'] }, OrganizationId: { sameAs: ['services', 'OrganizationId'] } },
  rules: [],
  parameters: PARAMETERS,
  build: () => ({
    Description:
      'Cardinal satellite cwmetrics: a CloudWatch metric stream and Firehose delivering into the satellite raw bucket under cwmetrics-raw/.',
    Conditions: {
      HasNameSuffix: not(equals(ref('NameSuffix'), '')),
      HasExcludeNamespace: not(equals(ref('ExcludeNamespace'), '')),
    },
    Resources: resources(),
    Outputs: {
      DeliveryStreamArn: { Description: 'ARN of the Firehose delivery stream.', Value: getAtt('CwmetricsDeliveryStream', 'Arn') },
      RawPrefix: {
        Description: 'Prefix of the metric objects; map it in Maestro (format cwmetrics, signal metrics).',
        Value: sub(`${CWMETRICS_PREFIX}/\${OrganizationId}/\${AWS::AccountId}/`),
      },
      ErrorPrefix: { Description: 'Prefix of the records Firehose could not deliver (not notified to the queue).', Value: `${CWMETRICS_ERROR_PREFIX}/` },
      FirehoseLogGroupName: { Description: 'Log group of the Firehose delivery errors.', Value: ref('FirehoseLogGroup') },
    },
  }),
});

