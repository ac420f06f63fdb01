import { describe, expect, it } from 'vitest';
import { claimValues, decideRole, mappedRole, type RoleMapping } from './role-mapping';

const MAPPING: RoleMapping = { claim: 'groups', admin: ['console-admins'], deployer: ['console-deployers', 'release'], defaultRole: 'viewer' };

describe('claimValues', () => {
  it.each([
    ['a list of groups', { groups: ['a', 'b'] }, 'groups', ['a', 'b']],
    ['a single string', { role: 'console-admins' }, 'role', ['console-admins']],
    ['a nested path', { realm_access: { roles: ['x', 'y'] } }, 'realm_access.roles', ['x', 'y']],
    ['a namespaced claim whose name holds dots', { 'https://console.example.com/groups': ['g'] }, 'https://console.example.com/groups', ['g']],
    ['values that are not strings, left out', { groups: ['a', 7, null, { b: 1 }] }, 'groups', ['a']],
    ['a missing claim', { email: 'a@example.com' }, 'groups', []],
    ['a path through a non-object', { realm_access: 'roles' }, 'realm_access.roles', []],
    ['an object, not a value', { groups: { a: true } }, 'groups', []],
    ['a prototype key', {}, '__proto__', []],
    ['an inherited property along a path', {}, 'constructor.name', []],
  ])('reads %s', (_name, claims, name, expected) => {
    expect(claimValues(claims as Record<string, unknown>, name)).toEqual(expected);
  });
});

describe('mappedRole', () => {
  it('takes the highest role any value maps to', () => {
    expect(mappedRole(['release', 'console-admins'], MAPPING)).toBe('admin');
    expect(mappedRole(['staff', 'release'], MAPPING)).toBe('deployer');
  });

  it('maps nothing else, and compares values exactly', () => {
    expect(mappedRole(['staff'], MAPPING)).toBeUndefined();
    expect(mappedRole(['Console-Admins', 'console-admins '], MAPPING)).toBeUndefined();
    expect(mappedRole([], { ...MAPPING, admin: [] })).toBeUndefined();
  });
});

describe('decideRole', () => {
  it.each([
    ['a mapped claim wins over everything', 'deployer', { roleSource: 'admin' }, 'none', { kind: 'set', role: 'deployer', source: 'claim' }],
    ['a newcomer without a mapped claim gets the default', undefined, undefined, 'viewer', { kind: 'set', role: 'viewer', source: 'default' }],
    ['a newcomer is refused when the default is none', undefined, undefined, 'none', { kind: 'refuse' }],
    ["an admin's choice is kept without a mapped claim", undefined, { roleSource: 'admin' }, 'viewer', { kind: 'keep' }],
    ["an admin's choice is kept even when the default is none", undefined, { roleSource: 'admin' }, 'none', { kind: 'keep' }],
    ['a role the claim gave falls back to the default when it no longer maps', undefined, { roleSource: 'claim' }, 'viewer', { kind: 'set', role: 'viewer', source: 'default' }],
    ['a role the claim gave is refused when the default is none', undefined, { roleSource: 'claim' }, 'none', { kind: 'refuse' }],
    ['the default stays the default', undefined, { roleSource: 'default' }, 'viewer', { kind: 'set', role: 'viewer', source: 'default' }],
  ] as const)('%s', (_name, mapped, current, defaultRole, expected) => {
    expect(decideRole(mapped, current, defaultRole)).toEqual(expected);
  });
});
