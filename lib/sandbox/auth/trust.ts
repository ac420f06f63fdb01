// The trust policies of roles that stacks create: AssumeRole on such a role succeeds only when
// its AssumeRolePolicyDocument allows the caller, with the ExternalId its condition asks for.
// That is the part of IAM a deploy role depends on. Permission policies are not evaluated (see
// README); a condition other than StringEquals on sts:ExternalId is never taken to grant access.
import type { Identity } from './identity';

export interface AssumeRequest {
  caller: Identity;
  externalId: string | undefined;
}

type Statement = Record<string, unknown>;

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function statementsOf(document: unknown): Statement[] {
  let parsed = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [];
    }
  }
  if (parsed === null || typeof parsed !== 'object') return [];
  return list((parsed as Record<string, unknown>).Statement).filter((s): s is Statement => s !== null && typeof s === 'object');
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

function principalsMatch(statement: Statement, caller: Identity): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  return list((principal as Record<string, unknown>).AWS).some((p) => typeof p === 'string' && principalMatches(p, caller));
}

function actionsMatch(statement: Statement): boolean {
  return list(statement.Action).some((a) => typeof a === 'string' && ['sts:assumerole', 'sts:*', '*'].includes(a.toLowerCase()));
}

/** true, false, or undefined when the condition uses an operator or key the sandbox does not model. */
function conditionsHold(statement: Statement, externalId: string | undefined): boolean | undefined {
  const condition = statement.Condition;
  if (condition === undefined) return true;
  if (condition === null || typeof condition !== 'object') return undefined;
  let holds: boolean | undefined = true;
  for (const [operator, keys] of Object.entries(condition as Record<string, unknown>)) {
    if (operator !== 'StringEquals' || keys === null || typeof keys !== 'object') return undefined;
    for (const [key, values] of Object.entries(keys as Record<string, unknown>)) {
      if (key.toLowerCase() !== 'sts:externalid') return undefined;
      if (externalId === undefined || !list(values).includes(externalId)) holds = false;
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
  const applies = (s: Statement, unknown: boolean) => conditionsHold(s, request.externalId) ?? unknown;
  return relevant.some((s) => s.Effect === 'Allow' && applies(s, false)) && !relevant.some((s) => s.Effect === 'Deny' && applies(s, true));
}
