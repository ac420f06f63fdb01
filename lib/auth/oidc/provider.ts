// The identity provider as openid-client sees it: discovered from the issuer URL and kept for an
// hour (a failure for 15 seconds, so a provider that is down is not asked again on every click),
// and the library's errors turned into the codes of ./failures.ts.
import 'server-only';
import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { OidcError, isOidcError } from './failures';
import type { OidcSettings } from './settings';

const KEEP_MS = 60 * 60 * 1000;
const RETRY_MS = 15 * 1000;
const TIMEOUT_SECONDS = 10;

interface Held {
  readonly key: string;
  readonly at: number;
  readonly config: Promise<oidc.Configuration>;
  failed?: boolean;
  /** Known once discovery succeeded; the Content-Security-Policy lets the sign-out form's redirect go there. */
  endSessionOrigin?: string;
}

// Next bundles this module more than once per process (proxy, route handlers): they share one copy.
const HELD = Symbol.for('lakerunner.console.oidc-provider');
type Holder = typeof globalThis & { [HELD]?: Held };

function cacheKey(settings: OidcSettings): string {
  const secret = settings.clientSecret ? createHash('sha256').update(settings.clientSecret).digest('hex') : '';
  return `${settings.issuer.href} ${settings.clientId} ${secret}`;
}

/** The spec's default is client_secret_basic; some providers accept only client_secret_post. */
function clientAuth(settings: OidcSettings, metadata: oidc.ServerMetadata): oidc.ClientAuth {
  if (!settings.clientSecret) return oidc.None();
  const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  return !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
    ? oidc.ClientSecretPost(settings.clientSecret)
    : oidc.ClientSecretBasic(settings.clientSecret);
}

/**
 * The client for the provider's metadata. ID tokens come straight from the token endpoint, where
 * the spec lets TLS stand in for their signature; the console checks the signature anyway.
 */
export function configure(settings: OidcSettings, metadata: oidc.ServerMetadata): oidc.Configuration {
  const config = new oidc.Configuration(
    metadata,
    settings.clientId,
    settings.clientSecret ? { client_secret: settings.clientSecret } : undefined,
    clientAuth(settings, metadata),
  );
  if (settings.issuer.protocol === 'http:') oidc.allowInsecureRequests(config);
  oidc.enableNonRepudiationChecks(config);
  config.timeout = TIMEOUT_SECONDS;
  return config;
}

async function discover(settings: OidcSettings): Promise<oidc.Configuration> {
  // http is accepted only for a loopback issuer (lib/env.ts checks), which tests and local trials use.
  const execute = settings.issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
  try {
    const discovered = await oidc.discovery(settings.issuer, settings.clientId, undefined, oidc.None(), { execute, timeout: TIMEOUT_SECONDS });
    return configure(settings, discovered.serverMetadata());
  } catch (error) {
    throw providerError(error, 'discovery');
  }
}

/** The provider's configuration, discovered at most once an hour; throws OidcError. */
export function providerConfig(settings: OidcSettings, now = Date.now()): Promise<oidc.Configuration> {
  const holder = globalThis as Holder;
  const key = cacheKey(settings);
  const held = holder[HELD];
  if (held && held.key === key && now - held.at < (held.failed ? RETRY_MS : KEEP_MS)) return held.config;
  const next: Held = { key, at: now, config: discover(settings) };
  next.config.then(
    (config) => {
      const endpoint = config.serverMetadata().end_session_endpoint;
      next.endSessionOrigin = endpoint ? new URL(endpoint).origin : undefined;
    },
    () => {
      next.failed = true;
    },
  );
  holder[HELD] = next;
  return next.config;
}

/** Origins the sign-out form's redirect may lead to: the issuer's, and the end-session endpoint's once known. */
export function providerFormOrigins(settings: OidcSettings | undefined): string[] {
  if (!settings) return [];
  const held = (globalThis as Holder)[HELD];
  const origins = new Set([settings.issuer.origin]);
  if (held?.key === cacheKey(settings) && held.endSessionOrigin) origins.add(held.endSessionOrigin);
  return [...origins];
}

/** For tests: forget the discovered provider. */
export function forgetProviderForTests(): void {
  delete (globalThis as Holder)[HELD];
}

interface ProcessingCause {
  readonly message?: string;
  readonly cause?: { readonly claim?: string; readonly expected?: unknown; readonly claims?: Record<string, unknown> };
}

const CLAIM_FAILURES: Readonly<Record<string, OidcError['code']>> = { aud: 'audience', azp: 'audience', iss: 'issuer', nonce: 'nonce', exp: 'expired' };

/**
 * The library's error as an OidcError. `stage` tells a provider that cannot be reached at all
 * (discovery) from one that answered badly later.
 */
export function providerError(error: unknown, stage: 'discovery' | 'callback'): OidcError {
  if (isOidcError(error)) return error;
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.WWWAuthenticateChallengeError) {
    // A 401 comes as a WWW-Authenticate challenge, whose parameters carry the OAuth error.
    const { error: code, error_description: description } =
      error instanceof oidc.ResponseBodyError ? error : (error.cause.find((c) => c.parameters.error)?.parameters ?? {});
    const detail = `the token endpoint answered ${error.status} ${code ?? ''}${description ? `: ${description}` : ''}`.trim();
    if (code === 'invalid_client' || code === 'unauthorized_client' || (!code && error.status === 401)) {
      return new OidcError('client', detail, { cause: error });
    }
    return new OidcError(code === 'invalid_grant' ? 'code' : 'token', detail, { cause: error });
  }
  if (error instanceof oidc.AuthorizationResponseError) {
    return new OidcError('denied', `the provider answered ${error.error}${error.error_description ? `: ${error.error_description}` : ''}`, { cause: error });
  }
  if (error instanceof oidc.ClientError) {
    const inner = error.cause as ProcessingCause | undefined;
    const message = inner?.message ?? error.message;
    const claim = inner?.cause?.claim;
    const seen = claim && inner?.cause?.claims ? inner.cause.claims[claim] : undefined;
    const detail = claim && (claim === 'aud' || claim === 'iss' || claim === 'azp')
      ? `${message} (expected ${JSON.stringify(inner?.cause?.expected)}, got ${JSON.stringify(seen)})`
      : message;
    if (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT') return new OidcError('unreachable', `${message} after ${TIMEOUT_SECONDS} s`, { cause: error });
    if (stage === 'discovery') return new OidcError('discovery', message, { cause: error });
    if (error.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || error.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
      return new OidcError((claim ? CLAIM_FAILURES[claim] : undefined) ?? 'token', detail, { cause: error });
    }
    if (/"state"/.test(message)) return new OidcError('state', message, { cause: error });
    if (/"iss" \(issuer\) response parameter/.test(message)) return new OidcError('issuer', message, { cause: error });
    return new OidcError('token', message, { cause: error });
  }
  // fetch() rejects with "TypeError: fetch failed" when the connection fails (refused, DNS, TLS).
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    return new OidcError('unreachable', `could not connect: ${reason}`, { cause: error });
  }
  return new OidcError('server', error instanceof Error ? error.message : String(error), { cause: error });
}
