import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  CredentialsError,
  EndpointUnreachableError,
  ExpiredCredentialsError,
  normalizeAwsError,
  NotFoundError,
  RequestRejectedError,
  ThrottledError,
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
