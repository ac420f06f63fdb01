// The trust policies of roles that stacks create: AssumeRole on such a role succeeds only when
// its AssumeRolePolicyDocument allows the caller, with the ExternalId its condition asks for.
// That is the part of IAM a deploy role depends on. Permission policies are not evaluated (see
// README); a condition other than StringEquals on sts:ExternalId is never taken to grant access.
import { isObject, listOf, type JsonObject } from '../cfn/json';
import type { Identity } from './identity';

export interface AssumeRequest {
  caller: Identity;
  externalId: string | undefined;
}

function statementsOf(document: unknown): JsonObject[] {
  let parsed = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [];
    }
  }
  return isObject(parsed) ? listOf(parsed.Statement).filter(isObject) : [];
}

/** The role an assumed-role session acts for, by account and name (the session ARN has no path). */
const SESSION_ARN = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;
const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

function principalMatches(principal: string, caller: Identity): boolean {
  if (principal === '*' || principal === caller.arn) return true;
  if (principal === caller.account || principal === `arn:aws:iam::${caller.account}:root`) return true;
  const session = SESSION_ARN.exec(caller.arn);
  const role = ROLE_ARN.exec(principal);
  return session !== null && role !== null && session[1] === role[1] && session[2] === role[2];
}

function principalsMatch(statement: JsonObject, caller: Identity): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  return isObject(principal) && listOf(principal.AWS).some((p) => typeof p === 'string' && principalMatches(p, caller));
}

function actionsMatch(statement: JsonObject): boolean {
  return listOf(statement.Action).some((a) => typeof a === 'string' && ['sts:assumerole', 'sts:*', '*'].includes(a.toLowerCase()));
}

/** true, false, or undefined when the condition uses an operator or key the sandbox does not model. */
function conditionsHold(statement: JsonObject, externalId: string | undefined): boolean | undefined {
  const condition = statement.Condition;
  if (condition === undefined) return true;
  if (!isObject(condition)) return undefined;
  let holds: boolean | undefined = true;
  for (const [operator, keys] of Object.entries(condition)) {
    if (operator !== 'StringEquals' || !isObject(keys)) return undefined;
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() !== 'sts:externalid') return undefined;
      if (externalId === undefined || !listOf(values).includes(externalId)) holds = false;
    }
  }
  return holds;
}

/**
 * Whether a trust policy lets the caller assume the role: an Allow statement applies and no Deny
 * does. A condition the sandbox does not model keeps an Allow from applying and makes a Deny apply.
 */
export function trustAllows(document: unknown, request: AssumeRequest): boolean {
  const relevant = statementsOf(document).filter((s) => principalsMatch(s, request.caller) && actionsMatch(s));
  const applies = (s: JsonObject, unknown: boolean) => conditionsHold(s, request.externalId) ?? unknown;
  return relevant.some((s) => s.Effect === 'Allow' && applies(s, false)) && !relevant.some((s) => s.Effect === 'Deny' && applies(s, true));
}
