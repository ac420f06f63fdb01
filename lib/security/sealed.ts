// Sealing secret values at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the 32 random
// bytes every replica is given (CONSOLE_SECRETS_KEY), bound to what the value belongs to (the additional data), so a sealed
// value copied onto another row does not open. Server-only.
import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a sealed value does not open: another key, another owner, or altered. */
export class UnsealError extends Error {
  constructor() {
    super('The sealed value does not open with this key.');
    this.name = 'UnsealError';
  }
}

/** The 32-byte key for a secret of 32 random bytes; `purpose` separates keys derived for different uses. */
export function sealingKey(secret: Buffer, purpose: string): Buffer {
  if (secret.length !== 32) throw new Error('A sealing secret is 32 random bytes.');
  return Buffer.from(hkdfSync('sha256', secret, 'lakerunner-console', purpose, 32));
}

/** "v1.<iv>.<tag>.<ciphertext>", base64url; `owner` must be given again to open it. */
export function seal(plaintext: string, key: Buffer, owner: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(owner));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function unseal(sealed: string, key: Buffer, owner: string): string {
  const [version, iv, tag, body, ...rest] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || body === undefined || rest.length > 0) throw new UnsealError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(owner));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new UnsealError();
  }
}
