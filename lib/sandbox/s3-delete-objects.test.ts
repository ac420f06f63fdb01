import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixture, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture();
});
afterAll(() => f.sandbox.close());

describe('S3 DeleteObjects', () => {
  it('deletes the listed keys (escaped ones too) in one request, answers which, and then the bucket can be deleted', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'batch-delete' }));
    const keys = ['otel-raw/org/a1/one.binpb', 'otel-raw/org/a1/two & <three>.binpb', 'cwmetrics-raw/org/four.json.gz'];
    for (const Key of keys) await f.s3.send(new PutObjectCommand({ Bucket: 'batch-delete', Key, Body: 'x' }));
    await expect(f.s3.send(new DeleteBucketCommand({ Bucket: 'batch-delete' }))).rejects.toMatchObject({ name: 'BucketNotEmpty' });

    const answer = await f.s3.send(new DeleteObjectsCommand({ Bucket: 'batch-delete', Delete: { Objects: keys.slice(0, 2).map((Key) => ({ Key })) } }));
    expect(answer.Deleted?.map((d) => d.Key)).toEqual(keys.slice(0, 2));
    expect((await f.s3.send(new ListObjectsV2Command({ Bucket: 'batch-delete' }))).Contents?.map((o) => o.Key)).toEqual([keys[2]]);

    // Quiet: only errors would be listed
    const quiet = await f.s3.send(new DeleteObjectsCommand({ Bucket: 'batch-delete', Delete: { Objects: [{ Key: keys[2]! }], Quiet: true } }));
    expect(quiet.Deleted ?? []).toEqual([]);
    expect((await f.s3.send(new ListObjectsV2Command({ Bucket: 'batch-delete' }))).KeyCount).toBe(0);
    await f.s3.send(new DeleteBucketCommand({ Bucket: 'batch-delete' }));
  });

  it('refuses more than 1,000 keys, and a bucket that does not exist', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'batch-limit' }));
    const many = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
    await expect(f.s3.send(new DeleteObjectsCommand({ Bucket: 'batch-limit', Delete: { Objects: many } }))).rejects.toMatchObject({ name: 'MalformedXML' });
    await expect(f.s3.send(new DeleteObjectsCommand({ Bucket: 'no-such-batch-bucket', Delete: { Objects: [{ Key: 'a' }] } }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});
