// Templates over CloudFormation's 51,200-byte TemplateBody limit go through S3: a bucket per
// account and region, created on demand, encrypted and private. Nested stacks' templates are
// published there too, under a key made of their content: CloudFormation reads a child's template
// when it creates or updates the child, so an object once written must never change under a run.
import 'server-only';
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import type { AwsContext } from '@/lib/aws/clients';
import { awsCall, NotFoundError, RequestRejectedError } from '@/lib/aws/errors';
import { byteLength, TEMPLATE_BODY_LIMIT } from '@/lib/cfn/serialize';

export const stagingBucketName = (account: string, region: string) => `lakerunner-console-${account}-${region}`;

async function bucketExists(context: AwsContext, bucket: string): Promise<boolean> {
  try {
    await awsCall('HeadBucket', () => context.s3.send(new HeadBucketCommand({ Bucket: bucket })));
    return true;
  } catch (error) {
    if (error instanceof NotFoundError || (error instanceof RequestRejectedError && /NotFound|404/.test(error.code ?? error.message))) return false;
    throw error;
  }
}

async function ensureBucket(context: AwsContext, bucket: string): Promise<void> {
  if (await bucketExists(context, bucket)) return;
  const location = context.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: context.region as BucketLocationConstraint } };
  await awsCall('CreateBucket', () => context.s3.send(new CreateBucketCommand({ Bucket: bucket, ...location })));
  await awsCall('PutPublicAccessBlock', () =>
    context.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    ),
  );
  await awsCall('PutBucketEncryption', () =>
    context.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      }),
    ),
  );
}

/** The template as CloudFormation should receive it: inline when small enough, else from S3. */
export async function templateSource(
  context: AwsContext,
  account: string,
  key: string,
  body: string,
): Promise<{ body: string } | { url: string }> {
  if (byteLength(body) <= TEMPLATE_BODY_LIMIT) return { body };
  const bucket = stagingBucketName(account, context.region);
  await ensureBucket(context, bucket);
  await awsCall('PutObject', () => context.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' })));
  return { url: `${stagingUrl(bucket, context.region)}${key}` };
}

/** A nested child's template to publish: its path in the published tree, and its text. */
export interface ChildTemplateFile {
  path: string;
  body: string;
}

/**
 * The key prefix a set of child templates is published under: the stack's stem and a digest of
 * every path and text. Two runs publishing different children never share a key, and the same
 * children always get the same one (nothing is written twice, and an unchanged child keeps its URL).
 */
export function childTemplatesPrefix(stem: string, files: readonly ChildTemplateFile[]): string {
  const digest = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) digest.update(`${file.path}\0${file.body}\0`);
  return `nested/${stem}/${digest.digest('hex').slice(0, 24)}/`;
}

async function objectExists(context: AwsContext, bucket: string, key: string): Promise<boolean> {
  try {
    await awsCall('HeadObject', () => context.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
    return true;
  } catch (error) {
    if (error instanceof NotFoundError || (error instanceof RequestRejectedError && /NotFound|404/.test(error.code ?? error.message))) return false;
    throw error;
  }
}

/**
 * Publishes a stack's child templates to the staging bucket (those not there yet) and returns the
 * URL of the published tree, ending in a slash: each child is at that URL followed by its path.
 */
export async function stageChildTemplates(context: AwsContext, account: string, stem: string, files: readonly ChildTemplateFile[]): Promise<string> {
  const bucket = stagingBucketName(account, context.region);
  const prefix = childTemplatesPrefix(stem, files);
  await ensureBucket(context, bucket);
  for (const file of files) {
    const key = `${prefix}${file.path}`;
    if (await objectExists(context, bucket, key)) continue;
    await awsCall('PutObject', () => context.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: file.body, ContentType: 'application/json' })));
  }
  return `${stagingUrl(bucket, context.region)}${prefix}`;
}

const stagingUrl = (bucket: string, region: string) => `https://${bucket}.s3.${region}.amazonaws.com/`;
