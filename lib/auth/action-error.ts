// An expected refusal a server action or route reports to the user: a message, and optionally
// the form field it belongs to. Isomorphic, so lib code anywhere can throw it.
export class ActionError extends Error {
  override readonly name = 'ActionError';

  constructor(
    message: string,
    /** Form field key the message belongs to; omitted for a message about the whole form. */
    readonly field?: string,
    /** HTTP status a route handler answers with. */
    readonly status: number = 400,
  ) {
    super(message);
  }
}

export function isActionError(error: unknown): error is ActionError {
  return error instanceof Error && error.name === 'ActionError' && 'status' in error;
}
