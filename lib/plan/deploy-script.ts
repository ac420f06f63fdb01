// deploy.sh for the download bundle: creates the plan's stacks one at a time in an order of the
// dependency graph (saying which could run side by side) with the right capabilities, waits for
// each, stops at the first failure, and can be re-run. Earlier stacks' outputs are read with
// describe-stacks into the parameters they feed. Templates over the TemplateBody limit go through
// S3, and so do nested stacks' templates (CloudFormation reads those only from S3): to the bucket
// the user names, or one the script creates, private and encrypted.
import { outputVariable, shellQuote } from '@/lib/params/cli';
import type { PendingOutput } from '@/lib/params/plan';

export interface ScriptStack {
  stackName: string;
  templateFile: string;
  parametersFile: string;
  capabilities: readonly string[];
  /** Upload through S3 because the template exceeds 51,200 bytes. */
  viaS3: boolean;
  templateBytes: number;
  pending: Readonly<Record<string, PendingOutput & { stackName: string }>>;
  /** Stack names this one waits for, and those that could run at the same time (the graph's). */
  after: readonly string[];
  alongside: readonly string[];
  /** Parameters whose change on an existing stack CloudFormation would refuse half-way, with the warning. */
  exportChecks?: readonly { key: string; planned: string; warning: string }[];
  /**
   * Its nested stacks' templates: uploaded under keyPrefix (each at its path under templates/), the
   * folder passed in `parameter`; or, with `mirror` (the plan's nested templates mirror, the
   * children's folder there), read from the mirror and nothing uploaded.
   */
  nested?: { parameter: string; keyPrefix: string; folder: string; files: readonly string[]; mirror?: string };
}

const PRELUDE = String.raw`
command -v aws >/dev/null 2>&1 || { echo "deploy.sh needs the AWS CLI v2: https://aws.amazon.com/cli/" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

status_of() {
  aws cloudformation describe-stacks --region "$REGION" --stack-name "$1" \
    --query 'Stacks[0].StackStatus' --output text 2>/dev/null || echo DOES_NOT_EXIST
}

# output_of STACK KEY: one of a finished stack's outputs (each stack's outputs are read once).
output_of() {
  local value outputs="$WORK/outputs-$1"
  if [ ! -f "$outputs" ]; then
    aws cloudformation describe-stacks --region "$REGION" --stack-name "$1" \
      --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text > "$outputs.part"
    mv "$outputs.part" "$outputs"
  fi
  value=$(awk -F '\t' -v key="$2" '$1 == key { print $2 }' "$outputs")
  if ! [[ $value =~ ^[A-Za-z0-9,._:/-]+$ ]]; then
    echo "Stack $1 has no usable output $2 (got '$value')." >&2
    exit 1
  fi
  printf '%s' "$value"
}

parameter_of() {
  aws cloudformation describe-stacks --region "$REGION" --stack-name "$1" \
    --query "Stacks[0].Parameters[?ParameterKey=='$2'].ParameterValue" --output text
}

# warn_if_changed NAME KEY PLANNED WARNING: an existing stack is skipped, never updated, so a planned
# value that differs is not applied; some of those changes need other stacks out of the way first.
warn_if_changed() {
  local deployed
  deployed=$(parameter_of "$1" "$2")
  if [ "$deployed" != "$3" ]; then
    echo "WARNING: $1 has $2=$deployed, and this plan says $3. This script does not update existing stacks. $4" >&2
  fi
}

# ensure_bucket NAME: a private, encrypted bucket in $REGION for the nested stacks' templates.
ensure_bucket() {
  if aws s3api head-bucket --bucket "$1" --region "$REGION" >/dev/null 2>&1; then return; fi
  echo "== creating the template bucket $1 (private, encrypted)"
  local location=()
  if [ "$REGION" != us-east-1 ]; then location=(--create-bucket-configuration "LocationConstraint=$REGION"); fi
  aws s3api create-bucket --bucket "$1" --region "$REGION" "$\{location[@]}" >/dev/null
  aws s3api put-public-access-block --bucket "$1" --region "$REGION" \
    --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
  aws s3api put-bucket-encryption --bucket "$1" --region "$REGION" \
    --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
}

report_failure() {
  echo "Stack $1 did not reach $2. The first failures, oldest first:" >&2
  aws cloudformation describe-stack-events --region "$REGION" --stack-name "$1" \
    --query "reverse(StackEvents[?ends_with(ResourceStatus, '_FAILED')])[:5].[LogicalResourceId,ResourceStatusReason]" \
    --output text >&2 || true
  exit 1
}

# create_stack NAME PARAMETERS_FILE TEMPLATE_ARGS... -- CAPABILITIES...
create_stack() {
  local name=$1 parameters=$2 status
  shift 2
  local template=()
  while [ "$1" != "--" ]; do template+=("$1"); shift; done
  shift
  status=$(status_of "$name")
  case "$status" in
    CREATE_COMPLETE | UPDATE_COMPLETE | UPDATE_ROLLBACK_COMPLETE)
      echo "== $name already exists ($status), skipping"
      return ;;
    DOES_NOT_EXIST) ;;
    *)
      echo "Stack $name is in state $status. Delete it (or let its operation finish), then run this script again." >&2
      exit 1 ;;
  esac
  echo "== creating $name"
  local capabilities=()
  if [ $# -gt 0 ]; then capabilities=(--capabilities "$@"); fi
  aws cloudformation create-stack --region "$REGION" --stack-name "$name" "$\{template[@]}" \
    --parameters "file://$parameters" "$\{capabilities[@]}" >/dev/null
  aws cloudformation wait stack-create-complete --region "$REGION" --stack-name "$name" ||
    report_failure "$name" CREATE_COMPLETE
  echo "== $name: CREATE_COMPLETE"
}
`.replaceAll('$\\{', '${');

