// SigV4 verification: recomputes the signature with @smithy/signature-v4 from the known secret
// of the access key in the request, exactly over the headers the client said it signed.
import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import type { KeyLookup } from './identity';

export interface IncomingSigned {
  method: string;
  /** Raw (still percent-encoded) path without the query string. */
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export type AuthFailure = 'missing' | 'malformed' | 'unknown-key' | 'bad-token' | 'expired' | 'signature';

export type AuthResult = { ok: true; lookup: KeyLookup; credential: Credential } | { ok: false; failure: AuthFailure; credential?: Credential };

const toBuffer = (data: SourceData): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** node:crypto behind the Checksum interface the signer expects. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret ? createHmac('sha256', toBuffer(this.secret)) : createHash('sha256');
  }
  update(data: SourceData) {
    this.hash.update(toBuffer(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.fresh();
  }
}

const AUTH_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

/** The credential scope of a request, signed or not yet verified; undefined when unsigned. */
export function parseAuthorization(header: string | undefined) {
  if (!header) return undefined;
  const match = AUTH_PATTERN.exec(header.trim());
  if (!match) return { malformed: true as const };
  const [accessKeyId, date, region, service, terminator] = match[1]!.split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request') return { malformed: true as const };
  return {
    malformed: false as const,
    credential: { accessKeyId, date, region, service },
    signedHeaders: match[2]!.split(';'),
    signature: match[3]!,
  };
}

const signers = new Map<string, SignatureV4>();

function signerFor(lookup: KeyLookup, credential: Credential): SignatureV4 {
  const key = `${credential.accessKeyId}|${credential.region}|${credential.service}`;
  let signer = signers.get(key);
  if (!signer) {
    if (signers.size > 1000) signers.clear();
    signer = new SignatureV4({
      credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: lookup.secretAccessKey, sessionToken: lookup.sessionToken },
      region: credential.region,
      service: credential.service,
      sha256: NodeSha256,
      // S3 signs the path as sent; every other service double-encodes it.
      uriEscapePath: credential.service !== 's3',
      applyChecksum: credential.service === 's3',
    });
    signers.set(key, signer);
  }
  return signer;
}

function queryObject(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export async function verifySignature(
  request: IncomingSigned,
  resolve: (accessKeyId: string) => KeyLookup | undefined,
  now: number,
): Promise<AuthResult> {
  const parsed = parseAuthorization(headerValue(request.headers, 'authorization'));
  if (!parsed) return { ok: false, failure: 'missing' };
  if (parsed.malformed) return { ok: false, failure: 'malformed' };
  const { credential, signedHeaders, signature } = parsed;
  const lookup = resolve(credential.accessKeyId);
  if (!lookup) return { ok: false, failure: 'unknown-key', credential };
  if (lookup.sessionToken !== undefined && headerValue(request.headers, 'x-amz-security-token') !== lookup.sessionToken) {
    return { ok: false, failure: 'bad-token', credential };
  }
  if (lookup.expiresAt !== undefined && lookup.expiresAt <= now) return { ok: false, failure: 'expired', credential };

  const amzDate = AMZ_DATE.exec(headerValue(request.headers, 'x-amz-date') ?? '');
  if (!amzDate || !signedHeaders.includes('host')) return { ok: false, failure: 'signature', credential };
  const [, y, mo, d, h, mi, s] = amzDate;
  const signingDate = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));

  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) return { ok: false, failure: 'signature', credential };
    headers[name] = value;
  }
  const signed = await signerFor(lookup, credential).sign(
    { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path: request.path, query: queryObject(request.rawQuery), headers, body: request.body },
    { signingDate, signingRegion: credential.region, signingService: credential.service, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
  const matches = expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  return matches ? { ok: true, lookup, credential } : { ok: false, failure: 'signature', credential };
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
