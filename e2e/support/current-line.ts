// The current line deployed straight into the console's sandbox, as upstream's shell drivers do it:
// the services root's children uploaded to a bucket, then each stack created in order with the
// outputs of the stacks before it passed to its parameters by name. For journeys about what the
// console makes of a current-line install it did not create (discovery, access points, manual steps).
import { CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, DeleteBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect } from '@playwright/test';
import { generate } from 'selfsigned';
import { CURRENT_STACKS } from '../../templates/current';
import { fileText, templateFiles } from '../../templates/files';
import { SANDBOX_CREDENTIALS, SANDBOX_ENDPOINT, sandbox } from './sandbox';

const outputsOf = (stack: Stack) => Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));

async function settled(cfn: CloudFormationClient, stackName: string): Promise<Stack> {
  await expect
    .poll(async () => (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0]?.StackStatus, { timeout: 120_000 })
    .toMatch(/_COMPLETE$|_FAILED$/);
  return (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0]!;
}

/** What upstream's drivers pass by hand from one stack's outputs to another's differently named parameters. */
function byHand(id: string, outputs: DirectInstall['outputs'], templateBaseUrl: string): Record<string, string> {
  const vpc = outputs.vpc ?? {};
  const satellite = outputs['satellite-infra-base'] ?? {};
  switch (id) {
    case 'satellite-infra-base':
      return { LakerunnerPrincipal: outputs['infra-base']?.ProcessRoleArn ?? '' };
    case 'satellite-services':
      return { EcsClusterArn: outputs.cluster?.ClusterArn ?? '', AlbSubnetsCsv: vpc.PrivateSubnetsCsv ?? '', TaskSubnetsCsv: vpc.PrivateSubnetsCsv ?? '' };
    case 'services':
      return {
        PrivateSubnets: vpc.PrivateSubnetsCsv ?? '',
        PublicSubnets: vpc.PublicSubnetsCsv ?? '',
        QueueUrl: satellite.RawQueueUrl ?? '',
        QueueRoleArn: satellite.LakerunnerAccessRoleArn ?? '',
        SelfTelemetryEndpoint: outputs['satellite-services']?.CollectorEndpoint ?? '',
        TemplateBaseUrl: templateBaseUrl,
      };
    default:
      return {};
  }
}

export interface DirectInstall {
  /** Stack names by stack id. */
  names: Record<string, string>;
  /** Outputs by stack id. */
  outputs: Record<string, Record<string, string>>;
  stacks: Record<string, Stack>;
  /** The values given by stack id. */
  given: Record<string, Record<string, string>>;
}

/**
 * Creates the current line's stacks (our VPC and cluster included, without the CloudWatch stream)
 * named `<prefix>-<id>`, each from its JSON template, with the outputs of every stack before it
 * whose names match its parameters, plus `given` values by stack id.
 */
export async function installCurrentLineDirectly(prefix: string, given: Record<string, Record<string, string>>): Promise<DirectInstall> {
  const cfn = sandbox.cloudFormation();
  const s3 = new S3Client({ region: 'us-east-1', endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS, forcePathStyle: true });
  const bucket = `${prefix}-templates`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const files = templateFiles(CURRENT_STACKS, 'json');
  for (const file of files.filter((f) => f.childId)) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: file.path, Body: fileText(file, 'json') }));

  // As the services driver does on a create: a self-signed certificate, or the listeners get an empty ARN.
  const certificate = await generate([{ name: 'commonName', value: 'cardinal.test' }], { keySize: 2048 });
  const install: DirectInstall = { names: {}, outputs: {}, stacks: {}, given };
  const known: Record<string, string> = {};
  for (const definition of CURRENT_STACKS.filter((s) => s.id !== 'cwmetrics')) {
    const name = `${prefix}-${definition.id}`;
    const root = files.find((f) => f.stackId === definition.id && !f.childId)!;
    const values: Record<string, string> = {
      ...Object.fromEntries(definition.parameters.filter((p) => p.key in known).map((p) => [p.key, known[p.key]!])),
      ...byHand(definition.id, install.outputs, `https://${bucket}.s3.amazonaws.com/cardinal-lakerunner/`),
      ...(definition.id === 'services' ? { CertificateBody: certificate.cert, CertificatePrivateKey: certificate.private } : {}),
      ...given[definition.id],
    };
    await cfn.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: fileText(root, 'json'),
        Parameters: Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
        Capabilities: ['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
      }),
    );
    const stack = await settled(cfn, name);
    const failed = stack.StackStatus === 'CREATE_COMPLETE' ? [] : ((await cfn.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents ?? []).filter((e) => e.ResourceStatus?.endsWith('_FAILED'));
    expect(stack.StackStatus, `${name}: ${failed.map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`).join('; ')}`).toBe('CREATE_COMPLETE');
    install.names[definition.id] = name;
    install.stacks[definition.id] = stack;
    install.outputs[definition.id] = outputsOf(stack);
    Object.assign(known, install.outputs[definition.id]);
  }
  return install;
}


/**
 * Removes what `installCurrentLineDirectly` made, as upstream's teardown does: the stacks last
 * first, then what they keep by design (the cooked bucket, the fixed-name secrets), so a later
 * journey can install the line again in the same sandbox.
 */
export async function removeCurrentLineDirectly(install: DirectInstall): Promise<void> {
  const cfn = sandbox.cloudFormation();
  for (const id of Object.keys(install.names).reverse()) {
    const name = install.names[id]!;
    await cfn.send(new DeleteStackCommand({ StackName: name }));
    await expect
      .poll(async () => (await cfn.send(new DescribeStacksCommand({ StackName: install.stacks[id]!.StackId! }))).Stacks?.[0]?.StackStatus, { timeout: 120_000 })
      .toMatch(/^DELETE_(COMPLETE|FAILED)$/);
  }
  const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS });
  const kept = [install.given['infra-base']?.LicenseSecretName ?? 'cardinal-license', install.given['infra-base']?.AdminKeySecretName ?? 'cardinal-admin-key', 'cardinal-db-master'];
  for (const secret of kept) await secrets.send(new DeleteSecretCommand({ SecretId: secret, ForceDeleteWithoutRecovery: true }));
  const s3 = new S3Client({ region: 'us-east-1', endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS, forcePathStyle: true });
  await s3.send(new DeleteBucketCommand({ Bucket: install.outputs['infra-base']!.CookedBucketName! }));
}
