import { describe, expect, it } from 'vitest';
import { quickCreateUrl, secretKeysToEnter } from './quick-create';
import type { ParamSpec } from './spec';

const specs: ParamSpec[] = [
  { key: 'VpcId', type: 'AWS::EC2::VPC::Id', label: 'VPC', description: 'd', group: 'g' },
  { key: 'PrivateSubnets', type: 'List<AWS::EC2::Subnet::Id>', label: 'Subnets', description: 'd', group: 'g' },
  { key: 'Empty', type: 'String', label: 'Empty', description: 'd', group: 'g', default: '' },
  { key: 'Secret', type: 'String', label: 'Secret', description: 'd', group: 'g', default: '', noEcho: true },
  { key: 'Yaml', type: 'String', label: 'Yaml', description: 'd', group: 'g', default: '' },
];

describe('quickCreateUrl', () => {
  const url = quickCreateUrl({
    region: 'eu-west-1',
    templateUrl: 'https://b.s3.eu-west-1.amazonaws.com/lr/lakerunner-common.yaml',
    stackName: 'lakerunner-common',
    specs,
    values: { VpcId: 'vpc-0abc1234', PrivateSubnets: 'subnet-0a,subnet-0b', Empty: '', Secret: 'hunter2', Yaml: 'a: b\n#&=?' },
  });
  const [base, hash] = url.split('#');
  const query = new URLSearchParams(hash?.replace('/stacks/quickcreate?', ''));

  it('opens the console quick-create page of the region', () => {
    expect(base).toBe('https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1');
    expect(hash?.startsWith('/stacks/quickcreate?templateURL=')).toBe(true);
  });

  it('carries the template URL, stack name and every non-empty value as param_<Key>', () => {
    expect(query.get('templateURL')).toBe('https://b.s3.eu-west-1.amazonaws.com/lr/lakerunner-common.yaml');
    expect(query.get('stackName')).toBe('lakerunner-common');
    expect(query.get('param_VpcId')).toBe('vpc-0abc1234');
    expect(query.get('param_PrivateSubnets')).toBe('subnet-0a,subnet-0b');
    expect(query.get('param_Yaml')).toBe('a: b\n#&=?');
    expect(query.has('param_Empty')).toBe(false);
  });

  it('never puts a NoEcho value into the link', () => {
    expect(query.has('param_Secret')).toBe(false);
    expect(url).not.toContain('hunter2');
    expect(secretKeysToEnter(specs, { Secret: 'hunter2' })).toEqual(['Secret']);
    expect(secretKeysToEnter(specs, { Secret: '' })).toEqual([]);
  });
});
