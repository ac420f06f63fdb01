// deploy.sh for the download bundle: creates the plan's stacks one at a time in an order of the
// dependency graph (saying which could run side by side) with the right capabilities, waits for
// each, stops at the first failure, and can be re-run. Earlier stacks' outputs are read with
// describe-stacks into the parameters they feed. Templates over the TemplateBody limit go through
// S3, and so do nested stacks' templates (CloudFormation reads those only from S3): to the bucket
// the user names, or one the script creates, private and encrypted. A plan that puts stacks in
// other accounts runs each stack with its account's AWS CLI profile (checked with STS before
// anything is created) and reads each output in the account of the stack that has it.
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
  /** The account the stack goes to (ScriptAccount.key); absent for the deployment's own. */
  account?: string;
  /** The accounts of the stacks whose outputs fill `pending` (by parameter), when not the deployment's. */
  pendingAccounts?: Readonly<Record<string, string>>;
}

/** The deployment's own account in ScriptAccount.key. */
export const HOME_ACCOUNT = 'home';

/** An account the plan puts stacks in: the deployment's own (key 'home') or another, by its 12-digit id. */
export interface ScriptAccount {
  key: string;
  region: string;
  /** The deploy role the console assumes there (for the README's example profile); none for the deployment's own. */
  roleArn?: string;
  /** Its stacks' names, in plan order. */
  stackNames: readonly string[];
}

/** The environment variable that names an account's AWS CLI profile (LAKERUNNER_PROFILE_222222222222, LAKERUNNER_PROFILE_HOME). */
export const profileVariable = (key: string) => `LAKERUNNER_PROFILE_${key.toUpperCase()}`;

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

/**
 * The option parsing, --help, and with several accounts the per-account profile, the `aws` wrapper
 * that adds it, and the STS check of every account before anything is created.
 */
