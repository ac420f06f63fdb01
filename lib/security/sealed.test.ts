import { describe, expect, it } from 'vitest';
import { seal, sealingKey, unseal, UnsealError } from './sealed';

const SECRET = Buffer.alloc(32, 3);
const key = sealingKey(SECRET, 'run secrets');

describe('sealed values', () => {
  it('open with the key and owner they were sealed for, and show nothing of the value', () => {
    const sealed = seal('{"common":{"ApiKeysOverride":"hunter2-very-secret"}}', key, 'run-1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('hunter2');
    expect(Buffer.from(sealed.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('hunter2');
    expect(unseal(sealed, key, 'run-1')).toBe('{"common":{"ApiKeysOverride":"hunter2-very-secret"}}');
  });

  it('differ every time the same value is sealed', () => {
    expect(seal('same', key, 'run-1')).not.toBe(seal('same', key, 'run-1'));
  });

  it('do not open with another secret, another purpose, for another owner, or once altered', () => {
    const sealed = seal('value', key, 'run-1');
    expect(() => unseal(sealed, sealingKey(Buffer.alloc(32, 4), 'run secrets'), 'run-1')).toThrow(UnsealError);
    expect(() => unseal(sealed, sealingKey(SECRET, 'sessions'), 'run-1')).toThrow(UnsealError);
    expect(() => unseal(sealed, key, 'run-2')).toThrow(UnsealError);
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => unseal([v, iv, tag, flipped.toString('base64url')].join('.'), key, 'run-1')).toThrow(UnsealError);
    expect(() => unseal('v2.a.b.c', key, 'run-1')).toThrow(UnsealError);
    expect(() => unseal('not sealed', key, 'run-1')).toThrow(UnsealError);
  });

  it('are made only from a secret of 32 bytes', () => {
    expect(() => sealingKey(Buffer.from('a passphrase of at least thirty-two characters'), 'run secrets')).toThrow('32 random bytes');
  });
});
