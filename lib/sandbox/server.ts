// The sandbox's HTTP front door: tells the protocols apart (query, JSON 1.1, S3 REST, the
// /_sandbox control API), verifies SigV4 and so learns the caller's account, counts and throttles
// calls, dispatches to that account's state, and renders errors exactly the way each protocol
// carries them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Directory, RoleSeed } from './auth/directory';
import type { Identity, UserConfig } from './auth/identity';
import { headerValue, parseAuthorization, verifySignature, type AuthFailure } from './auth/sigv4';
import type { Clock } from './core/clock';
import { AwsError } from './core/errors';
import type { Faults, Quirks, ResourceFault, ThrottleRule } from './core/faults';
import type { QuotaSetting, Quotas } from './core/quotas';
import { uuid } from './core/ids';
import { regionState, type SandboxState } from './core/state';
import type { Placement, SeedController } from './seed';
import { CFN_ACTIONS, CFN_XMLNS } from './cfn/api';
import type { Engine } from './cfn/engine';
import { ec2Error, ec2Response, nestQuery, queryError, queryResponse, type QueryParams } from './protocols/query';
import { handleEc2 } from './services/ec2';
import { handleEcr, type RepositorySeed } from './services/ecr';
import { handleEcs, type ClusterSeed } from './services/ecs';
import type { VpcSeed } from './services/network';
import { handleS3, s3Action, s3ErrorBody, s3Target } from './services/s3';
import { handleRds, RDS_VERSION, RDS_XMLNS } from './services/rds';
import { handleSecretsManager } from './services/secretsmanager';
import { handleServiceQuotas } from './services/servicequotas';
import { STS_ACTIONS, STS_XMLNS } from './services/sts';

export interface ServerCore {
  world: SandboxState;
  engine: Engine;
  clock: Clock;
  faults: Faults;
  quotas: Quotas;
  directory: Directory;
  seed: SeedController;
  controlToken?: string;
  defaultRegion: string;
  metrics: Map<string, number>;
  endpointHost(): string;
  changed(): void;
}

type Protocol = 'query' | 'ec2' | 'json' | 's3';

const BODY_LIMIT = 16 * 1024 * 1024;
const VERSIONS: Record<string, string> = { '2010-05-15': 'cloudformation', '2011-06-15': 'sts', '2016-11-15': 'ec2', [RDS_VERSION]: 'rds' };
const READ_ONLY = /^(Describe|List|Get|Validate|Head)/;
/** JSON 1.1 services by their x-amz-target prefix. */
const TARGETS: Record<string, string> = {
  secretsmanager: 'secretsmanager',
  ServiceQuotasV20190624: 'servicequotas',
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new AwsError('RequestEntityTooLarge', 'Request body too large', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** What each protocol answers for each authentication failure. */
function authError(protocol: Protocol, failure: AuthFailure): AwsError {
  const invalidToken = 'The security token included in the request is invalid.';
  const mismatch =
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
  if (protocol === 's3') {
    switch (failure) {
      case 'missing':
        return new AwsError('AccessDenied', 'Access Denied', 403);
      case 'malformed':
        return new AwsError('AuthorizationHeaderMalformed', 'The authorization header is malformed.', 400);
      case 'unknown-key':
        return new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
      case 'bad-token':
        return new AwsError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
      case 'expired':
        return new AwsError('ExpiredToken', 'The provided token has expired.', 400);
      default:
        return new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403);
    }
  }
  const json = protocol === 'json';
  switch (failure) {
    case 'missing':
      return json
        ? new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403)
        : new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 'malformed':
      return new AwsError(json ? 'IncompleteSignatureException' : 'IncompleteSignature', 'The request signature does not conform to AWS standards.', 400);
    case 'unknown-key':
      if (protocol === 'ec2') return new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
      return new AwsError(json ? 'UnrecognizedClientException' : 'InvalidClientTokenId', invalidToken, 403);
    case 'bad-token':
      return new AwsError(json ? 'UnrecognizedClientException' : 'InvalidClientTokenId', invalidToken, 403);
    case 'expired':
      return new AwsError(json ? 'ExpiredTokenException' : 'ExpiredToken', 'The security token included in the request is expired', 403);
    default:
      return new AwsError(json ? 'InvalidSignatureException' : 'SignatureDoesNotMatch', mismatch, 403);
  }
}

function throttleError(protocol: Protocol): AwsError {
  if (protocol === 'json') return new AwsError('ThrottlingException', 'Rate exceeded', 400);
  if (protocol === 'ec2') return new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
  if (protocol === 's3') return new AwsError('SlowDown', 'Please reduce your request rate.', 503);
  return new AwsError('Throttling', 'Rate exceeded', 400);
}

