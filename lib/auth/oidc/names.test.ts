import { describe, expect, it } from 'vitest';
import { accountNames, verifiedEmail } from './sign-in';

describe('the names an OpenID Connect account may get', () => {
  it.each([
    [{ sub: 's1', email: 'a@example.com', email_verified: true, preferred_username: 'a' }, ['a@example.com', 'a', 's1']],
    // some providers' userinfo says "true" as a string
    [{ sub: 's1', email: 'a@example.com', email_verified: 'true' }, ['a@example.com', undefined, 's1']],
    [{ sub: 's1', email: 'admin@example.com', email_verified: false, preferred_username: 'mallory' }, [undefined, 'mallory', 's1']],
    [{ sub: 's1', email: 'admin@example.com', preferred_username: 'mallory' }, [undefined, 'mallory', 's1']],
    [{ sub: 's1', email: 'admin@example.com', email_verified: 'false' }, [undefined, undefined, 's1']],
    [{ sub: 's1', email: 'admin@example.com', email_verified: 1 }, [undefined, undefined, 's1']],
    [{ sub: 's1', email: 42, email_verified: true }, [undefined, undefined, 's1']],
  ])('%j → %j', (claims, names) => {
    expect(accountNames(claims)).toEqual(names);
  });

  it('an unverified email is no email at all', () => {
    expect(verifiedEmail({ email: 'x@example.com' })).toBeUndefined();
    expect(verifiedEmail({ email: 'x@example.com', email_verified: true })).toBe('x@example.com');
  });
});
