// S3 over its REST protocol, path-style and virtual-host style: buckets for template staging,
// PutObject/GetObject/HeadObject/DeleteObject, and the bucket settings a console applies. Bucket
// names are one namespace for all accounts; another account's bucket is Access Denied (bucket
// policies are accepted but not evaluated).
import { createHash } from 'node:crypto';
import { AwsError } from '../core/errors';
import { bucketAccount, dict, type SandboxState } from '../core/state';
import { escapeXml, RawXml, xmlContent, type XmlValue } from '../protocols/xml';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACCEPTED_SUBRESOURCES = ['encryption', 'publicAccessBlock', 'versioning', 'policy', 'tagging', 'lifecycle', 'ownershipControls', 'cors', 'acl'];

export interface S3Request {
  method: string;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  region: string;
  /** The caller's account. */
  account: string;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** Splits a request into bucket and key, for path-style and `<bucket>.<endpoint>` hosts. */
export function s3Target(host: string, rawPath: string, endpointHost: string): { bucket?: string; key?: string } {
  const segments = rawPath.split('/').slice(1);
  const decode = (parts: string[]) => {
    try {
      return parts.map((p) => decodeURIComponent(p)).join('/');
    } catch {
      throw new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400);
    }
  };
  const hostname = host.split(':')[0] ?? '';
  const endpointName = endpointHost.split(':')[0] ?? '';
  const virtual = hostname.endsWith(`.${endpointName}`) || (hostname.endsWith('.localhost') && hostname !== 'localhost');
  if (virtual) {
    const bucket = hostname.slice(0, hostname.lastIndexOf(hostname.endsWith(`.${endpointName}`) ? `.${endpointName}` : '.localhost'));
    const key = decode(segments);
    return { bucket, key: key === '' ? undefined : key };
  }
  const bucket = segments[0] ? decode([segments[0]]) : undefined;
  const key = decode(segments.slice(1));
  return { bucket, key: key === '' ? undefined : key };
}

