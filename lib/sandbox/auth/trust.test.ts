import { describe, expect, it } from 'vitest';
import type { Identity } from './identity';
import { trustAllows } from './trust';

const ACCOUNT = '111111111111';
const user: Identity = { accessKeyId: 'AKIA', arn: `arn:aws:iam::${ACCOUNT}:user/console`, userId: 'AIDA', account: ACCOUNT };
const session: Identity = { accessKeyId: 'ASIA', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Console/i-0abc`, userId: 'AROA:i-0abc', account: ACCOUNT };

const policy = (...statements: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: statements });
const allow = (principal: unknown, condition?: unknown, action: unknown = 'sts:AssumeRole') => ({ Effect: 'Allow', Principal: principal, Action: action, ...(condition ? { Condition: condition } : {}) });
const withId = (id: unknown) => ({ StringEquals: { 'sts:ExternalId': id } });

describe('trustAllows', () => {
  it.each([
    ['the caller named, with its ExternalId', policy(allow({ AWS: user.arn }, withId('ext-1'))), user, 'ext-1', true],
    ['the caller named, with a wrong ExternalId', policy(allow({ AWS: user.arn }, withId('ext-1'))), user, 'ext-2', false],
    ['the caller named, without an ExternalId', policy(allow({ AWS: user.arn }, withId('ext-1'))), user, undefined, false],
    ['one of several ExternalIds', policy(allow({ AWS: user.arn }, withId(['a-1', 'ext-1']))), user, 'ext-1', true],
    ['the condition key in another case', policy(allow({ AWS: user.arn }, { StringEquals: { 'sts:externalid': 'ext-1' } })), user, 'ext-1', true],
    ['another principal', policy(allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/someone-else` }, withId('ext-1'))), user, 'ext-1', false],
    ['another account', policy(allow({ AWS: '222222222222' })), user, undefined, false],
    ['the account root', policy(allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` })), user, undefined, true],
    ['the bare account id', policy(allow({ AWS: ACCOUNT })), user, undefined, true],
    ['a list of principals', policy(allow({ AWS: ['arn:aws:iam::222222222222:root', user.arn] })), user, undefined, true],
    ['a role, for a session of that role', policy(allow({ AWS: `arn:aws:iam::${ACCOUNT}:role/Console` }, withId('x1'))), session, 'x1', true],
    ['a role under a path, for a session of that role', policy(allow({ AWS: `arn:aws:iam::${ACCOUNT}:role/ops/Console` })), session, undefined, true],
    ['another role, for a session', policy(allow({ AWS: `arn:aws:iam::${ACCOUNT}:role/Other` })), session, undefined, false],
    ['a service principal only', policy(allow({ Service: 'ecs-tasks.amazonaws.com' })), user, undefined, false],
    ['another action', policy(allow({ AWS: user.arn }, undefined, 'sts:TagSession')), user, undefined, false],
    ['sts:* as the action', policy(allow({ AWS: user.arn }, undefined, ['sts:*'])), user, undefined, true],
    ['a condition the sandbox does not model', policy(allow({ AWS: user.arn }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })), user, undefined, false],
    ['a Deny that matches', policy(allow({ AWS: user.arn }), { Effect: 'Deny', Principal: { AWS: user.arn }, Action: 'sts:AssumeRole' }), user, undefined, false],
    ['a Deny whose condition does not hold', policy(allow({ AWS: user.arn }), { Effect: 'Deny', Principal: { AWS: user.arn }, Action: 'sts:AssumeRole', Condition: withId('bad') }), user, 'good', true],
    ['a Deny with a condition the sandbox does not model', policy(allow({ AWS: user.arn }), { Effect: 'Deny', Principal: '*', Action: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), user, undefined, false],
    ['the document as a JSON string', JSON.stringify(policy(allow({ AWS: user.arn }, withId('ext-1')))), user, 'ext-1', true],
    ['a document that is not JSON', '{not json', user, undefined, false],
    ['no document', undefined, user, undefined, false],
    ['a single statement object', { Statement: allow({ AWS: user.arn }) }, user, undefined, true],
  ] as const)('%s', (_name, document, caller, externalId, expected) => {
    expect(trustAllows(document, { caller, externalId })).toBe(expected);
  });
});
