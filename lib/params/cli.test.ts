import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliCommand, MASK, shellQuote, type CliStack } from './cli';
import type { ParamSpec } from './spec';

const specs: ParamSpec[] = [
  { key: 'VpcId', type: 'AWS::EC2::VPC::Id', label: 'VPC', description: 'd', group: 'g' },
  { key: 'ApiKeysOverride', type: 'String', label: 'Keys', description: 'd', group: 'g', default: '', noEcho: true },
  { key: 'Yaml', type: 'String', label: 'Yaml', description: 'd', group: 'g', default: '' },
];

const stack: CliStack = {
  stackName: 'lakerunner-common',
  region: 'us-east-1',
  specs,
  values: { ApiKeysOverride: 'super-secret', Yaml: "it's: \"quoted\"\nnext: $HOME" },
  pending: { VpcId: { stack: 'vpc', output: 'VpcId', stackName: 'lakerunner-vpc' } },
  capabilities: ['CAPABILITY_IAM'],
  template: { file: 'lakerunner-common.yaml' },
};

/** Runs the command's --parameters argument through a real shell and parses the JSON it receives. */
function parametersAsShellSeesThem(command: string): unknown {
  const start = command.indexOf("--parameters '");
  const argument = command.slice(start + '--parameters '.length).split('\naws cloudformation wait')[0] ?? '';
  const script = `VPC_ID=vpc-0abc1234; printf '%s' ${argument}`;
  return JSON.parse(execFileSync('bash', ['-c', script], { encoding: 'utf8' }));
}

describe('cliCommand', () => {
  it('creates with capabilities, looks up pending outputs and masks secrets', () => {
    const command = cliCommand(stack, 'create');
    expect(command).toContain('aws cloudformation create-stack \\\n  --region us-east-1 \\\n  --stack-name lakerunner-common');
    expect(command).toContain('--template-body file://lakerunner-common.yaml');
    expect(command).toContain('--capabilities CAPABILITY_IAM');
    expect(command).toContain(`VPC_ID=$(aws cloudformation describe-stacks --region us-east-1 --stack-name lakerunner-vpc --query "Stacks[0].Outputs[?OutputKey=='VpcId'].OutputValue" --output text)`);
    expect(command).not.toContain('super-secret');
    expect(command).toContain('# ApiKeysOverride is NoEcho');
    expect(parametersAsShellSeesThem(command)).toEqual([
      { ParameterKey: 'VpcId', ParameterValue: 'vpc-0abc1234' },
      { ParameterKey: 'ApiKeysOverride', ParameterValue: MASK },
      { ParameterKey: 'Yaml', ParameterValue: "it's: \"quoted\"\nnext: $HOME" },
    ]);
    expect(command.endsWith('aws cloudformation wait stack-create-complete --region us-east-1 --stack-name lakerunner-common')).toBe(true);
  });

  it('updates keeping the previous secret value', () => {
    const command = cliCommand(stack, 'update');
    expect(command).toContain('aws cloudformation update-stack');
    expect(parametersAsShellSeesThem(command)).toContainEqual({ ParameterKey: 'ApiKeysOverride', UsePreviousValue: true });
    expect(command).not.toContain('super-secret');
  });

  it('prints the export-change warnings above the update command, as comments, and not above the create command', () => {
    const warned = { ...stack, updateWarnings: ['Changing AlbScheme of lakerunner-common replaces LoadBalancer. Delete lakerunner-services first.'] };
    const update = cliCommand(warned, 'update');
    expect(update.split('\n')[0]).toBe('# WARNING: Changing AlbScheme of lakerunner-common replaces LoadBalancer. Delete lakerunner-services first.');
    expect(cliCommand(warned, 'create')).not.toContain('WARNING');
    execFileSync('bash', ['-n', '-c', update]);
  });

  it('uploads templates over the TemplateBody limit to S3 first', () => {
    const command = cliCommand({ ...stack, template: { upload: { file: 'big.yaml', bucketVar: 'TEMPLATE_BUCKET', key: 'lakerunner/big.yaml' } } }, 'create');
    expect(command).toContain('aws s3 cp big.yaml "s3://$TEMPLATE_BUCKET/lakerunner/big.yaml" --region us-east-1');
    expect(command).toContain('--template-url "https://$TEMPLATE_BUCKET.s3.us-east-1.amazonaws.com/lakerunner/big.yaml"');
    expect(command).not.toContain('--template-body file://');
  });

  it('quotes arbitrary text for the shell', () => {
    for (const text of ["a'b", '$(rm -rf /)', 'x\ny', '`id`']) expect(execFileSync('bash', ['-c', `printf '%s' ${shellQuote(text)}`], { encoding: 'utf8' })).toBe(text);
  });
});
