import { compare } from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { checkFormatSync } from './formats';
import { BCRYPT_HASH, generatedPassword, generatePassword, generateUuid, PASSWORD_LENGTH } from './generate';

describe('generated values', () => {
  it('makes passwords of readable characters, different every time', () => {
    const passwords = Array.from({ length: 50 }, () => generatePassword());
    for (const password of passwords) expect(password).toMatch(new RegExp(`^[A-HJ-NP-Za-km-z2-9]{${PASSWORD_LENGTH}}$`));
    expect(new Set(passwords).size).toBe(passwords.length);
    expect(generatePassword(8)).toHaveLength(8);
  });

  it('hashes the password with bcrypt at cost 10, with a prefix Dex accepts, and the hash checks the password', async () => {
    const { password, hash } = await generatedPassword();
    expect(hash).toMatch(BCRYPT_HASH);
    expect(hash.startsWith('$2b$10$')).toBe(true);
    expect(hash).not.toContain(password);
    expect(await compare(password, hash)).toBe(true);
    expect(await compare(`${password}x`, hash)).toBe(false);
  });

  it('makes UUIDs the organization id accepts', () => {
    const id = generateUuid();
    expect(checkFormatSync('uuid', id, 'Organization ID')).toBeUndefined();
    expect(generateUuid()).not.toBe(id);
  });
});
