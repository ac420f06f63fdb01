// The awsQuery protocol (CloudFormation, STS) and its EC2 variant: form-encoded requests
// flattened as `A.member.1.B=…` / `Filter.1.Value.1=…`, XML responses, and error envelopes.
import type { AwsError } from '../core/errors';
import { xmlContent, type XmlValue } from './xml';

export type QueryTree = string | QueryTree[] | { [key: string]: QueryTree };
export type QueryParams = Record<string, QueryTree>;

/** Turns flat `Parameters.member.1.ParameterKey` keys into nested objects and arrays. */
export function nestQuery(flat: URLSearchParams): QueryParams {
  // Prototype-less nodes, so a key such as `__proto__.x` is just data.
  const root: Record<string, unknown> = Object.create(null);
  for (const [key, value] of flat) {
    const path = key.split('.');
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i]!;
      if (typeof node[segment] !== 'object') node[segment] = Object.create(null);
      node = node[segment] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return normalize(root) as QueryParams;
}

function normalize(node: unknown): QueryTree {
  if (typeof node === 'string') return node;
  const object = node as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1 && keys[0] === 'member') return listOf(object.member);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) return listOf(object);
  const out: Record<string, QueryTree> = Object.create(null);
  for (const k of keys) out[k] = normalize(object[k]);
  return out;
}

function listOf(node: unknown): QueryTree[] {
  if (typeof node === 'string') return [node];
  const object = node as Record<string, unknown>;
  return Object.keys(object)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => normalize(object[k]));
}

/** Reading helpers that tolerate the absent and the malformed alike. */
export const str = (params: QueryParams | QueryTree | undefined, key: string): string | undefined => {
  if (!params || typeof params !== 'object' || Array.isArray(params)) return undefined;
  const value = params[key];
  return typeof value === 'string' ? value : undefined;
};
export const list = (params: QueryParams | QueryTree | undefined, key: string): QueryTree[] => {
  if (!params || typeof params !== 'object' || Array.isArray(params)) return [];
  const value = params[key];
  if (Array.isArray(value)) return value;
  // An empty list is sent as `Key=` with no members.
  return [];
};
export const strList = (params: QueryParams | QueryTree | undefined, key: string): string[] =>
  list(params, key).filter((v): v is string => typeof v === 'string');
export const bool = (params: QueryParams | QueryTree | undefined, key: string): boolean | undefined => {
  const value = str(params, key);
  return value === undefined ? undefined : value === 'true';
};

export function queryResponse(action: string, xmlns: string, result: XmlValue, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${xmlContent(result, 'member')}</${action}Result>`;
  return `<${action}Response xmlns="${xmlns}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function queryError(error: AwsError, xmlns: string, requestId: string): string {
  return `<ErrorResponse xmlns="${xmlns}"><Error><Type>${error.fault}</Type>${xmlContent({ Code: error.code, Message: error.message }, 'member')}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function ec2Response(action: string, result: Record<string, XmlValue>, requestId: string): string {
  return `<${action}Response xmlns="${EC2_XMLNS}"><requestId>${requestId}</requestId>${xmlContent(result, 'item')}</${action}Response>`;
}

export function ec2Error(error: AwsError, requestId: string): string {
  return `<Response><Errors><Error>${xmlContent({ Code: error.code, Message: error.message }, 'item')}</Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
