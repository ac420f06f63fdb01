import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

const BASE = 'https://console.example.com';

/** Where a browser goes when a response says `Location: <location>` on the console's origin. */
const landsOn = (location: string) => new URL(location, BASE).origin;

describe('safeNextPath', () => {
  it.each([
    ['/admin/users?page=2', '/admin/users?page=2'],
    ['/stacks/lakerunner-vpc', '/stacks/lakerunner-vpc'],
    ['/', '/'],
    ['/runs/run-0123?tab=events#top', '/runs/run-0123?tab=events'],
    ['/a/./b/../c', '/a/c'],
    ['/stacks/a%2Fb', '/stacks/a%2Fb'],
    ['/@evil.example', '/@evil.example'],
    ['/deployments?next=//evil.example', '/deployments?next=//evil.example'],
  ])('keeps the local path %j as %j', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  // Every spelling here is one a browser, a proxy or a second decode could turn into another site.
  it.each([
    '//evil.example/x',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    'evil.example',
    '/.//evil.example/login',
    '/%0d%0aSet-Cookie:x',
    '/a/..//evil.example',
    '/a/b/../..//evil.example',
    '/%2e//evil.example',
    '/%2E//evil.example',
    '/%2e%2e//evil.example',
    '/.%2e//evil.example',
    '/%2f/evil.example',
    '/%2F%2Fevil.example',
    '/%2f%2fevil.example',
    '/%5cevil.example',
    '/%5C%5Cevil.example',
    '/%252f%252fevil.example',
    '/%25252f%25252fevil.example',
    '/%252e//evil.example',
    '/%2525252f%2525252fevil.example',
    '/\tx',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/ /evil.example',
    '/\u00a0/evil.example',
    '/\u2028/evil.example',
    '/\u0000/evil.example',
    '/%09/evil.example',
    '/%0a/evil.example',
    '/%00//evil.example',
    '/%E2%80%A8/evil.example',
    '//user:pass@evil.example/',
    '/.//user@evil.example',
    '/%2f%2fuser@evil.example',
    '/%ff',
    '/signin?next=/x',
    '/signin/',
    '/SIGNIN',
    '/a/../signin',
    '/%73ignin',
    '/x/%2e%2e/signin',
  ])('refuses %j', (input) => {
    expect(safeNextPath(input)).toBe('/');
  });

  it.each([undefined, null, 42, {}, ['/'], '', `/${'a'.repeat(3000)}`])('refuses the non-path %j', (input) => {
    expect(safeNextPath(input)).toBe('/');
  });

  // Whatever comes in, what goes out stays on the console when a browser follows it.
  it.each(['/.//evil.example', '/a/..//evil.example', '/%2e//evil.example', '/ok', '/%2f/x', '/..;/evil.example', '/;//evil.example'])(
    'the answer for %j lands on the console',
    (input) => {
      const result = safeNextPath(input);
      expect(landsOn(result)).toBe(BASE);
      expect(result.startsWith('//')).toBe(false);
    },
  );
});
