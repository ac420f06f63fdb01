// The caller's network address, and trusted-proxy single sign-on.
//
// Next's proxy and handlers see only headers: NextRequest has no `ip` (removed in Next 15), and
// Next fills X-Forwarded-For with the socket address only when the client did not send one, so
// any client can forge it. We therefore record the socket's address ourselves: a subscriber to
// Node's `http.server.request.start` diagnostics channel (installed from instrumentation.ts, in
// the server process, before Next reads the request) overwrites PEER_HEADER on every incoming
// request. A request that reached us without it (the subscriber is not installed yet) is never
// trusted.
import 'server-only';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

export const PEER_HEADER = 'x-lakerunner-peer-address';

// The tap prefixes the address with a random per-process tag that a client cannot know, so a
// forged PEER_HEADER is worthless even if the tap were missing.
const TAG = Symbol.for('lakerunner.console.peer-tap');
type Holder = typeof globalThis & { [TAG]?: string };

/** Idempotent; call once per process from instrumentation.ts. */
export function installPeerAddressTap(): void {
  const holder = globalThis as Holder;
  if (holder[TAG]) return;
  const tag = randomBytes(16).toString('hex');
  holder[TAG] = tag;
  subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: { remoteAddress?: string } };
    const sent = request.headers[PEER_HEADER];
    // Next forwards a server action posted to the wrong page to its own page with a fetch from this
    // process, copying the headers: a correctly tagged value is that original caller's address.
    if (typeof sent === 'string' && taggedAddress(sent, tag)) return;
    if (socket.remoteAddress) request.headers[PEER_HEADER] = `${tag} ${socket.remoteAddress}`;
    else delete request.headers[PEER_HEADER];
  });
}

function taggedAddress(value: string, tag: string): string | undefined {
  const [sent, address] = value.split(' ');
  if (!sent || !address || sent.length !== tag.length) return undefined;
  if (!timingSafeEqual(Buffer.from(sent), Buffer.from(tag))) return undefined;
  const normalized = normalizeAddress(address);
  return isIP(normalized) ? normalized : undefined;
}

function normalizeAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[|\]$/g, '');
  // IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed.toLowerCase();
}

/** The address of whoever opened the connection, as recorded by the tap. */
export function peerAddress(headers: Headers): string | undefined {
  const tag = (globalThis as Holder)[TAG];
  const value = headers.get(PEER_HEADER);
  return tag && value ? taggedAddress(value, tag) : undefined;
}

/** Addresses and CIDR ranges (10.0.0.0/8, fd00::/8) from CONSOLE_TRUSTED_PROXY_IPS. */
export function trustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const normalized = normalizeAddress(address);
    const family = isIP(normalized) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(normalized)) throw new Error(`CONSOLE_TRUSTED_PROXY_IPS: "${entry}" is not an IP address or CIDR range.`);
    if (prefix === undefined) list.addAddress(normalized, family);
    else list.addSubnet(normalized, Number(prefix), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string | undefined): address is string {
  return !!address && list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address for rate limiting and the audit log: the peer, or, when the peer is a
 * trusted proxy, the last X-Forwarded-For entry (the one that proxy appended).
 */
export function clientAddress(headers: Headers, proxies: BlockList): string {
  const peer = peerAddress(headers);
  if (isTrusted(proxies, peer)) {
    const forwarded = headers.get('x-forwarded-for')?.split(',').at(-1);
    if (forwarded && isIP(normalizeAddress(forwarded))) return normalizeAddress(forwarded);
  }
  return peer ?? 'unknown';
}

export interface TrustedProxyConfig {
  /** Header carrying the signed-in user's email, e.g. X-Forwarded-Email; undefined turns SSO off. */
  readonly header: string | undefined;
  readonly proxies: BlockList;
}

export type ProxyIdentity =
  | { readonly kind: 'none' }
  | { readonly kind: 'email'; readonly email: string }
  /** The header came from an untrusted address, or did not hold an email. It is ignored. */
  | { readonly kind: 'ignored'; readonly reason: string };

const emailSchema = z.email().max(254);

export function proxyIdentity(headers: Headers, config: TrustedProxyConfig): ProxyIdentity {
  if (!config.header) return { kind: 'none' };
  const value = headers.get(config.header);
  if (value === null || value.trim() === '') return { kind: 'none' };
  const peer = peerAddress(headers);
  if (!isTrusted(config.proxies, peer)) {
    return { kind: 'ignored', reason: `${config.header} sent from ${peer ?? 'an unrecorded address'}, which is not in CONSOLE_TRUSTED_PROXY_IPS` };
  }
  const email = emailSchema.safeParse(value.trim());
  if (!email.success) return { kind: 'ignored', reason: `${config.header} from ${peer} does not hold an email address` };
  return { kind: 'email', email: email.data.toLowerCase() };
}

const warned = new Set<string>();

/** Logs each distinct suspicious reason once per process (bounded, so it cannot grow without end). */
export function warnOnce(reason: string): void {
  if (warned.has(reason) || warned.size >= 1000) return;
  warned.add(reason);
  console.warn(`Suspicious request ignored: ${reason}.`);
}
