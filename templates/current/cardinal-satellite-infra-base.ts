// cardinal-satellite-infra-base: the ingest primitive of one source account and region, on a
// pull model. The raw bucket every producer writes to (otel-raw/, cwmetrics-raw/), its SQS queue
// and dead-letter queue with prefix-filtered notifications, and the role the central Lakerunner
// process tier assumes to read both. Nothing pushes to the Lakerunner account.
import { equals, getAtt, ifThen, noValue, not, ref, sub, type Expr, type Resource } from '@/lib/cfn/template';
import type { ParamSpec } from '@/lib/params/spec';
import { defineStack } from '../stack';
import { bucketArn, role, statement } from './building-blocks';
import type { CurrentStackId } from './ids';
import { cardinalTags, nameSuffixParam, optionalBucketNameParam, publicAccessBlockParam } from './shared';

const MANAGED_BY = 'cardinal-cfn-satellite';
const tagged = (name: Expr, component: string) => cardinalTags(name, component, MANAGED_BY);

/** Prefixes the bucket notifies the queue about; Firehose's error output stays outside them. */
export const NOTIFIED_PREFIXES = ['otel-raw/', 'cwmetrics-raw/'] as const;
/** Above the poller's 30 s budget for one message. */
export const VISIBILITY_TIMEOUT = 90;
/** Receives before a message moves to the dead-letter queue (redelivery after Lakerunner's 1 h dedup window would duplicate segments). */
export const MAX_RECEIVE_COUNT = 5;
export const ACCESS_ROLE_NAME = 'cardinal-satellite-access';

const PARAMETERS: ParamSpec[] = [
  {
    key: 'LakerunnerPrincipal',
    type: 'String',
    label: 'Lakerunner principal',
    description:
      "Who may assume the access role: the ProcessRoleArn output of cardinal-lakerunner-infra-base (in this or another account), or an account's root.",
    group: 'Inputs',
    allowedPattern: '^arn:aws[a-zA-Z-]*:iam::\\d{12}:(root|role/.+)$',
    constraintDescription: 'Lakerunner principal must be an IAM role ARN or an account root ARN, such as arn:aws:iam::123456789012:role/cardinal-process.',
  },
  {
    key: 'ExternalId',
    type: 'String',
    label: 'External ID',
    description: 'A shared secret the assuming role must present as sts:ExternalId; leave empty to require none.',
    group: 'Inputs',
    default: '',
  },
  optionalBucketNameParam('RawBucketName', 'Raw bucket name', 'Name of the raw ingest bucket; blank uses cardinal-otel-raw-<account>-<region>[-<suffix>].'),
  {
    key: 'RawBucketLifecycleDays',
    type: 'Number',
    label: 'Raw object lifetime (days)',
    description: 'Days after which raw objects expire, bounding what a stopped pipeline leaves behind; Lakerunner deletes them once processed.',
    group: 'Inputs',
    default: '7',
    minValue: 1,
    format: 'whole-number',
    constraintDescription: 'Raw object lifetime (days) must be a whole number of at least 1.',
  },
  publicAccessBlockParam('raw bucket'),
  nameSuffixParam('Appended to the access role name and the default bucket name, so a second satellite can share the account.'),
];

/** The bucket's name, known before the bucket exists (the queue policy names it; a Ref would be a cycle). */
const rawBucketName = (): Expr =>
  ifThen(
    'UseDefaultBucketName',
    ifThen('HasNameSuffix', sub('cardinal-otel-raw-${AWS::AccountId}-${AWS::Region}-${NameSuffix}'), sub('cardinal-otel-raw-${AWS::AccountId}-${AWS::Region}')),
    ref('RawBucketName'),
  );

