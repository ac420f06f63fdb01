// The one error type every sandbox handler throws: an AWS error code, message and HTTP status,
// rendered by each protocol codec in the shape that protocol uses.
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** CloudFormation's catch-all client error. */
export const validationError = (message: string) => new AwsError('ValidationError', message);
