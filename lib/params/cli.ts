// Copyable AWS CLI commands for a planned stack. NoEcho values are masked: create commands
// carry a placeholder to replace, update commands keep the previous value.
import type { PendingOutput } from './plan';
import type { ParamSpec } from './spec';

export const MASK = '****';

export type TemplateSource = { file: string } | { url: string } | { upload: { file: string; bucketVar: string; key: string } };

export interface CliStack {
  stackName: string;
  region: string;
  specs: readonly ParamSpec[];
  values: Readonly<Record<string, string>>;
  pending: Readonly<Record<string, PendingOutput & { stackName: string }>>;
  capabilities: readonly string[];
  template: TemplateSource;
  /** Printed above the update command: changes CloudFormation would refuse half-way. */
  updateWarnings?: readonly string[];
}

/** Single-quotes a string for POSIX shells. */
export const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export const outputVariable = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

function outputLookups(stack: CliStack): string[] {
  return Object.entries(stack.pending).map(
    ([key, p]) =>
      `${outputVariable(key)}=$(aws cloudformation describe-stacks --region ${stack.region} --stack-name ${p.stackName} ` +
      `--query "Stacks[0].Outputs[?OutputKey=='${p.output}'].OutputValue" --output text)`,
  );
}

function parameterLines(stack: CliStack, mode: 'create' | 'update'): string[] {
  const json = (text: string) => JSON.stringify(text).replace(/'/g, `'\\''`);
  const lines: string[] = [];
  for (const spec of stack.specs) {
    const key = JSON.stringify(spec.key);
    if (stack.pending[spec.key]) {
      lines.push(`{"ParameterKey": ${key}, "ParameterValue": "'"$${outputVariable(spec.key)}"'"}`);
      continue;
    }
    const value = stack.values[spec.key];
    if (value === undefined) continue;
    if (spec.noEcho) {
      if (mode === 'update') lines.push(`{"ParameterKey": ${key}, "UsePreviousValue": true}`);
      else if (value !== '') lines.push(`{"ParameterKey": ${key}, "ParameterValue": "${MASK}"}`);
      continue;
    }
    lines.push(`{"ParameterKey": ${key}, "ParameterValue": ${json(value)}}`);
  }
  return lines;
}

function templateArgs(stack: CliStack): { before: string[]; args: string[] } {
  if ('file' in stack.template) return { before: [], args: [`--template-body file://${stack.template.file}`] };
  if ('url' in stack.template) return { before: [], args: [`--template-url ${shellQuote(stack.template.url)}`] };
  const { file, bucketVar, key } = stack.template.upload;
  return {
    before: [
      `# The template is over CloudFormation's 51,200-byte --template-body limit: upload it to S3 first.`,
      `aws s3 cp ${file} "s3://$${bucketVar}/${key}" --region ${stack.region}`,
    ],
    args: [`--template-url "https://$${bucketVar}.s3.${stack.region}.amazonaws.com/${key}"`],
  };
}

export function cliCommand(stack: CliStack, mode: 'create' | 'update'): string {
  const params = parameterLines(stack, mode);
  const template = templateArgs(stack);
  const secrets = stack.specs.filter((s) => s.noEcho && (stack.values[s.key] ?? '') !== '').map((s) => s.key);
  const notes =
    mode === 'create' && secrets.length > 0
      ? [`# ${secrets.join(', ')} ${secrets.length > 1 ? 'are' : 'is'} NoEcho: replace ${MASK} with the value before running.`]
      : mode === 'update'
        ? (stack.updateWarnings ?? []).map((warning) => `# WARNING: ${warning}`)
        : [];
  const args = [
    `--region ${stack.region}`,
    `--stack-name ${stack.stackName}`,
    ...template.args,
    ...(stack.capabilities.length > 0 ? [`--capabilities ${stack.capabilities.join(' ')}`] : []),
    ...(params.length > 0 ? [`--parameters '[\n    ${params.join(',\n    ')}\n  ]'`] : []),
  ];
  return [
    ...notes,
    ...outputLookups(stack),
    ...template.before,
    `aws cloudformation ${mode}-stack \\\n  ${args.join(' \\\n  ')}`,
    `aws cloudformation wait stack-${mode}-complete --region ${stack.region} --stack-name ${stack.stackName}`,
  ].join('\n');
}