/** A plan name as a file-name and S3-key friendly slug. */
export const slug = (name: string) => name.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'lakerunner';

export function deployScript(planName: string, region: string, stacks: readonly ScriptStack[], generatedAt: string): string {
  const needsBucket = stacks.filter((s) => s.viaS3);
  // Children read from a mirror need no bucket; only those the script uploads do.
  const nested = stacks.some((s) => s.nested && !s.nested.mirror);
  const lines = [
    '#!/usr/bin/env bash',
    `# Creates the Lakerunner stacks of plan ${planName} in ${region}, in order, waiting for each.`,
    `# Generated by the Lakerunner Launch Console (${generatedAt}). Safe to re-run after a failure:`,
    '# stacks that already exist are skipped. Needs the AWS CLI v2 and credentials for the account.',
    '# Each stack starts after the stacks it depends on; the console runs independent stacks side by',
    '# side, this script one at a time (the comment above each stack says what could run beside it).',
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    '',
    `REGION=${shellQuote(region)}`,
  ];
  // With nested stacks a bucket is needed anyway: the script makes one when none is named.
  if (needsBucket.length > 0 && !nested) {
    lines.push(
      'TEMPLATE_BUCKET=${LAKERUNNER_TEMPLATE_BUCKET:-}',
      'if [ -z "$TEMPLATE_BUCKET" ]; then',
      `  echo ${shellQuote(
        `${needsBucket.map((s) => `${s.templateFile} (${s.templateBytes.toLocaleString('en-US')} bytes)`).join(', ')} exceed CloudFormation's 51,200-byte limit for --template-body.`,
      )} >&2`,
      `  echo "Set LAKERUNNER_TEMPLATE_BUCKET to an S3 bucket in ${region} this script may upload templates to, then run it again." >&2`,
      '  exit 1',
      'fi',
    );
  }
  lines.push(PRELUDE);
  if (nested)
    lines.push(
      '# Nested stacks load their templates from S3: the bucket you name, or one made for them here.',
      'TEMPLATE_BUCKET=${LAKERUNNER_TEMPLATE_BUCKET:-}',
      'if [ -z "$TEMPLATE_BUCKET" ]; then',
      '  ACCOUNT=$(aws sts get-caller-identity --region "$REGION" --query Account --output text)',
      '  TEMPLATE_BUCKET="lakerunner-templates-$ACCOUNT-$REGION"',
      '  ensure_bucket "$TEMPLATE_BUCKET"',
      'fi',
      '',
    );

  for (const stack of stacks) {
    const name = shellQuote(stack.stackName);
    lines.push(
      `# ${stack.stackName}: ${stack.after.length ? `after ${stack.after.join(', ')}` : 'first'}${stack.alongside.length ? `; could run side by side with ${stack.alongside.join(', ')}` : ''}`,
    );
    let parameters = stack.parametersFile;
    const pending = Object.entries(stack.pending);
    const filled = pending.map(([key]) => key);
    if (stack.nested?.mirror) {
      const { files, parameter, mirror } = stack.nested;
      lines.push(`# its ${files.length} nested stacks' templates come from the plan's mirror (copy ${files.map((f) => f.slice('templates/'.length)).join(', ')} there)`);
      lines.push(`${outputVariable(parameter)}=${shellQuote(mirror)}`);
      filled.push(parameter);
    } else if (stack.nested) {
      const { keyPrefix, folder, files, parameter } = stack.nested;
      lines.push(`# its ${files.length} nested stacks' templates, where it loads them from`);
      for (const file of files)
        lines.push(`aws s3 cp ${file} "s3://$TEMPLATE_BUCKET/${keyPrefix}${file.slice('templates/'.length)}" --region "$REGION" >/dev/null`);
      lines.push(`${outputVariable(parameter)}="https://$TEMPLATE_BUCKET.s3.$REGION.amazonaws.com/${keyPrefix}${folder}"`);
      filled.push(parameter);
    }
    if (filled.length > 0) {
      for (const [key, p] of pending) lines.push(`${outputVariable(key)}=$(output_of ${shellQuote(p.stackName)} ${shellQuote(p.output)})`);
      // The placeholder is a whole JSON string ("@Key@", quotes included), so a user's value that
      // merely contains @Key@ (its quotes are escaped in JSON) is never rewritten.
      const edits = filled.map((key) => `-e "s|\\"@${key}@\\"|\\"$${outputVariable(key)}\\"|g"`).join(' ');
      parameters = `$WORK/${stack.parametersFile.split('/').pop()}`;
      lines.push(`sed ${edits} ${stack.parametersFile} > "${parameters}"`);
    }
    let template = `--template-body file://${stack.templateFile}`;
    if (stack.viaS3) {
      const key = `lakerunner/${slug(planName)}/${stack.templateFile.split('/').pop()}`;
      lines.push(`aws s3 cp ${stack.templateFile} "s3://$TEMPLATE_BUCKET/${key}" --region "$REGION" >/dev/null`);
      template = `--template-url "https://$TEMPLATE_BUCKET.s3.$REGION.amazonaws.com/${key}"`;
    }
    lines.push(`create_stack ${name} "${parameters}" ${template} -- ${stack.capabilities.join(' ')}`.trimEnd());
    for (const check of stack.exportChecks ?? []) lines.push(`warn_if_changed ${name} ${shellQuote(check.key)} ${shellQuote(check.planned)} ${shellQuote(check.warning)}`);
    lines.push('');
  }
  lines.push(`echo "All ${stacks.length} stacks of plan ${planName} are ready."`, '');
  return lines.join('\n');
}
