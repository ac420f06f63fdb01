// Every route handler that is not public is made by defineRoute: it re-checks the session and
// role, parses path params, query and JSON body with zod in one place (400 with field errors), and
// maps failures to clear JSON statuses: 401, 403, 400, 413, 415, 503. Never a stack trace.
import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { errorResponse } from '@/lib/http/responses';
import { isStoreUnavailable } from '@/lib/store/errors';
import { isActionError } from './action-error';
import { fieldErrorsOf } from './field-errors';
import { getClient, getIdentity } from './current';
import { entriesToObject } from './entries';
import { FORBIDDEN, INVALID_REQUEST, PASSWORD_CHANGE_REQUIRED, SERVER_FAILED, SIGN_IN_REQUIRED } from './messages';
import { allows, type Access } from './policy';
import type { User } from './users';

type Parsed<S> = S extends z.core.$ZodType ? z.output<S> : undefined;

export interface RouteOptions<R extends Access, P, Q, B> {
  readonly role: R;
  readonly params?: P;
  readonly query?: Q;
  /** A JSON body (Content-Type application/json), at most maxBodyBytes. */
  readonly body?: B;
  readonly maxBodyBytes?: number;
  /** Allowed while the user must still replace a one-time password (signing out). */
  readonly duringPasswordChange?: boolean;
}

export interface RouteContext<R extends Access> {
  readonly user: R extends 'public' ? User | undefined : User;
  readonly client: string;
  readonly request: Request;
  /** The caller's session cookie value, when signed in with one. Never send it to the browser. */
  readonly sessionToken: string | undefined;
}

export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[] | undefined>> },
) => Promise<Response>;

const DEFAULT_MAX_BODY = 1024 * 1024;

const problem = errorResponse;

const tooLarge = (limit: number) => problem(413, `The body is larger than ${limit} bytes.`);

/**
 * The body, counted as it streams in: reading stops (and the rest is not read) as soon as it
 * passes `limit`, whatever Content-Length said or did not say.
 */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

async function readJson(request: Request, limit: number): Promise<{ value: unknown } | Response> {
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
    return problem(415, 'Send the body as JSON (Content-Type: application/json).');
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) return tooLarge(limit);
  const bytes = await readLimited(request, limit);
  if (!bytes) return tooLarge(limit);
  try {
    return { value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown };
  } catch {
    return problem(400, INVALID_REQUEST, { _form: 'The body is not valid JSON.' });
  }
}

export function defineRoute<
  R extends Access,
  P extends z.core.$ZodType | undefined = undefined,
  Q extends z.core.$ZodType | undefined = undefined,
  B extends z.core.$ZodType | undefined = undefined,
>(
  options: RouteOptions<R, P, Q, B>,
  handler: (input: { params: Parsed<P>; query: Parsed<Q>; body: Parsed<B> }, context: RouteContext<R>) => Promise<Response>,
): RouteHandler {
  return async (request, { params }) => {
    try {
      const identity = await getIdentity();
      if (options.role !== 'public') {
        if (!identity) return problem(401, SIGN_IN_REQUIRED);
        if (!allows(options.role, identity.user.role)) return problem(403, FORBIDDEN);
        if (identity.user.mustChangePassword && !options.duringPasswordChange) return problem(403, PASSWORD_CHANGE_REQUIRED);
      }
      const fieldErrors = Object.create(null) as Record<string, string>;
      const parse = async (schema: z.core.$ZodType | undefined, value: unknown) => {
        if (!schema) return undefined;
        const result = await z.safeParseAsync(schema, value);
        if (result.success) return result.data;
        for (const [key, message] of Object.entries(fieldErrorsOf(result.error))) fieldErrors[key] ??= message;
        return undefined;
      };
      let bodyValue: unknown;
      if (options.body) {
        const read = await readJson(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY);
        if (read instanceof Response) return read;
        bodyValue = read.value;
      }
      const input = {
        params: await parse(options.params, await params),
        query: await parse(options.query, entriesToObject(new URL(request.url).searchParams.entries())),
        body: await parse(options.body, bodyValue),
      };
      if (Object.keys(fieldErrors).length > 0) return problem(400, INVALID_REQUEST, { ...fieldErrors });
      const context = { user: identity?.user, client: await getClient(), request, sessionToken: identity?.token } as RouteContext<R>;
      return await handler(input as { params: Parsed<P>; query: Parsed<Q>; body: Parsed<B> }, context);
    } catch (error) {
      unstable_rethrow(error);
      if (isActionError(error)) return problem(error.status, error.message, error.field ? { [error.field]: error.message } : undefined);
      if (isStoreUnavailable(error)) {
        console.error(error.message);
        return problem(503, error.message);
      }
      console.error('Route handler failed:', error);
      return problem(500, SERVER_FAILED);
    }
  };
}
