// Why an OpenID Connect sign-in did not happen: a short code that travels in the sign-in page's
// URL (never the provider's own words, which stay in the server log) and the sentence the page
// shows for it. Isomorphic.
import { SERVER_FAILED } from '../messages';

const START_AGAIN = 'Start again with the button below.';
const ASK_ADMIN_LOG = "An admin can find the details in the console's log.";

const MESSAGES = {
  'not-configured': () => 'Single sign-on is not set up on this console.',
  unreachable: (name: string) =>
    `The console could not reach ${name}. Try again in a moment; if this persists, an admin should check CONSOLE_OIDC_ISSUER. ${ASK_ADMIN_LOG}`,
  discovery: (name: string) =>
    `The console could not use the configuration ${name} publishes (its discovery document). An admin should check CONSOLE_OIDC_ISSUER. ${ASK_ADMIN_LOG}`,
  client: (name: string) =>
    `${name} refused the console's client credentials. An admin should check CONSOLE_OIDC_CLIENT_ID and CONSOLE_OIDC_CLIENT_SECRET against the app registered there.`,
  denied: (name: string) => `${name} did not sign you in: the sign-in was cancelled or refused there. ${START_AGAIN}`,
  attempt: () => `This sign-in was not started in this browser, took longer than 10 minutes or was already used. ${START_AGAIN}`,
  state: () => `The answer to this sign-in does not match the request this browser sent (its state differs), so it was refused. ${START_AGAIN}`,
  code: (name: string) => `${name} refused the sign-in code: it was already used or has expired. ${START_AGAIN}`,
  audience: (name: string) => `The ID token from ${name} was issued for another application, so it was refused.`,
  issuer: (name: string) => `The ID token did not come from ${name} as configured (its issuer differs), so it was refused.`,
  expired: (name: string) =>
    `The ID token from ${name} had expired, so it was refused. If this repeats, check that the clocks of the console's host and of ${name} agree.`,
  nonce: (name: string) => `The ID token from ${name} does not belong to this sign-in (its nonce differs), so it was refused.`,
  token: (name: string) => `The answer from ${name} failed the console's checks, so it was refused. ${ASK_ADMIN_LOG}`,
  'no-role': (name: string) => `Your ${name} account is not in a group that may use this console. Ask an admin for access.`,
  'username-taken': (name: string) =>
    `A console account with your name already exists and is not linked to your ${name} account. Ask an admin to delete it, then sign in again.`,
  'no-username': (name: string) => `${name} sent no email, username or subject the console can use as your user name. ${ASK_ADMIN_LOG}`,
  busy: () => 'Too many sign-ins are in progress on this console right now. Wait a few minutes, then start again with the button below.',
  server: () => SERVER_FAILED,
} as const satisfies Record<string, (name: string) => string>;

export type OidcFailure = keyof typeof MESSAGES;

export function isOidcFailure(value: unknown): value is OidcFailure {
  return typeof value === 'string' && Object.hasOwn(MESSAGES, value);
}

export function oidcFailureMessage(code: OidcFailure, providerName: string): string {
  return MESSAGES[code](providerName);
}

/** A refused sign-in: the code for the page, the detail for the log (never a token or a secret). */
export class OidcError extends Error {
  override readonly name = 'OidcError';

  constructor(
    readonly code: OidcFailure,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

/** By name, not instanceof: Next bundles this module more than once, and a cached failure crosses bundles. */
export function isOidcError(error: unknown): error is OidcError {
  return error instanceof Error && error.name === 'OidcError' && isOidcFailure((error as { code?: unknown }).code);
}