function accountLines(planName: string, accounts: readonly ScriptAccount[]): { options: string[]; functions: string[]; check: string[] } {
  const several = accounts.length > 1;
  const others = accounts.filter((a) => a.key !== HOME_ACCOUNT);
  const home = accounts.find((a) => a.key === HOME_ACCOUNT);
  const usage = [
    'Usage: ./deploy.sh [--help]' + (several ? ` [--profile ACCOUNT=PROFILE]...` : ''),
    '',
    `Creates the stacks of plan ${planName} in order, waiting for each; stacks that exist are skipped.`,
    'LAKERUNNER_TEMPLATE_BUCKET names an S3 bucket for templates that must go through S3.',
    ...(several
      ? [
          '',
          'The plan puts stacks in more than one AWS account; each stack is created with its account\'s',
          'credentials, and outputs are read in the account of the stack that has them:',
          ...accounts.map((a) =>
            a.key === HOME_ACCOUNT
              ? `  home (the deployment's account, ${a.region}): ${a.stackNames.join(', ')}`
              : `  ${a.key} (${a.region}): ${a.stackNames.join(', ')}`,
          ),
          '',
          '  --profile ACCOUNT=PROFILE   the AWS CLI profile for ACCOUNT (home or its 12-digit id);',
          `                              or set ${accounts.map((a) => profileVariable(a.key)).join(', ')}.`,
          '                              Without one, an account uses the credentials the AWS CLI finds.',
          '',
          'Before creating anything, deploy.sh asks STS (aws sts get-caller-identity) who each account\'s',
          'credentials are, and stops when they are another account\'s.',
        ]
      : []),
  ];
  const options = [
    'usage() {',
    "  cat <<'USAGE'",
    ...usage,
    'USAGE',
    '}',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in',
    '    -h | --help) usage; exit 0 ;;',
    ...(several
      ? [
          '    --profile)',
          '      [ $# -ge 2 ] || { echo "deploy.sh: --profile needs ACCOUNT=PROFILE." >&2; exit 2; }',
          '      case "$2" in',
          ...accounts.map((a) => `        ${a.key === HOME_ACCOUNT ? 'home=?*' : `${a.key}=?*`}) ${profileVariable(a.key)}=\${2#*=} ;;`),
          `        *) echo "deploy.sh: --profile $2: give ACCOUNT=PROFILE with ACCOUNT one of ${accounts.map((a) => a.key).join(', ')}." >&2; exit 2 ;;`,
          '      esac',
          '      shift 2 ;;',
        ]
      : []),
    '    *) echo "deploy.sh: unknown option $1 (see ./deploy.sh --help)." >&2; exit 2 ;;',
    '  esac',
    'done',
    '',
  ];
  if (!several || !home) return { options, functions: [], check: [] };
  const functions = [
    '# Each account\'s profile and region; `aws` adds the profile of the account in use.',
    ...accounts.map((a) => `${profileVariable(a.key)}=\${${profileVariable(a.key)}:-}`),
    'PROFILE=',
    'use_account() {',
    '  case "$1" in',
    ...accounts.map((a) => `    ${a.key}) PROFILE=$${profileVariable(a.key)}; REGION=${shellQuote(a.region)} ;;`),
    '  esac',
    '}',
    'aws() {',
    '  if [ -n "$PROFILE" ]; then command aws --profile "$PROFILE" "$@"; else command aws "$@"; fi',
    '}',
    '# in_account ACCOUNT COMMAND...: a command run with that account\'s profile and region.',
    'in_account() {',
    '  local PROFILE REGION',
    '  use_account "$1"',
    '  shift',
    '  "$@"',
    '}',
    'identity_of() {',
    '  aws sts get-caller-identity --region "$REGION" --query Account --output text 2>"$WORK/sts-error" ||',
    '    { echo "deploy.sh could not tell which AWS account the credentials for $1 are in: $(cat "$WORK/sts-error")" >&2; exit 1; }',
    '}',
    '',
  ];
  const homeStacks = home.stackNames.join(', ');
  const check = [
    '# Every account\'s credentials are checked before anything is created.',
    `HOME_IDENTITY=$(in_account home identity_of "the deployment's account")`,
    ...others.flatMap((a) => {
      const variable = profileVariable(a.key);
      const stacks = a.stackNames.join(', ');
      return [
        `IDENTITY=$(in_account ${a.key} identity_of "account ${a.key}")`,
        `if [ "$IDENTITY" != ${a.key} ]; then`,
        `  if [ -z "$${variable}" ]; then`,
        `    echo ${shellQuote(`The plan puts ${stacks} in account ${a.key}, and no AWS CLI profile is given for that account: the credentials this script runs with are account `)}"$IDENTITY"${shellQuote(`'s. Give a profile for account ${a.key} (./deploy.sh --profile ${a.key}=NAME, or ${variable}=NAME${a.roleArn ? `; for example one that assumes ${a.roleArn}` : ''}, see README.md). Nothing was created.`)} >&2`,
        '  else',
        `    echo "The AWS CLI profile $${variable} given for account ${a.key} is account $IDENTITY's: give a profile for account ${a.key}. Nothing was created." >&2`,
        '  fi',
        '  exit 1',
        'fi',
        `if [ "$HOME_IDENTITY" = ${a.key} ]; then`,
        `  echo ${shellQuote(`The credentials for the deployment's own stacks (${homeStacks}) are account ${a.key}'s, where the plan puts only ${stacks}. Run deploy.sh with credentials for the deployment's account, or give its profile with --profile home=NAME (or ${profileVariable(HOME_ACCOUNT)}=NAME). Nothing was created.`)} >&2`,
        '  exit 1',
        'fi',
      ];
    }),
    `echo "== accounts: the deployment's is $HOME_IDENTITY; ${others.map((a) => `${a.key} for ${a.stackNames.join(', ')}`).join('; ')}"`,
    'use_account home',
    '',
  ];
  return { options, functions, check };
}

export function deployScript(planName: string, region: string, stacks: readonly ScriptStack[], generatedAt: string, accounts: readonly ScriptAccount[] = []): string {
  const several = accounts.length > 1;
  const { options, functions, check } = accountLines(planName, accounts);
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
    ...(several ? ['# The plan puts stacks in several accounts: see ./deploy.sh --help for each account\'s profile.'] : []),
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    '',
    ...options,
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
  lines.push(PRELUDE, ...functions, ...check);
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

  let inUse = HOME_ACCOUNT;
  for (const stack of stacks) {
    const name = shellQuote(stack.stackName);
    lines.push(
      `# ${stack.stackName}: ${stack.after.length ? `after ${stack.after.join(', ')}` : 'first'}${stack.alongside.length ? `; could run side by side with ${stack.alongside.join(', ')}` : ''}`,
    );
    const account = stack.account ?? HOME_ACCOUNT;
    if (several && account !== inUse) {
      lines.push(`use_account ${account}${account === HOME_ACCOUNT ? " # the deployment's account" : ''}`);
      inUse = account;
    }
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
      for (const [key, p] of pending) {
        // an output of a stack in another account is read there, with that account's profile
        const from = several ? (stack.pendingAccounts?.[key] ?? HOME_ACCOUNT) : account;
        const read = `output_of ${shellQuote(p.stackName)} ${shellQuote(p.output)}`;
        lines.push(`${outputVariable(key)}=$(${from === account ? read : `in_account ${from} ${read}`})`);
      }
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
