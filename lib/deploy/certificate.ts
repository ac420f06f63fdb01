// A self-signed TLS certificate for a load balancer that got none: RSA 2048, SHA-256, the given
// names as DNS SANs, the key as unencrypted PKCS#1 PEM (what IAM server certificates take).
// Made with the selfsigned package; the key is a run secret like any NoEcho value.
import 'server-only';
import { createPrivateKey } from 'node:crypto';
import { generate } from 'selfsigned';

export interface SelfSigned {
  certificate: string;
  privateKey: string;
}

const DAY_MS = 86_400_000;

export async function selfSignedCertificate(input: { commonName: string; altNames: readonly string[]; days: number; now?: Date }): Promise<SelfSigned> {
  const notBeforeDate = input.now ?? new Date();
  const made = await generate([{ name: 'commonName', value: input.commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + input.days * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: input.altNames.map((value) => ({ type: 2 as const, value })) },
    ],
  });
  const privateKey = createPrivateKey(made.private).export({ type: 'pkcs1', format: 'pem' }).toString();
  return { certificate: made.cert, privateKey };
}
