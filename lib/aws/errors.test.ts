import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AccessDeniedError,
  CredentialsError,
  EndpointUnreachableError,
  ExpiredCredentialsError,
  normalizeAwsError,
  NotFoundError,
  RequestRejectedError,
  ThrottledError,
  UnexpectedAnswerError,
} from './errors';

const sdkError = (name: string, message = 'something') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

describe('normalizeAwsError', () => {
  it.each([
    [sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), CredentialsError, 'No AWS credentials were found.'],
    [sdkError('InvalidClientTokenId'), CredentialsError, 'AWS did not recognize the credentials.'],
    [sdkError('ExpiredToken'), ExpiredCredentialsError, 'The AWS credentials have expired. Refresh them (for example `aws sso login`) and try again.'],
    [sdkError('AccessDenied', 'User: x is not authorized to perform: sts:AssumeRole'), AccessDeniedError, 'User: x is not authorized to perform: sts:AssumeRole'],
    [sdkError('Throttling', 'Rate exceeded'), ThrottledError, 'AWS is throttling requests (Rate exceeded).'],
    [sdkError('ValidationError', 'Stack with id x does not exist'), NotFoundError, 'Stack with id x does not exist'],
    [sdkError('ValidationError', 'No updates are to be performed.'), RequestRejectedError, 'No updates are to be performed.'],
    [sdkError('DBInstanceNotFoundFault', 'DBInstance lakerunner-db not found.'), NotFoundError, 'DBInstance lakerunner-db not found.'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), EndpointUnreachableError, 'The AWS endpoint could not be reached (ECONNREFUSED).'],
  ])('%s becomes the right class with a clear message', (error, Kind, message) => {
    const normalized = normalizeAwsError(error, 'DescribeStacks');
    expect(normalized).toBeInstanceOf(Kind);
    expect(normalized.message).toBe(message);
    expect(normalized.operation).toBe('DescribeStacks');
    expect(normalized.cause).toBe(error);
  });

  it('leaves an already normalized error as it is', () => {
    const error = new ThrottledError('x', 'ListStacks');
    expect(normalizeAwsError(error, 'Other')).toBe(error);
  });
});

// The SDK's real failures: each client talks to a tiny local server that answers as something
// other than AWS would (or as AWS does, to show those keep their own words).
type Answer = { status: number; type?: string; body?: string; headers?: Record<string, string> } | 'hang' | 'reset';