function resources(): Record<string, Resource> {
  return {
    RawIngestDlq: {
      Type: 'AWS::SQS::Queue',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      // RedriveAllowPolicy stays at its default: naming the source queue would be a reference cycle.
      Properties: { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true, Tags: tagged('cardinal-otel-raw-dlq', 'ingest') },
    },
    RawIngestQueue: {
      Type: 'AWS::SQS::Queue',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        VisibilityTimeout: VISIBILITY_TIMEOUT,
        // SQS's default, four days, stated.
        MessageRetentionPeriod: 345600,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: getAtt('RawIngestDlq', 'Arn'), maxReceiveCount: MAX_RECEIVE_COUNT },
        Tags: tagged('cardinal-otel-raw-queue', 'ingest'),
      },
    },
    RawIngestQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [ref('RawIngestQueue')],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'RawBucketNotifications',
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
              Resource: getAtt('RawIngestQueue', 'Arn'),
              Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') }, ArnLike: { 'aws:SourceArn': bucketArn(rawBucketName()) } },
            },
          ],
        },
      },
    },
    // S3 checks the queue's policy when the notification is applied, so the policy comes first.
    RawIngestBucket: {
      Type: 'AWS::S3::Bucket',
      DependsOn: 'RawIngestQueuePolicy',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        BucketName: rawBucketName(),
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: ifThen(
          'AddRawBucketPublicAccessBlock',
          { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          noValue,
        ),
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'cardinal-otel-raw-expire',
              Status: 'Enabled',
              ExpirationInDays: ref('RawBucketLifecycleDays'),
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
          ],
        },
        NotificationConfiguration: {
          QueueConfigurations: NOTIFIED_PREFIXES.map((prefix) => ({
            Event: 's3:ObjectCreated:*',
            Queue: getAtt('RawIngestQueue', 'Arn'),
            Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: prefix }] } },
          })),
        },
        Tags: tagged('cardinal-otel-raw', 'ingest'),
      },
    },
    LakerunnerAccessRole: role({
      roleName: ifThen('HasNameSuffix', sub(`${ACCESS_ROLE_NAME}-\${NameSuffix}`), ACCESS_ROLE_NAME),
      trust: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ref('LakerunnerPrincipal') },
            Action: 'sts:AssumeRole',
            Condition: ifThen('HasExternalId', { StringEquals: { 'sts:ExternalId': ref('ExternalId') } }, noValue),
          },
        ],
      },
      policyName: ACCESS_ROLE_NAME,
      statements: [
        // Read and delete only: processing removes raw objects; nothing here writes them.
        statement(
          'RawBucketReadDelete',
          ['s3:GetObject', 's3:DeleteObject', 's3:ListBucket', 's3:GetBucketLocation'],
          [getAtt('RawIngestBucket', 'Arn'), sub('${RawIngestBucket.Arn}/*')],
        ),
        statement(
          'RawQueueConsume',
          ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ChangeMessageVisibility'],
          getAtt('RawIngestQueue', 'Arn'),
        ),
      ],
      tags: tagged(ifThen('HasNameSuffix', sub(`${ACCESS_ROLE_NAME}-\${NameSuffix}`), ACCESS_ROLE_NAME), 'iam'),
    }),
  };
}

export const satelliteInfraBaseStack = defineStack<CurrentStackId>({
  id: 'satellite-infra-base',
  stem: 'cardinal-satellite-infra-base',
  aliases: [],
  title: 'Satellite ingest bucket and queue',
  purpose:
    'Creates the raw ingest bucket the collector and CloudWatch metrics write to, the queue its notifications feed, and the role Lakerunner assumes to read them.',
  inclusion: 'always',
  lossOnDelete: 'The raw bucket (raw data is transient; it must be emptied first), the queue with its pending notifications, and the access role.',
  needs: [],
  after: ['infra-base'],
  // A role ARN works from any account: the satellite in another account trusts account A's process role.
  inputs: { LakerunnerPrincipal: { output: ['infra-base', 'ProcessRoleArn'], acrossAccounts: true } },
  accountGroup: 'satellite',
  rules: [],
  parameters: PARAMETERS,
  build: () => ({
    Description:
      'Cardinal satellite infra base: the raw ingest bucket of one source account, its SQS queue and dead-letter queue with prefix-filtered notifications, and the cross-account role the Lakerunner poller assumes.',
    Conditions: {
      UseDefaultBucketName: equals(ref('RawBucketName'), ''),
      HasNameSuffix: not(equals(ref('NameSuffix'), '')),
      HasExternalId: not(equals(ref('ExternalId'), '')),
      AddRawBucketPublicAccessBlock: equals(ref('ConfigureBucketPublicAccessBlock'), 'true'),
    },
    Resources: resources(),
    Outputs: {
      RawBucketName: { Description: 'The raw ingest bucket (map it to the organization in Maestro).', Value: ref('RawIngestBucket') },
      RawQueueUrl: { Description: 'URL of the raw-ingest queue pubsub-sqs polls.', Value: ref('RawIngestQueue') },
      RawQueueArn: { Description: 'ARN of the raw-ingest queue.', Value: getAtt('RawIngestQueue', 'Arn') },
      RawDlqArn: { Description: 'ARN of the dead-letter queue (watch its depth).', Value: getAtt('RawIngestDlq', 'Arn') },
      LakerunnerAccessRoleArn: { Description: 'The role Lakerunner assumes to read the bucket and queue.', Value: getAtt('LakerunnerAccessRole', 'Arn') },
      Region: { Description: 'Region of the bucket and queue.', Value: ref('AWS::Region') },
    },
  }),
});
