// Who is making a request: the trusted proxy's user, else the session cookie's. Used by proxy.ts
// for every request and again by pages, actions and handlers (defence in depth).
import 'server-only';
import { env } from '@/lib/env';
import { audit } from '@/lib/store/audit';
import { resolveSession } from './sessions';
import { clientAddress, proxyIdentity, trustedProxies, warnOnce, type TrustedProxyConfig } from './trusted-proxy';
import { findOrCreateProxyUser, type User } from './users';

export interface Identity {
  readonly user: User;
  readonly via: 'session' | 'proxy';
  /** The session cookie's value, for sign-out and "revoke my other sessions". Server-side only. */
  readonly token?: string;
}

let cachedConfig: { key: string; config: TrustedProxyConfig } | undefined;

export function trustedProxyConfig(): TrustedProxyConfig {
  const { CONSOLE_TRUSTED_PROXY_HEADER: header, CONSOLE_TRUSTED_PROXY_IPS: ips } = env();
  const key = `${header ?? ''}|${ips.join(',')}`;
  if (cachedConfig?.key !== key) {
    cachedConfig = { key, config: { header: header?.toLowerCase(), proxies: trustedProxies(ips) } };
  }
  return cachedConfig.config;
}

export function requestClient(headers: Headers): string {
  return clientAddress(headers, trustedProxyConfig().proxies);
}

export async function identify(headers: Headers, token: string | undefined): Promise<Identity | undefined> {
  const fromProxy = proxyIdentity(headers, trustedProxyConfig());
  if (fromProxy.kind === 'email') {
    const { user, created } = await findOrCreateProxyUser(fromProxy.email, env().CONSOLE_TRUSTED_PROXY_ROLE);
    if (created) {
      await audit({
        actor: 'trusted-proxy',
        action: 'user.created',
        target: user.username,
        details: { role: user.role, via: 'trusted-proxy' },
        client: requestClient(headers),
      });
    }
    return { user, via: 'proxy' };
  }
  if (fromProxy.kind === 'ignored') warnOnce(fromProxy.reason);
  const session = await resolveSession(token);
  return session && { user: session.user, via: 'session', token };
}
