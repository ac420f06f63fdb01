// Values the form makes for the user (ParamSpec.generate): a random UUID, and a strong random
// password with its bcrypt hash (cost 10, the $2b$ prefix Dex accepts). The password is returned
// to be shown once; only the hash goes into the plan. Isomorphic: Web Crypto in the browser and
// in Node, bcryptjs (pure JavaScript) for the hash.
import { hash } from 'bcryptjs';

/** Letters and digits without look-alikes (0/O, 1/l/I), so a password can be read and typed back. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
export const PASSWORD_LENGTH = 24;
export const BCRYPT_COST = 10;

/** A random password of `length` characters from ALPHABET (about 5.8 bits each: 139 bits at 24). */
export function generatePassword(length = PASSWORD_LENGTH): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % ALPHABET.length);
  let password = '';
  while (password.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && password.length < length) password += ALPHABET[byte % ALPHABET.length];
    }
  }
  return password;
}

/** The bcrypt hash Dex checks a password against. */
export const bcryptHash = (password: string): Promise<string> => hash(password, BCRYPT_COST);

export const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** A fresh password and its hash. */
export async function generatedPassword(): Promise<{ password: string; hash: string }> {
  const password = generatePassword();
  return { password, hash: await bcryptHash(password) };
}

export const generateUuid = (): string => crypto.randomUUID();
