// Password hashing (scrypt from node:crypto) and generation. Hashes are self-describing strings,
// "scrypt$N$r$p$salt$key" in base64url, so the cost can be raised later without breaking old ones.
import 'server-only';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
// scrypt needs 128·N·r bytes (32 MiB here); Node's default maxmem is exactly 32 MiB, which is too tight.
const MAX_MEM = 128 * N * R * 2;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, { N, r: R, p: P, maxmem: MAX_MEM }, KEY_LENGTH);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** False for a wrong password and for a stored value that is not a hash this module wrote. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every(Number.isSafeInteger) || cost.N > 2 ** 20 || cost.r > 32 || cost.p > 16) return false;
  const expected = Buffer.from(key, 'base64url');
  if (expected.length < 16) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { ...cost, maxmem: 256 * cost.N * cost.r }, expected.length);
  return timingSafeEqual(actual, expected);
}

// A fixed hash to verify against when the user does not exist, so both cases take as long.
let decoy: Promise<string> | undefined;
export async function burnVerification(password: string): Promise<false> {
  decoy ??= hashPassword(randomBytes(18).toString('base64url'));
  await verifyPassword(password, await decoy);
  return false;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 24 characters from a 57-letter alphabet without look-alikes: about 140 bits, in groups of six. */
export function generatePassword(): string {
  const chars: string[] = [];
  while (chars.length < 24) {
    for (const byte of randomBytes(32)) {
      // Rejection sampling keeps every letter equally likely.
      if (byte < 228 && chars.length < 24) chars.push(ALPHABET[byte % ALPHABET.length]!);
    }
  }
  return [0, 6, 12, 18].map((i) => chars.slice(i, i + 6).join('')).join('-');
}
