// AWS failures normalized once into a few named errors carrying the operation and the cause;
// the UI picks its words by class. Messages never include credentials.
import 'server-only';

export class AwsError extends Error {
  constructor(
    message: string,
    readonly operation: string,
    options?: { cause?: unknown },
    readonly code?: string,
  ) {
    super(message, options);
    this.name = 'AwsError';
  }
}

/** No usable credentials were found, or they were rejected as unknown. */
export class CredentialsError extends AwsError {
  override name = 'CredentialsError';
}
/** The caller is not allowed (including AssumeRole refused, e.g. a wrong ExternalId). */
export class AccessDeniedError extends AwsError {
  override name = 'AccessDeniedError';
}
export class ExpiredCredentialsError extends AwsError {
  override name = 'ExpiredCredentialsError';
}
export class ThrottledError extends AwsError {
  override name = 'ThrottledError';
}
/** CloudFormation says the stack (or change set) does not exist. */
export class NotFoundError extends AwsError {
  override name = 'NotFoundError';
}
/** AWS refused the request as invalid (ValidationError and friends): the message is AWS's own. */
export class RequestRejectedError extends AwsError {
  override name = 'RequestRejectedError';
}
/** The endpoint could not be reached at all, or did not answer in time. */
export class EndpointUnreachableError extends AwsError {
  override name = 'EndpointUnreachableError';
}
/**
 * The endpoint answered, but not as AWS does: a web page, a body that is not the API's JSON or
 * XML, or an HTTP error without an AWS error code. Usually an emulator without the service, or a
 * proxy, gateway or sign-in page in the way. The message says so in words; the SDK's own text
 * (parser errors, "inspect the hidden field {error}.$response") goes to the server log only.
 */
export class UnexpectedAnswerError extends AwsError {
  override name = 'UnexpectedAnswerError';
  constructor(
    message: string,
    operation: string,
    options: { cause?: unknown },
    code: string | undefined,
    /** What came back, as a phrase: "a web page (HTML, HTTP 404) instead of an AWS response". */
    readonly answer: string,
    /** What that means, as a phrase: "whatever answers there (…) does not serve this AWS API". */
    readonly meaning: string,
  ) {
    super(message, operation, options, code);
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);

type SdkFailure = {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: { code?: unknown };
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
};

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkFailure;
  for (const value of [e.Code, e.name, e.code]) if (typeof value === 'string' && value !== 'Error') return value;
  return undefined;
}

/** The socket-level code of a failure that never got an answer (ECONNREFUSED, ECONNRESET…), if that is what it was. */
function networkCodeOf(error: unknown): string | undefined {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkFailure;
  return [e.code, e.cause?.code, e.name].find((c): c is string => typeof c === 'string' && NETWORK_CODES.has(c));
}

const NOT_THIS_API = 'whatever answers there (an emulator without this service, or a proxy, gateway or sign-in page in the way) does not serve this AWS API';
const SERVER_FAILED =
  'a server or proxy between the console and AWS failed, or the endpoint does not serve this AWS API. Try again later; if it persists, check the endpoint the console uses';

/**
 * What an answer that is not AWS's looked like, as a phrase, and what that means; undefined when
 * the failure is an ordinary AWS error. Only failures that carry an HTTP answer (the SDK's
 * $response or $metadata) are considered, so a bug in the console's own code is never mistaken
 * for the endpoint's.
 */
