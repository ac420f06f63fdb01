// Every server action is made by defineAction: it re-checks the session and role, validates the
// input with the action's zod schema (errors keyed like the form's fields), writes the audit entry
// and turns every failure into an ActionResult, so no action can forget a check or leak a trace.
import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { entriesToObject } from './entries';
import { audit, type AuditAction, type AuditDetails } from '@/lib/store/audit';
import { isStoreUnavailable } from '@/lib/store/errors';
import { isActionError } from './action-error';
import { fieldErrorsOf } from './field-errors';
import { getClient, getIdentity } from './current';
import { FORBIDDEN, PASSWORD_CHANGE_REQUIRED, SERVER_FAILED, SIGN_IN_REQUIRED } from './messages';
import type { Access } from './policy';
import { allows } from './policy';
import type { User } from './users';

export type ActionResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly formError?: string; readonly fieldErrors?: Readonly<Record<string, string>> };

export interface ActionContext<R extends Access> {
  readonly user: R extends 'public' ? User | undefined : User;
  readonly client: string;
  /** The caller's session cookie value, when signed in with one. Never send it to the browser. */
  readonly sessionToken: string | undefined;
  /** Target and details for the action's audit entry (see ActionOptions.audit). */
  readonly auditEntry: (entry: { readonly target?: string; readonly details?: AuditDetails }) => void;
}

export interface ActionOptions<S extends z.core.$ZodType, R extends Access> {
  readonly role: R;
  readonly schema: S;
  /**
   * The audit entry written after the handler succeeds, with the signed-in user as actor. The
   * handler names its target and details through context.auditEntry().
   */
  readonly audit?: AuditAction;
  /** Allowed while the user must still replace a one-time password (changing it, signing out). */
  readonly duringPasswordChange?: boolean;
}

/** Callable directly with values or FormData, or as a useActionState action. */
export interface Action<I, T> {
  (input: I | FormData): Promise<ActionResult<T>>;
  (previous: ActionResult<T> | null, input: FormData): Promise<ActionResult<T>>;
}

/** FormData to a plain object; repeated keys become arrays, files and Next's own keys are left out. */
export function formDataToObject(form: FormData): Record<string, string | string[]> {
  return entriesToObject([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string' && !e[0].startsWith('$ACTION')));
}

function readInput(args: unknown[]): unknown {
  const input = args.length >= 2 ? args[1] : args[0];
  return input instanceof FormData ? formDataToObject(input) : input;
}

export function defineAction<S extends z.core.$ZodType, R extends Access, T>(
  options: ActionOptions<S, R>,
  handler: (input: z.output<S>, context: ActionContext<R>) => Promise<T>,
): Action<z.input<S>, T> {
  const run = async (...args: unknown[]): Promise<ActionResult<T>> => {
    try {
      const identity = await getIdentity();
      if (options.role !== 'public') {
        if (!identity) return { ok: false, formError: SIGN_IN_REQUIRED };
        if (!allows(options.role, identity.user.role)) return { ok: false, formError: FORBIDDEN };
        if (identity.user.mustChangePassword && !options.duringPasswordChange) {
          return { ok: false, formError: PASSWORD_CHANGE_REQUIRED };
        }
      }
      const parsed = await z.safeParseAsync(options.schema, readInput(args));
      if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
      let described: { readonly target?: string; readonly details?: AuditDetails } = {};
      const context = {
        user: identity?.user,
        client: await getClient(),
        sessionToken: identity?.token,
        auditEntry: (entry) => {
          described = entry;
        },
      } as ActionContext<R>;
      const data = await handler(parsed.data, context);
      if (options.audit) {
        await audit({ actor: identity?.user.username ?? 'anonymous', action: options.audit, ...described, client: context.client });
      }
      return { ok: true, data };
    } catch (error) {
      unstable_rethrow(error);
      if (isActionError(error)) {
        return error.field ? { ok: false, fieldErrors: { [error.field]: error.message } } : { ok: false, formError: error.message };
      }
      if (isStoreUnavailable(error)) {
        console.error(error.message);
        return { ok: false, formError: error.message };
      }
      console.error('Server action failed:', error);
      return { ok: false, formError: SERVER_FAILED };
    }
  };
  return run as Action<z.input<S>, T>;
}
