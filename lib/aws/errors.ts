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
/** The endpoint could not be reached at all. */
export class EndpointUnreachableError extends AwsError {
  override name = 'EndpointUnreachableError';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH']);
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const value of [e.Code, e.name, e.code]) if (typeof value === 'string' && value !== 'Error') return value;
  return undefined;
}

/** Turns anything an AWS SDK call threw into one of the classes above. */
export function normalizeAwsError(error: unknown, operation: string): AwsError {
  if (error instanceof AwsError) return error;
  const code = codeOf(error) ?? 'Unknown';
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw || code;
  const make = <T extends AwsError>(Kind: new (m: string, o: string, c?: { cause?: unknown }, code?: string) => T, text = message) =>
    new Kind(text, operation, { cause: error }, code);

  if (NETWORK_CODES.has(code) || (error as { cause?: { code?: string } })?.cause?.code === 'ECONNREFUSED')
    return make(EndpointUnreachableError, `The AWS endpoint could not be reached (${code}).`);
  if (code === 'CredentialsProviderError' || code === 'InvalidClientTokenId' || code === 'UnrecognizedClientException')
    return make(CredentialsError, code === 'CredentialsProviderError' ? 'No AWS credentials were found.' : 'AWS did not recognize the credentials.');
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || code === 'RequestExpired')
    return make(ExpiredCredentialsError, 'The AWS credentials have expired. Refresh them (for example `aws sso login`) and try again.');
  if (code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'UnauthorizedOperation') return make(AccessDeniedError);
  if (THROTTLING.has(code)) return make(ThrottledError, 'AWS is throttling requests (Rate exceeded).');
  if (code === 'ValidationError' && /does not exist/.test(message)) return make(NotFoundError);
  if (code === 'ChangeSetNotFound' || code === 'ChangeSetNotFoundException' || code === 'StackNotFoundException') return make(NotFoundError);
  if (code === 'DBInstanceNotFound' || code === 'DBInstanceNotFoundFault') return make(NotFoundError);
  return make(RequestRejectedError);
}

/** Runs an AWS call and rethrows its failure normalized. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw normalizeAwsError(error, operation);
  }
}
