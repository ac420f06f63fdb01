// Small helpers that keep route handlers thin: bounded JSON body parsing and the uniform
// error shape `{ error, fieldErrors? }` that the forms map back onto their fields.
import type { FieldErrors } from '@/lib/params/schema';

export const DEFAULT_BODY_LIMIT = 256 * 1024;

export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export const errorResponse = (status: number, error: string, fieldErrors?: FieldErrors) =>
  Response.json(fieldErrors ? { error, fieldErrors } : { error }, { status, headers: { 'Cache-Control': 'no-store' } });

export const invalid = (fieldErrors: FieldErrors) => errorResponse(400, 'Some values are not valid; see the fields.', fieldErrors);

/** Reads a JSON object body of at most `limit` bytes, or throws a RequestError (400/413/415). */
export async function readJsonBody(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) throw new RequestError(415, 'Send the request body as application/json.');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new RequestError(413, `The request body is larger than ${limit.toLocaleString('en-US')} bytes.`);
  const text = await request.text();
  if (new TextEncoder().encode(text).length > limit) throw new RequestError(413, `The request body is larger than ${limit.toLocaleString('en-US')} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RequestError(400, 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestError(400, 'The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** Runs a handler, turning RequestErrors into their responses. Anything else is a real bug and propagates. */
export async function handle(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RequestError) return errorResponse(error.status, error.message, error.fieldErrors);
    throw error;
  }
}

export function attachment(bytes: Uint8Array | string, fileName: string, contentType: string): Response {
  const body = typeof bytes === 'string' ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]);
  return new Response(body, {
    headers: {
      'Content-Type': contentType,
      'Content-Disposition': `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'Cache-Control': 'no-store',
    },
  });
}
