import { describe, expect, it } from 'vitest';
import { LINE_2025_META } from '@/lib/plan/testing/line-2025';
import { LINE_CURRENT } from '@/templates/current/line';
import { toLineMeta } from '@/templates/line';
import { accountLabel, HOME, placementOf, placements, splitAccountSecrets, stacksByAccount, targetOf, type AccountTarget } from './accounts';
import { defaultPlan, filledKeys, planStacks, type Plan } from './plan';
import { createPlanSchema } from './plan-schema';
import { toFieldErrors } from './schema';

const line = toLineMeta(LINE_CURRENT);
const schema = createPlanSchema(line);
const meta = (id: string) => line.stacks.find((s) => s.id === id)!;
const B: AccountTarget = { accountId: '222222222222', region: 'us-east-1', roleArn: 'arn:aws:iam::222222222222:role/LakerunnerDeployRole', externalId: 'ext-7' };
const SATELLITE = ['satellite-infra-base', 'satellite-services', 'cwmetrics'];

/** The line's default plan with what every current-line plan needs, the satellite in `target` when given. */
function plan(target?: Partial<AccountTarget>): Plan {
  const p = defaultPlan(line);
  for (const id of ['satellite-services', 'services', 'cwmetrics']) p.params[id]!.OrganizationId = '7b3d2c9e-4f1a-4e8b-9c6d-2a5f8e1b3c7d';
  p.params['infra-base']!.LicenseData = 'z64:license';
  p.params.services!.DexAdminPasswordHash = '$2y$10$FQmM7VjT6gqNhvO7Dk3xhOZC8Nq8Xo5G2qvfOaTQIQ4o7q1Jm1Q0W';
  if (target) {
    p.accounts = { satellite: { ...B, ...target } };
    Object.assign(p.params['satellite-services']!, { VpcId: 'vpc-0b1c2d3e', AlbSubnetsCsv: 'subnet-01,subnet-02', TaskSubnetsCsv: 'subnet-01,subnet-02', EcsClusterArn: 'arn:aws:ecs:us-east-1:222222222222:cluster/satellite' });
  }
  return p;
}
const errorsOf = async (value: unknown, on = schema) => {
  const result = await on.safeParseAsync(value);
  return result.success ? {} : toFieldErrors(result.error);
};
const accountErrors = async (target: Partial<AccountTarget>) => Object.fromEntries(Object.entries(await errorsOf(plan(target))).filter(([key]) => key.startsWith('accounts.')));

describe('where the stacks of a plan go', () => {
  it('keeps every stack in the deployment’s account by default', () => {
    const p = plan();
    expect(line.stacks.map((m) => placementOf(p, m))).toEqual(line.stacks.map(() => HOME));
    expect(placements(p, line.stacks)).toEqual([{ placement: HOME, stacks: line.stacks.map((m) => m.id) }]);
    expect(accountLabel(p, meta('satellite-services'))).toBe('the deployment’s account, us-east-1');
    expect(accountLabel(p, meta('satellite-services'), '111111111111')).toBe('account 111111111111, us-east-1');
  });

  it('moves the line’s satellite group together to the other account, and nothing else', () => {
    const p = plan({});
    expect(placements(p, line.stacks)).toEqual([
      { placement: HOME, stacks: line.stacks.map((m) => m.id).filter((id) => !SATELLITE.includes(id)) },
      { placement: 'satellite', stacks: line.stacks.map((m) => m.id).filter((id) => SATELLITE.includes(id)) },
    ]);
    expect(targetOf(p, meta('cwmetrics'))).toEqual(B);
    expect(targetOf(p, meta('services'))).toBeUndefined();
    expect(accountLabel(p, meta('satellite-infra-base'), '111111111111')).toBe('account 222222222222, us-east-1');
  });

  it('wires role ARNs and the queue across accounts, but asks for the satellite’s own VPC, subnets and cluster', () => {
    const home = plan();
    const split = plan({});
    // in one account the collector takes A's VPC and cluster; in B the user gives B's
    expect(filledKeys(meta('satellite-services'), home, line.stacks).sort()).toEqual(['AlbSubnetsCsv', 'EcsClusterArn', 'OrganizationId', 'RawBucketName', 'TaskSubnetsCsv', 'VpcId']);
    expect(filledKeys(meta('satellite-services'), split, line.stacks).sort()).toEqual(['OrganizationId', 'RawBucketName']);
    // B's access role still trusts A's process role, and A's services still read B's queue, role and collector
    expect(filledKeys(meta('satellite-infra-base'), split, line.stacks)).toEqual(['LakerunnerPrincipal']);
    expect(filledKeys(meta('services'), split, line.stacks)).toEqual(filledKeys(meta('services'), home, line.stacks));
    const stacks = Object.fromEntries(planStacks(split, line.stacks).map((s) => [s.meta.id, s]));
    expect(stacks['satellite-infra-base']!.pending).toEqual({ LakerunnerPrincipal: { stack: 'infra-base', output: 'ProcessRoleArn' } });
    expect(stacks.services!.pending).toMatchObject({ QueueUrl: { stack: 'satellite-infra-base', output: 'RawQueueUrl' }, QueueRoleArn: { stack: 'satellite-infra-base', output: 'LakerunnerAccessRoleArn' } });
    expect(stacks['satellite-services']!.values).toMatchObject({ VpcId: 'vpc-0b1c2d3e', EcsClusterArn: 'arn:aws:ecs:us-east-1:222222222222:cluster/satellite' });
    expect(Object.keys(stacks['satellite-services']!.pending)).toEqual(['RawBucketName']);
  });
});

