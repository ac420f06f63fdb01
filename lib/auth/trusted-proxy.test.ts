import { get, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PEER_HEADER, clientAddress, installPeerAddressTap, peerAddress, proxyIdentity, trustedProxies, warnOnce } from './trusted-proxy';

installPeerAddressTap();

// Sends a real request from `localAddress` and returns the headers the server saw.
async function seenBy(localAddress: string, headers: Record<string, string>): Promise<Headers> {
  const server = createServer((req, res) => res.end(JSON.stringify(req.headers)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const body = await new Promise<string>((resolve, reject) => {
      get({ host: '127.0.0.1', port, localAddress, headers }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    return new Headers(JSON.parse(body) as Record<string, string>);
  } finally {
    server.close();
  }
}

const config = (ips: string[]) => ({ header: 'x-forwarded-email', proxies: trustedProxies(ips) });

describe('the peer address', () => {
  it('is the socket address, whatever the client claims', async () => {
    const headers = await seenBy('127.0.0.2', { [PEER_HEADER]: '10.0.0.1', 'X-Forwarded-For': '10.0.0.1' });
    expect(peerAddress(headers)).toBe('127.0.0.2');
  });

  it('is unknown when the header was not written by the tap', () => {
    expect(peerAddress(new Headers({ [PEER_HEADER]: '10.0.0.1' }))).toBeUndefined();
    expect(peerAddress(new Headers({ [PEER_HEADER]: 'deadbeef 10.0.0.1' }))).toBeUndefined();
    expect(peerAddress(new Headers())).toBeUndefined();
  });
});

describe('trusted-proxy sign-in', () => {
  afterEach(() => vi.restoreAllMocks());

  it('accepts the email header from a configured proxy address', async () => {
    const headers = await seenBy('127.0.0.2', { 'X-Forwarded-Email': 'Grace@Example.com' });
    expect(proxyIdentity(headers, config(['127.0.0.2']))).toEqual({ kind: 'email', email: 'grace@example.com' });
  });

  it('accepts proxies given as a CIDR range', async () => {
    const headers = await seenBy('127.0.0.3', { 'X-Forwarded-Email': 'grace@example.com' });
    expect(proxyIdentity(headers, config(['127.0.0.0/30'])).kind).toBe('email');
    expect(proxyIdentity(headers, config(['127.0.0.0/31'])).kind).toBe('ignored');
  });

  it('ignores the header from any other address, even with a forged X-Forwarded-For', async () => {
    const headers = await seenBy('127.0.0.1', {
      'X-Forwarded-Email': 'mallory@example.com',
      'X-Forwarded-For': '127.0.0.2',
      'X-Real-IP': '127.0.0.2',
    });
    const identity = proxyIdentity(headers, config(['127.0.0.2']));
    expect(identity).toMatchObject({ kind: 'ignored' });
    expect(identity.kind === 'ignored' && identity.reason).toContain('127.0.0.1');
  });

  it('ignores a header value that is not an email address', async () => {
    const headers = await seenBy('127.0.0.2', { 'X-Forwarded-Email': 'admin' });
    expect(proxyIdentity(headers, config(['127.0.0.2'])).kind).toBe('ignored');
  });

  it('is off without a configured header, and a request without the header is nobody', async () => {
    const headers = await seenBy('127.0.0.2', { 'X-Forwarded-Email': 'grace@example.com' });
    expect(proxyIdentity(headers, { header: undefined, proxies: trustedProxies(['127.0.0.2']) })).toEqual({ kind: 'none' });
    expect(proxyIdentity(await seenBy('127.0.0.2', {}), config(['127.0.0.2']))).toEqual({ kind: 'none' });
  });

  it('logs each suspicious reason once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    warnOnce('header from 192.0.2.1');
    warnOnce('header from 192.0.2.1');
    warnOnce('header from 192.0.2.2');
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('refuses a malformed proxy list at start-up', () => {
    expect(() => trustedProxies(['proxy.internal'])).toThrow(/CONSOLE_TRUSTED_PROXY_IPS/);
  });
});

describe('clientAddress', () => {
  it('is the peer, ignoring X-Forwarded-For from an untrusted peer', async () => {
    const headers = await seenBy('127.0.0.1', { 'X-Forwarded-For': '203.0.113.9' });
    expect(clientAddress(headers, trustedProxies(['127.0.0.2']))).toBe('127.0.0.1');
  });

  it('behind a trusted proxy, is the address that proxy appended', async () => {
    const headers = await seenBy('127.0.0.2', { 'X-Forwarded-For': '6.6.6.6, 203.0.113.9' });
    expect(clientAddress(headers, trustedProxies(['127.0.0.2']))).toBe('203.0.113.9');
  });
});

describe('requests Next forwards to itself', () => {
  it('keep the original caller address instead of the loopback one', async () => {
    // Given what the tap wrote for a caller from 127.0.0.3
    const original = await seenBy('127.0.0.3', {});
    // When Next re-sends that request from this process (here: from 127.0.0.1) with its headers
    const forwarded = await seenBy('127.0.0.1', { [PEER_HEADER]: original.get(PEER_HEADER)! });
    // Then the caller is still 127.0.0.3, so a same-host trusted proxy cannot be impersonated
    expect(peerAddress(forwarded)).toBe('127.0.0.3');
    expect(proxyIdentity(new Headers({ ...Object.fromEntries(forwarded), 'x-forwarded-email': 'a@b.co' }), config(['127.0.0.1'])).kind).toBe('ignored');
  });
});