export function createHandler(core: ServerCore) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = uuid();
    const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2) as [string, string?];
    try {
      if (rawPath === '/_sandbox' || rawPath.startsWith('/_sandbox/')) return await control(core, req, res, rawPath);
      await aws(core, req, res, rawPath, rawQuery ?? '', requestId);
    } catch (error) {
      if (!res.headersSent) {
        const status = error instanceof AwsError ? error.status : 500;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(error instanceof AwsError ? error.message : 'Internal sandbox error');
      }
      if (!(error instanceof AwsError)) console.error('[sandbox] internal error', error);
    }
  };
}

async function aws(core: ServerCore, req: IncomingMessage, res: ServerResponse, rawPath: string, rawQuery: string, requestId: string) {
  const body = await readBody(req);
  const target = headerValue(req.headers, 'x-amz-target');
  const contentType = headerValue(req.headers, 'content-type') ?? '';
  const auth = parseAuthorization(headerValue(req.headers, 'authorization'));
  const scope = auth && !auth.malformed ? auth.credential : undefined;

  let protocol: Protocol;
  let service: string;
  let action: string;
  let params: QueryParams = {};
  let json: Record<string, unknown> = {};
  let s3: { bucket?: string; key?: string } = {};
  let s3Problem: AwsError | undefined;
  if (target) {
    protocol = 'json';
    const [prefix, name] = target.split('.', 2);
    service = TARGETS[prefix ?? ''] ?? scope?.service ?? prefix ?? '';
    action = name ?? '';
  } else if (req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded') && rawPath === '/') {
    params = nestQuery(new URLSearchParams(body.toString('utf8')));
    action = typeof params.Action === 'string' ? params.Action : '';
    service = scope?.service ?? VERSIONS[typeof params.Version === 'string' ? params.Version : ''] ?? '';
    protocol = service === 'ec2' ? 'ec2' : 'query';
  } else {
    protocol = 's3';
    service = 's3';
    try {
      s3 = s3Target(headerValue(req.headers, 'host') ?? '', rawPath, core.endpointHost());
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      s3Problem = error;
    }
    action = s3Action({ method: req.method ?? 'GET', bucket: s3.bucket, key: s3.key, query: new URLSearchParams(rawQuery) });
  }
  const metric = `${service}.${action}`;
  core.metrics.set(metric, (core.metrics.get(metric) ?? 0) + 1);

  const send = (status: number, headers: Record<string, string>, payload?: string | Buffer) => {
    res.writeHead(status, { 'x-amzn-requestid': requestId, 'x-amz-request-id': requestId, ...headers });
    res.end(req.method === 'HEAD' ? undefined : payload);
  };
  const fail = (error: AwsError) => {
    switch (protocol) {
      case 'json':
        return send(error.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.code }, JSON.stringify({ __type: error.code, message: error.message }));
      case 'ec2':
        return send(error.status, { 'content-type': 'text/xml;charset=UTF-8' }, ec2Error(error, requestId));
      case 's3':
        return send(error.status, { 'content-type': 'application/xml' }, s3ErrorBody(error, requestId));
      default:
        return send(error.status, { 'content-type': 'text/xml' }, queryError(error, service === 'sts' ? STS_XMLNS : service === 'rds' ? RDS_XMLNS : CFN_XMLNS, requestId));
    }
  };

  const verified = await verifySignature(
    { method: req.method ?? 'GET', path: rawPath, rawQuery, headers: req.headers, body },
    (key) => core.directory.lookup(key),
    core.clock.now(),
  );
  if (!verified.ok) return fail(authError(protocol, verified.failure));
  const identity: Identity = verified.lookup.identity;
  const region = verified.credential.region;
  const account = identity.account;
  if (core.faults.shouldThrottle(service, action)) return fail(throttleError(protocol));

  try {
    if (protocol === 'json') {
      if (!Object.values(TARGETS).includes(service)) throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
      try {
        json = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      const r = () => regionState(core.world, account, region);
      const result =
        service === 'servicequotas'
          ? handleServiceQuotas(action, json, core.quotas, region, account)
          : service === 'ecs'
            ? handleEcs(action, json, r(), region, account)
            : service === 'ecr'
              ? handleEcr(action, json, { account, callerArn: identity.arn, region, regionOf: (other) => regionState(core.world, other, region) })
              : handleSecretsManager(action, json, r(), region, account);
      if (!READ_ONLY.test(action)) core.changed();
      return send(200, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify(result));
    }
    if (protocol === 'ec2') {
      const result = handleEc2(action, params, regionState(core.world, account, region), region, account);
      return send(200, { 'content-type': 'text/xml;charset=UTF-8' }, ec2Response(action, result, requestId));
    }
    if (protocol === 's3') {
      if (s3Problem) throw s3Problem;
      const { bucket, key } = s3;
      const sha = headerValue(req.headers, 'x-amz-content-sha256');
      if (sha && /^[0-9a-f]{64}$/.test(sha)) {
        if (createHash('sha256').update(body).digest('hex') !== sha) {
          throw new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
        }
      }
      const result = handleS3({ method: req.method ?? 'GET', bucket, key, query: new URLSearchParams(rawQuery), headers: req.headers, body, region, account }, core.world);
      if (req.method !== 'GET' && req.method !== 'HEAD') core.changed();
      return send(result.status, result.headers, result.body);
    }
    if (service === 'cloudformation') {
      const handler = CFN_ACTIONS[action];
      if (!handler) throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2010-05-15`);
      const result = handler({ world: core.world, region, engine: core.engine, clock: core.clock, faults: core.faults, identity, endpointHost: core.endpointHost() }, params);
      if (!READ_ONLY.test(action)) core.changed();
      return send(200, { 'content-type': 'text/xml' }, queryResponse(action, CFN_XMLNS, result, requestId));
    }
    if (service === 'sts') {
      const handler = STS_ACTIONS[action];
      if (!handler) throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
      const result = handler({ world: core.world, identity, directory: core.directory, now: core.clock.now(), changed: core.changed }, params);
      return send(200, { 'content-type': 'text/xml' }, queryResponse(action, STS_XMLNS, result, requestId));
    }
    if (service === 'rds') {
      const result = handleRds(action, params, regionState(core.world, account, region), region, account);
      return send(200, { 'content-type': 'text/xml' }, queryResponse(action, RDS_XMLNS, result, requestId));
    }
    throw new AwsError('InvalidAction', `The sandbox does not serve ${service || 'this service'}.`);
  } catch (error) {
    if (error instanceof AwsError) return fail(error);
    console.error('[sandbox] internal error in', metric, error);
    return fail(new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver'));
  }
}

// ---------------------------------------------------------------- control API

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function control(core: ServerCore, req: IncomingMessage, res: ServerResponse, rawPath: string) {
  const reply = (status: number, payload?: unknown) => {
    res.writeHead(status, payload === undefined ? {} : { 'content-type': 'application/json' });
    res.end(payload === undefined ? undefined : JSON.stringify(payload));
  };
  if (!core.controlToken) return reply(404, { error: 'Not found' });
  if (!tokenMatches(headerValue(req.headers, 'authorization'), core.controlToken)) return reply(401, { error: 'A valid bearer token is required' });
  const raw = await readBody(req);
  let body: Record<string, unknown> = {};
  if (raw.length) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(400, { error: 'Body must be JSON' });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return reply(400, { error: 'Body must be a JSON object' });
    body = parsed as Record<string, unknown>;
  }
  const removed = (done: boolean, what: string) => (done ? reply(204) : reply(404, { error: `No such ${what}` }));
  const route = `${req.method} ${rawPath.replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'GET /_sandbox/health':
        return reply(200, { ok: true, timeScale: core.clock.scale, region: core.defaultRegion });
      case 'GET /_sandbox/metrics':
        return reply(200, Object.fromEntries(core.metrics));
      case 'POST /_sandbox/faults':
        core.faults.failResource(body as unknown as ResourceFault);
        return reply(204);
      case 'DELETE /_sandbox/faults':
        core.faults.clear();
        return reply(204);
      case 'POST /_sandbox/quirks':
        core.faults.emulate(body as Quirks);
        return reply(204);
      case 'POST /_sandbox/quotas':
        core.quotas.set(body as unknown as QuotaSetting);
        return reply(204);
      case 'DELETE /_sandbox/quotas':
        core.quotas.reset();
        return reply(204);
      case 'GET /_sandbox/accounts':
        return reply(200, core.seed.accounts());
      case 'POST /_sandbox/accounts':
        core.seed.account(body as unknown as UserConfig);
        return reply(204);
      case 'POST /_sandbox/roles':
        core.seed.role(body as unknown as RoleSeed);
        return reply(204);
      case 'DELETE /_sandbox/roles':
        return removed(core.seed.removeRole(String(body.arn)), 'seeded role');
      case 'POST /_sandbox/network':
        return reply(200, core.seed.network(body as unknown as VpcSeed & Placement));
      case 'POST /_sandbox/ecs/clusters':
        return reply(200, core.seed.cluster(body as unknown as ClusterSeed & Placement));
      case 'DELETE /_sandbox/ecs/clusters':
        return removed(core.seed.removeCluster(body as unknown as { clusterName: string } & Placement), 'seeded cluster');
      case 'POST /_sandbox/ecr/repositories':
        return reply(200, core.seed.repository(body as unknown as RepositorySeed & Placement));
      case 'DELETE /_sandbox/ecr/repositories':
        return removed(core.seed.removeRepository(body as unknown as { repositoryName: string } & Placement), 'repository');
      case 'POST /_sandbox/throttle':
        core.faults.throttle(body as unknown as ThrottleRule);
        return reply(204);
      case 'POST /_sandbox/time-scale': {
        const scale = Number(body.scale);
        if (!Number.isFinite(scale) || scale < 0 || scale > 100) return reply(400, { error: 'scale must be a number from 0 to 100' });
        core.clock.scale = scale;
        return reply(204);
      }
      default:
        return reply(404, { error: 'Not found' });
    }
  } catch (error) {
    return reply(400, { error: (error as Error).message });
  }
}

