import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './passwords';

describe('password hashes', () => {
  it('verify the password they were made from and nothing else', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('describe their own parameters and use a fresh salt each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!'), hashPassword('same password!')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password!');
  });

  it('treat equivalent Unicode spellings as the same password', async () => {
    const hash = await hashPassword('caf\u00e9 au lait 42');
    expect(await verifyPassword('cafe\u0301 au lait 42', hash)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['another scheme', 'bcrypt$2b$10$abc'],
    ['missing parts', 'scrypt$32768$8$1$c2FsdA'],
    ['absurd cost', 'scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5'],
    ['short key', 'scrypt$16384$8$1$c2FsdA$a2V5'],
  ])('reject a stored value that is not one of ours (%s)', async (_name, stored) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false);
  });
});

describe('generated passwords', () => {
  it('are 24 unambiguous characters in four groups, different every time', () => {
    const seen = new Set(Array.from({ length: 200 }, generatePassword));
    expect(seen.size).toBe(200);
    for (const password of seen) {
      expect(password).toMatch(/^([A-HJ-NP-Za-km-z2-9]{6}-){3}[A-HJ-NP-Za-km-z2-9]{6}$/);
    }
  });

  it('use the whole alphabet', () => {
    const letters = new Set(Array.from({ length: 200 }, generatePassword).join('').replaceAll('-', ''));
    expect(letters.size).toBe(57);
  });
});
