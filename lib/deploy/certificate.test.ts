import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from './certificate';

describe('the self-signed certificate', () => {
  it('is an RSA 2048 server certificate for the names given, valid for the days given, with its PKCS#1 key', async () => {
    const now = new Date('2026-09-01T00:00:00Z');
    const { certificate, privateKey } = await selfSignedCertificate({ commonName: 'cardinal.test', altNames: ['cardinal.test', '*.cardinal.internal'], days: 825, now });
    const cert = new X509Certificate(certificate);
    expect(cert.subject).toBe('CN=cardinal.test');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.subjectAltName).toBe('DNS:cardinal.test, DNS:*.cardinal.internal');
    expect(new Date(cert.validFrom).getTime()).toBe(now.getTime());
    expect(new Date(cert.validTo).getTime() - now.getTime()).toBe(825 * 86_400_000);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(cert.checkPrivateKey(createPrivateKey(privateKey))).toBe(true);
  });

  it('is a new key pair every time', async () => {
    const input = { commonName: 'cardinal.test', altNames: ['cardinal.test'], days: 1 };
    const [a, b] = await Promise.all([selfSignedCertificate(input), selfSignedCertificate(input)]);
    expect(a.privateKey).not.toBe(b.privateKey);
  });
});