describe('where the launch steps read each stack', () => {
  it('reads the satellite’s included stacks in its account, with its target, and the others in the deployment’s', () => {
    const p = plan({});
    p.include = { ...p.include, cwmetrics: false };
    const { home, others } = stacksByAccount(p, planStacks(p, line.stacks));
    expect(home).toEqual(planStacks(p, line.stacks).filter((s) => !SATELLITE.includes(s.meta.id)).map((s) => s.stackName));
    expect(home).toContain(p.stackNames.services);
    expect(others).toEqual([{ account: B, names: [p.stackNames['satellite-infra-base'], p.stackNames['satellite-services']] }]);
  });

  it('reads everything in the deployment’s account when the plan has one account', () => {
    const p = plan();
    expect(stacksByAccount(p, planStacks(p, line.stacks))).toEqual({ home: planStacks(p, line.stacks).map((s) => s.stackName), others: [] });
  });
});

describe('the plan schema checks the other account', () => {
  it('accepts a plan without one, and one with a complete target, trimmed', async () => {
    expect(await errorsOf(plan())).toEqual({});
    const parsed = await schema.parseAsync(plan({ accountId: ' 222222222222 ', roleArn: `${B.roleArn} ` }));
    expect(parsed.accounts).toEqual({ satellite: B });
  });

  it.each([
    [{ accountId: '22222222222' }, 'accountId', 'Account ID must be 12 digits, such as 222222222222.'],
    [{ roleArn: 'LakerunnerDeployRole' }, 'roleArn', 'Role ARN must be an IAM role ARN, such as arn:aws:iam::222222222222:role/LakerunnerDeployRole.'],
    [{ roleArn: 'arn:aws:iam::333333333333:role/Deploy' }, 'roleArn', 'The role must be in account 222222222222, the account the stacks go to.'],
    [{ externalId: 'has spaces in it' }, 'externalId', 'External ID must be 2 to 1,224 characters: letters, digits and + = , . @ : / - _ (or empty for none).'],
    [{ region: 'eu-west-1' as const }, 'region', LINE_CURRENT.accountGroups![0]!.sameRegion!],
    [{ region: 'mars-1' as never }, 'region', 'Choose a region from the list.'],
  ])('refuses %j on its own field', async (given, field, message) => {
    expect(await accountErrors(given)).toEqual({ [`accounts.satellite.${field}`]: message });
  });

  it('takes an empty ExternalId as none', async () => {
    expect(await accountErrors({ externalId: '' })).toEqual({});
  });

  it('asks for the satellite’s VPC, subnets and cluster once it is in another account', async () => {
    const p = plan({});
    Object.assign(p.params['satellite-services']!, { VpcId: '', EcsClusterArn: '' });
    const errors = await errorsOf(p);
    expect(Object.keys(errors).sort()).toEqual(['params.satellite-services.EcsClusterArn', 'params.satellite-services.VpcId']);
  });

  it('knows only the line’s groups: an unknown group, or any on the 2025 line, is refused', async () => {
    expect(Object.keys(await errorsOf({ ...plan(), accounts: { edge: B } }))).toEqual(['accounts.edge']);
    const legacy = defaultPlan(LINE_2025_META);
    expect(Object.keys(await errorsOf({ ...legacy, accounts: { satellite: B } }, createPlanSchema(LINE_2025_META)))).toEqual(['accounts.satellite']);
  });
});

describe('the ExternalIds of a plan', () => {
  it('are split off for the browser’s session storage, the rest kept', () => {
    expect(splitAccountSecrets(undefined)).toEqual({ secrets: {} });
    expect(splitAccountSecrets({ satellite: B })).toEqual({ open: { satellite: { ...B, externalId: '' } }, secrets: { satellite: 'ext-7' } });
  });
});
