import { X509Certificate } from 'node:crypto';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { defaultPlan, planStacks } from '@/lib/params/plan';
import { lineMeta } from '@/templates';
import { generateOnCreate } from './generated';
import type { ScopedStack } from './scope';

const line = lineMeta('current');
const plan = defaultPlan(line);

/** A CloudFormation client that knows these stacks (name → status) and says any other does not exist. */
function cloudFormation(stacks: Record<string, string>): CloudFormationClient {
  const send = async (command: { input: { StackName?: string } }) => {
    const status = stacks[command.input.StackName ?? ''];
    if (!status) throw Object.assign(new Error(`Stack with id ${command.input.StackName} does not exist`), { name: 'ValidationError' });
    return { Stacks: [{ StackId: `arn:aws:cloudformation:us-east-1:111111111111:stack/${command.input.StackName}/x`, StackName: command.input.StackName, StackStatus: status }] };
  };
  return { send } as unknown as CloudFormationClient;
}

const scope = (p = plan): ScopedStack[] => planStacks(p, line.stacks).map((stack) => ({ stack }));
const services = plan.stackNames.services!;

describe('values generated for a run', () => {
  it('give the services root a self-signed certificate when the run creates it without one', async () => {
    const { secrets, notes } = await generateOnCreate({ cloudFormation: cloudFormation({}) }, scope(), { kind: 'deploy' }, { 'infra-base': { LicenseData: 'z64:abc' } });
    const made = secrets.services ?? {};
    expect(new X509Certificate(made.CertificateBody ?? '').subject).toBe('CN=cardinal.test');
    expect(made.CertificatePrivateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(secrets['infra-base']).toEqual({ LicenseData: 'z64:abc' });
    expect(Object.keys(secrets).sort()).toEqual(['infra-base', 'services']);
    expect(notes).toEqual([expect.stringContaining(`No certificate was given for ${services}`)]);
    expect(notes.join()).not.toContain('BEGIN');
  });

  it('also when the stack is only a rolled-back or review placeholder the deploy creates again', async () => {
    for (const status of ['ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS']) {
      const { secrets } = await generateOnCreate({ cloudFormation: cloudFormation({ [services]: status }) }, scope(), { kind: 'deploy' }, {});
      expect(secrets.services?.CertificateBody, status).toMatch(/BEGIN CERTIFICATE/);
    }
  });

  it('never on an update, nor when a certificate ARN or PEM is given, nor for other operations', async () => {
    const existing = await generateOnCreate({ cloudFormation: cloudFormation({ [services]: 'UPDATE_COMPLETE' }) }, scope(), { kind: 'deploy' }, {});
    expect(existing).toEqual({ secrets: {}, notes: [] });
    const withArn = structuredClone(plan);
    withArn.params.services!.CertificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/abc';
    expect((await generateOnCreate({ cloudFormation: cloudFormation({}) }, scope(withArn), { kind: 'deploy' }, {})).secrets).toEqual({});
    const pem = { services: { CertificateBody: '-----BEGIN CERTIFICATE-----\nmine', CertificatePrivateKey: 'key' } };
    expect((await generateOnCreate({ cloudFormation: cloudFormation({}) }, scope(), { kind: 'deploy' }, pem)).secrets).toEqual(pem);
    expect((await generateOnCreate({ cloudFormation: cloudFormation({}) }, scope(), { kind: 'teardown' }, {})).secrets).toEqual({});
  });
});