/** The S3 action name of a request, for metrics and throttling. */
export function s3Action(req: Pick<S3Request, 'method' | 'bucket' | 'key' | 'query'>): string {
  const { method, bucket, key, query } = req;
  if (!bucket) return 'ListBuckets';
  if (key) return ({ PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' } as Record<string, string>)[method] ?? 'UnknownObjectAction';
  if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
  const sub = ACCEPTED_SUBRESOURCES.find((s) => query.has(s));
  if (sub) return `${method === 'GET' ? 'Get' : method === 'DELETE' ? 'Delete' : 'Put'}Bucket${sub[0]!.toUpperCase()}${sub.slice(1)}`;
  if (query.has('location')) return 'GetBucketLocation';
  return ({ PUT: 'CreateBucket', HEAD: 'HeadBucket', DELETE: 'DeleteBucket', GET: 'ListObjectsV2' } as Record<string, string>)[method] ?? 'UnknownBucketAction';
}

export function s3ErrorBody(error: AwsError, requestId: string, resource?: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${resource ? `<Resource>${escapeXml(resource)}</Resource>` : ''}<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`;
}

const xmlDoc = (root: string, content: XmlValue) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${XMLNS}">${Array.isArray(content) ? content.map((c: XmlValue) => xmlContent(c, 'member')).join('') : xmlContent(content, 'member')}</${root}>`;
/** S3 lists repeat the element itself (`<Bucket>…</Bucket>`), unlike query lists. */
const repeated = (element: string, items: XmlValue[]) => new RawXml(items.map((item) => `<${element}>${xmlContent(item, 'member')}</${element}>`).join(''));
const UNESCAPES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => (e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : UNESCAPES[e]!));
const noSuchBucket = () => new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404);

/** Undoes `Content-Encoding: aws-chunked` framing (chunk sizes, signatures and trailers). */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

const header = (headers: S3Request['headers'], name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export function handleS3(req: S3Request, world: SandboxState): S3Response {
  const { method, bucket: name, key } = req;
  const action = s3Action(req);
  if (action === 'ListBuckets') {
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: xmlDoc('ListAllMyBucketsResult', {
        Owner: { ID: req.account, DisplayName: 'sandbox' },
        Buckets: repeated(
          'Bucket',
          Object.values(world.buckets)
            .filter((b) => bucketAccount(b) === req.account)
            .map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt), BucketRegion: b.region })),
        ),
      }),
    };
  }
  const bucket = world.buckets[name!];
  if (bucket && bucketAccount(bucket) !== req.account) {
    if (action === 'CreateBucket') {
      throw new AwsError(
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        409,
      );
    }
    if (action === 'HeadBucket' || action === 'HeadObject') return { status: 403, headers: {} };
    throw new AwsError('AccessDenied', 'Access Denied', 403);
  }
  switch (action) {
    case 'CreateBucket': {
      if (!BUCKET_NAME.test(name!)) throw new AwsError('InvalidBucketName', 'The specified bucket is not valid.');
      if (bucket) {
        // us-east-1 answers 200 to re-creating your own bucket; other regions say you already own it.
        if (req.region !== 'us-east-1') throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409);
        return { status: 200, headers: { location: `/${name}` } };
      }
      const constraint = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(req.body.toString('utf8'))?.[1];
      world.buckets[name!] = { name: name!, region: constraint || req.region, account: req.account, createdAt: Date.now(), objects: dict() };
      return { status: 200, headers: { location: `/${name}` } };
    }
    case 'HeadBucket':
      if (!bucket) return { status: 404, headers: {} };
      return { status: 200, headers: { 'x-amz-bucket-region': bucket.region } };
    case 'DeleteBucket':
      if (!bucket) throw noSuchBucket();
      if (Object.keys(bucket.objects).length) throw new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409);
      delete world.buckets[name!];
      return { status: 204, headers: {} };
    case 'GetBucketLocation':
      if (!bucket) throw noSuchBucket();
      return {
        status: 200,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${XMLNS}">${bucket.region === 'us-east-1' ? '' : bucket.region}</LocationConstraint>`,
      };
    case 'ListObjectsV2': {
      if (!bucket) throw noSuchBucket();
      const prefix = req.query.get('prefix') ?? '';
      const keys = Object.keys(bucket.objects).filter((k) => k.startsWith(prefix)).sort();
      return {
        status: 200,
        headers: { 'content-type': 'application/xml' },
        body: xmlDoc('ListBucketResult', [
          new RawXml(xmlContent({ Name: name, Prefix: prefix, KeyCount: keys.length, MaxKeys: 1000, IsTruncated: false }, 'member')),
          repeated(
            'Contents',
            keys.map((k) => {
              const o = bucket.objects[k]!;
              return { Key: k, LastModified: new Date(o.lastModified), ETag: o.etag, Size: Buffer.from(o.body, 'base64').length, StorageClass: 'STANDARD' };
            }),
          ),
        ]),
      };
    }
    case 'PutObject': {
      if (!bucket) throw noSuchBucket();
      const chunked = (header(req.headers, 'content-encoding') ?? '').includes('aws-chunked') || (header(req.headers, 'x-amz-content-sha256') ?? '').startsWith('STREAMING-');
      const bytes = chunked ? decodeAwsChunked(req.body) : req.body;
      const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
      const metadata = Object.fromEntries(
        Object.entries(req.headers)
          .filter(([k]) => k.startsWith('x-amz-meta-'))
          .map(([k, v]) => [k.slice(11), String(v)]),
      );
      bucket.objects[key!] = { body: bytes.toString('base64'), contentType: header(req.headers, 'content-type'), etag, lastModified: Date.now(), metadata };
      return { status: 200, headers: { etag } };
    }
    case 'GetObject':
    case 'HeadObject': {
      if (!bucket) {
        if (action === 'HeadObject') return { status: 404, headers: {} };
        throw noSuchBucket();
      }
      const object = bucket.objects[key!];
      if (!object) {
        if (action === 'HeadObject') return { status: 404, headers: {} };
        throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
      }
      const bytes = Buffer.from(object.body, 'base64');
      const headers: Record<string, string> = {
        'content-type': object.contentType ?? 'binary/octet-stream',
        'content-length': String(bytes.length),
        etag: object.etag,
        'last-modified': new Date(object.lastModified).toUTCString(),
        'accept-ranges': 'bytes',
      };
      for (const [k, v] of Object.entries(object.metadata)) headers[`x-amz-meta-${k}`] = v;
      return { status: 200, headers, body: action === 'GetObject' ? bytes : undefined };
    }
    case 'DeleteObject':
      if (!bucket) throw noSuchBucket();
      delete bucket.objects[key!];
      return { status: 204, headers: {} };
    case 'DeleteObjects': {
      if (!bucket) throw noSuchBucket();
      const chunked = (header(req.headers, 'content-encoding') ?? '').includes('aws-chunked');
      const xml = (chunked ? decodeAwsChunked(req.body) : req.body).toString('utf8');
      if (!/<Delete[\s>]/.test(xml)) throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
      const keys = [...xml.matchAll(/<Object>\s*<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1]!));
      // S3 takes at most 1,000 keys per request.
      if (keys.length === 0 || keys.length > 1000) throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
      const quiet = /<Quiet>\s*true\s*<\/Quiet>/.test(xml);
      for (const k of keys) delete bucket.objects[k];
      return {
        status: 200,
        headers: { 'content-type': 'application/xml' },
        body: xmlDoc('DeleteResult', quiet ? [] : [repeated('Deleted', keys.map((k) => ({ Key: k })))]),
      };
    }
    default:
      if (action.startsWith('PutBucket') || action.startsWith('DeleteBucket')) {
        if (!bucket) throw noSuchBucket();
        return { status: action.startsWith('Delete') ? 204 : 200, headers: {} };
      }
      if (action.startsWith('GetBucket')) {
        if (!bucket) throw noSuchBucket();
        throw new AwsError(`NoSuch${action.slice(9)}Configuration`, 'The configuration does not exist', 404);
      }
      throw new AwsError('NotImplemented', `A header or query you provided implies functionality that is not implemented (${method}).`, 501);
  }
}
