// Templates over CloudFormation's 51,200-byte TemplateBody limit go through S3: a bucket per
// account and region, created on demand, encrypted and private.
import 'server-only';
import {
  CreateBucketCommand,
  HeadBucketCommand,
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
  return { url: `https://${bucket}.s3.${context.region}.amazonaws.com/${key}` };
}