function unexpectedAnswer(error: unknown, operation: string): { answer: string; meaning: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkFailure;
  const status = e.$response?.statusCode ?? e.$metadata?.httpStatusCode;
  if (status === undefined && !e.$response) return undefined;
  const headers = e.$response?.headers ?? {};
  const type = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-type')?.[1] ?? '';
  const text = typeof e.message === 'string' ? e.message : '';
  const http = status === undefined ? '' : `HTTP ${status}`;
  const unreadable = e.name === 'SyntaxError' || /Deserialization error|XML parse error|is not valid JSON|Unexpected (token|end of JSON)/i.test(text);
  const html = /html/i.test(type) || /Unexpected token '<'/.test(text);
  // The SDK names an error it found no AWS error code for after the HTTP status (Unknown,
  // NotFound…), with the message "Unknown" or "UnknownError".
  const uncoded = /^(Unknown|UnknownError)?$/.test(text);
  // An answer to HEAD has no body to carry an error code: S3's HeadBucket and HeadObject say
  // 404 NotFound or 403 Forbidden with the status alone, and the SDK names the error after it.
  const headAnswer = /^Head/.test(operation) && !html && status !== undefined && status < 500;
  if (!unreadable && !(uncoded && status !== undefined && status >= 400 && !headAnswer)) return undefined;
  const meaning = status !== undefined && status >= 500 ? SERVER_FAILED : NOT_THIS_API;
  if (html) return { answer: `a web page (HTML${http ? `, ${http}` : ''}) instead of an AWS response`, meaning };
  if (status !== undefined && status >= 500) return { answer: `${http}, a server error, without an AWS error code`, meaning };
  if (unreadable) return { answer: `something that is not an AWS response${http ? ` (${http})` : ''}`, meaning };
  return { answer: `${http} without an AWS error code`, meaning };
}

/** Turns anything an AWS SDK call threw into one of the classes above. */
export function normalizeAwsError(error: unknown, operation: string): AwsError {
  if (error instanceof AwsError) return error;
  const code = codeOf(error) ?? 'Unknown';
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw || code;
  const make = <T extends AwsError>(Kind: new (m: string, o: string, c?: { cause?: unknown }, code?: string) => T, text = message) =>
    new Kind(text, operation, { cause: error }, code);

  const network = networkCodeOf(error);
  if (code === 'TimeoutError' && network !== 'ECONNRESET')
    return make(EndpointUnreachableError, 'The AWS endpoint did not answer in time: it is slow, overloaded or out of reach.');
  if (network) return make(EndpointUnreachableError, `The AWS endpoint could not be reached (${network}).`);
  const unexpected = unexpectedAnswer(error, operation);
  if (unexpected) {
    // The SDK's own words (parser errors, where it keeps the raw response) help whoever runs the
    // console, not the person reading the page: they go to the server log.
    console.warn(`AWS ${operation}: the endpoint answered ${unexpected.answer}. ${raw.replace(/\s+/g, ' ')}`);
    const text = `The endpoint answered ${operation} with ${unexpected.answer}: ${unexpected.meaning}.`;
    return new UnexpectedAnswerError(text, operation, { cause: error }, code, unexpected.answer, unexpected.meaning);
  }
  if (code === 'CredentialsProviderError' || code === 'InvalidClientTokenId' || code === 'UnrecognizedClientException')
    return make(CredentialsError, code === 'CredentialsProviderError' ? 'No AWS credentials were found.' : 'AWS did not recognize the credentials.');
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || code === 'RequestExpired')
    return make(ExpiredCredentialsError, 'The AWS credentials have expired. Refresh them (for example `aws sso login`) and try again.');
  if (code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'UnauthorizedOperation') return make(AccessDeniedError);
  if (THROTTLING.has(code)) return make(ThrottledError, 'AWS is throttling requests (Rate exceeded).');
  if (code === 'ValidationError' && /does not exist/.test(message)) return make(NotFoundError);
  if (code === 'ChangeSetNotFound' || code === 'ChangeSetNotFoundException' || code === 'StackNotFoundException') return make(NotFoundError);
  if (code === 'DBInstanceNotFound' || code === 'DBInstanceNotFoundFault') return make(NotFoundError);
  if (code === 'InvalidVpcID.NotFound' || code === 'InvalidSubnetID.NotFound' || code === 'NoSuchBucket') return make(NotFoundError);
  if (code === 'NotFound' && /^Head/.test(operation)) return make(NotFoundError, `${operation}: not found.`);
  return make(RequestRejectedError);
}

/**
 * A failure as one sentence for the page: which call failed and why ("CreateChangeSet failed:
 * Template format error…"), or the message alone when it already names what happened.
 */
export function describeAwsFailure(error: AwsError): string {
  if (error instanceof UnexpectedAnswerError || error instanceof EndpointUnreachableError) return error.message;
  return `${error.operation} failed: ${error.message}`;
}

/** Runs an AWS call and rethrows its failure normalized. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw normalizeAwsError(error, operation);
  }
}