async function answering(answer: Answer) {
  const server = createServer((request, response) => {
    request.resume();
    if (answer === 'hang') return;
    if (answer === 'reset') return request.socket.destroy();
    response.writeHead(answer.status, { ...(answer.type ? { 'Content-Type': answer.type } : {}), ...answer.headers });
    response.end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const config = {
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
  };
  return {
    config,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const HTML_PAGE = '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>';
const CALLS = {
  GetServiceQuota: (config: object) => new ServiceQuotasClient(config).send(new GetServiceQuotaCommand({ ServiceCode: 'fargate', QuotaCode: 'L-3032A538' })),
  ListStacks: (config: object) => new CloudFormationClient(config).send(new ListStacksCommand({})),
  DescribeVpcs: (config: object) => new EC2Client(config).send(new DescribeVpcsCommand({})),
  ListObjectsV2: (config: object) => new S3Client({ ...config, forcePathStyle: true }).send(new ListObjectsV2Command({ Bucket: 'templates' })),
  HeadBucket: (config: object) => new S3Client({ ...config, forcePathStyle: true }).send(new HeadBucketCommand({ Bucket: 'templates' })),
} as const;

/** What the SDK threw for `operation` against a server giving `answer`, and that failure normalized. */
async function failure(operation: keyof typeof CALLS, answer: Answer) {
  const server = await answering(answer);
  try {
    await CALLS[operation](server.config);
  } catch (error) {
    return { raw: error as Error, normalized: normalizeAwsError(error, operation) };
  } finally {
    server.close();
  }
  throw new Error(`${operation} succeeded against ${JSON.stringify(answer)}`);
}

/** The SDK's internals that must never reach a user. */
const INTERNALS = /\$response|Unexpected token|not valid JSON|Deserialization|XML parse|@aws-sdk|@smithy|UnknownError|hidden field/;
const NOT_THIS_API = 'whatever answers there (an emulator without this service, or a proxy, gateway or sign-in page in the way) does not serve this AWS API.';

describe('normalizeAwsError on answers that are not AWS answers', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each<[keyof typeof CALLS, Answer, string]>([
    // Service Quotas speaks JSON: the SDK fails to parse the page ("Unexpected token '<'…").
    ['GetServiceQuota', { status: 404, type: 'text/html', body: HTML_PAGE }, `The endpoint answered GetServiceQuota with a web page (HTML, HTTP 404) instead of an AWS response: ${NOT_THIS_API}`],
    ['GetServiceQuota', { status: 200, type: 'text/html; charset=utf-8', body: HTML_PAGE }, `The endpoint answered GetServiceQuota with a web page (HTML, HTTP 200) instead of an AWS response: ${NOT_THIS_API}`],
    // CloudFormation and EC2 speak XML: an HTML error page becomes an error with no code ("Unknown").
    ['ListStacks', { status: 403, type: 'text/html', body: '<html><body>Sign in to continue</body></html>' }, `The endpoint answered ListStacks with a web page (HTML, HTTP 403) instead of an AWS response: ${NOT_THIS_API}`],
    ['DescribeVpcs', { status: 404, type: 'text/html', body: HTML_PAGE }, `The endpoint answered DescribeVpcs with a web page (HTML, HTTP 404) instead of an AWS response: ${NOT_THIS_API}`],
    // Something else's JSON where XML was expected: a deserialization failure.
    ['ListStacks', { status: 200, type: 'application/json', body: '{"status":"ok"}' }, `The endpoint answered ListStacks with something that is not an AWS response (HTTP 200): ${NOT_THIS_API}`],
    ['GetServiceQuota', { status: 200, type: 'application/x-amz-json-1.1', body: '{"Quota":' }, `The endpoint answered GetServiceQuota with something that is not an AWS response (HTTP 200): ${NOT_THIS_API}`],
    // An error status and nothing AWS would say.
    [
      'DescribeVpcs',
      { status: 502, type: 'text/plain', body: 'Bad Gateway' },
      'The endpoint answered DescribeVpcs with HTTP 502, a server error, without an AWS error code: a server or proxy between the console and AWS failed, or the endpoint does not serve this AWS API. Try again later; if it persists, check the endpoint the console uses.',
    ],
    [
      'ListStacks',
      { status: 502, type: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
      'The endpoint answered ListStacks with a web page (HTML, HTTP 502) instead of an AWS response: a server or proxy between the console and AWS failed, or the endpoint does not serve this AWS API. Try again later; if it persists, check the endpoint the console uses.',
    ],
    ['ListObjectsV2', { status: 404 }, `The endpoint answered ListObjectsV2 with HTTP 404 without an AWS error code: ${NOT_THIS_API}`],
  ])('%s answered %j says what happened in words', async (operation, answer, message) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { raw, normalized } = await failure(operation, answer);
    expect(normalized).toBeInstanceOf(UnexpectedAnswerError);
    expect(normalized.message).toBe(message);
    expect(normalized.message).not.toMatch(INTERNALS);
    expect(normalized.operation).toBe(operation);
    expect(normalized.cause).toBe(raw);
    // The SDK's own text is kept for whoever runs the console, in the server log.
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`AWS ${operation}: the endpoint answered`));
    expect(warn.mock.calls[0]![0]).toContain(raw.message.replace(/\s+/g, ' '));
  });

  it('says an endpoint that does not answer in time did not, and one that hangs up could not be reached', async () => {
    const slow = await failure('GetServiceQuota', 'hang');
    expect(slow.raw.name).toBe('TimeoutError');
    expect(slow.normalized).toBeInstanceOf(EndpointUnreachableError);
    expect(slow.normalized.message).toBe('The AWS endpoint did not answer in time: it is slow, overloaded or out of reach.');
    const reset = await failure('ListStacks', 'reset');
    expect(reset.raw.message).toBe('socket hang up');
    expect(reset.normalized).toBeInstanceOf(EndpointUnreachableError);
    expect(reset.normalized.message).toBe('The AWS endpoint could not be reached (ECONNRESET).');
  });

  it('keeps what AWS itself says when the answer is an AWS error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const denied = await failure('GetServiceQuota', {
      status: 400,
      type: 'application/x-amz-json-1.1',
      headers: { 'x-amzn-errortype': 'AccessDeniedException' },
      body: JSON.stringify({ __type: 'AccessDeniedException', message: 'You are not authorized to use Service Quotas.' }),
    });
    expect(denied.normalized).toBeInstanceOf(AccessDeniedError);
    expect(denied.normalized.message).toBe('You are not authorized to use Service Quotas.');
    const missing = await failure('ListStacks', {
      status: 400,
      type: 'text/xml',
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id lr-vpc does not exist</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
    });
    expect(missing.normalized).toBeInstanceOf(NotFoundError);
    expect(missing.normalized.message).toBe('Stack with id lr-vpc does not exist');
    // S3 answers HEAD with the status alone (no body can carry a code): that is AWS's answer too
    const bucket = await failure('HeadBucket', { status: 404 });
    expect(bucket.raw.name).toBe('NotFound');
    expect(bucket.normalized).toBeInstanceOf(NotFoundError);
    const forbidden = await failure('HeadBucket', { status: 403 });
    expect(forbidden.normalized).not.toBeInstanceOf(UnexpectedAnswerError);
    expect(warn).not.toHaveBeenCalled();
  });

  it('never takes a failure without an HTTP answer (the console\'s own bug) for the endpoint\'s', () => {
    const own = normalizeAwsError(new SyntaxError('Unexpected token < in JSON at position 0'), 'ListStacks');
    expect(own).toBeInstanceOf(RequestRejectedError);
  });
});
