import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it.each([
    ['/admin/users?page=2', '/admin/users?page=2'],
    ['/stacks/lakerunner-vpc', '/stacks/lakerunner-vpc'],
    ['/', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['/\tx', '/'],
    ['/%0d%0aSet-Cookie:x', '/%0d%0aSet-Cookie:x'],
    ['/signin?next=/x', '/'],
    ['/a/../signin', '/'],
    [undefined, '/'],
    [42, '/'],
    [`/${'a'.repeat(3000)}`, '/'],
  ])('%j → %j', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});
