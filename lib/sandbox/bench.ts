// Sandbox figures for `npm run bench`: the 2025 line's seven-stack deployment at time scale 0 (pure engine
// and protocol overhead) and DescribeStackEvents throughput through the SDK.
import 'server-only';
import { CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { byteLength, toYaml } from '@/lib/cfn/serialize';
import { lineById } from '@/templates/index';
import { renderTemplate } from '@/templates/stack';
import { TEMPLATE_BODY_LIMIT } from './cfn/request';
import { startSandbox } from './index';

const outputsOf = (stack: Stack) => Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));

async function waitFor(cfn: CloudFormationClient, name: string): Promise<Stack> {
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function benchSandbox(): Promise<{ sevenStackDeployMs: number; describeEventsPerSecond: number; stacks: number }> {
  const sandbox = await startSandbox({ timeScale: 0 });
  try {
    const config = { endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.credentials };
    const cfn = new CloudFormationClient(config);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-templates' }));
    const bodies = lineById('2025').stacks.map((definition) => ({ definition, body: toYaml(renderTemplate(definition)) }));

    const deployed = new Map<string, Stack>();
    const started = performance.now();
    for (const { definition, body } of bodies) {
      const name = `bench-${definition.id}`;
      let source: { TemplateBody?: string; TemplateURL?: string } = { TemplateBody: body };
      if (byteLength(body) > TEMPLATE_BODY_LIMIT) {
        await s3.send(new PutObjectCommand({ Bucket: 'bench-templates', Key: `${name}.yaml`, Body: body }));
        source = { TemplateURL: `https://bench-templates.s3.amazonaws.com/${name}.yaml` };
      }
      const parameters = Object.entries(definition.inputs).map(([key, input]) => ({
        ParameterKey: key,
        ParameterValue: 'stackName' in input ? `bench-${input.stackName}` : 'output' in input ? outputsOf(deployed.get(input.output[0])!)[input.output[1]] : undefined,
      }));
      await cfn.send(new CreateStackCommand({ StackName: name, ...source, Parameters: parameters, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] }));
      const stack = await waitFor(cfn, name);
      if (stack.StackStatus !== 'CREATE_COMPLETE') throw new Error(`${name} ended ${stack.StackStatus}: ${stack.StackStatusReason ?? ''}`);
      deployed.set(definition.id, stack);
    }
    const sevenStackDeployMs = performance.now() - started;

    // The largest stack's newest page (100 events) is what a console polls most.
    const largest = [...bodies].sort((a, b) => b.body.length - a.body.length)[0]!;
    const busiest = deployed.get(largest.definition.id)!;
    let requests = 0;
    const until = performance.now() + 3000;
    const worker = async () => {
      while (performance.now() < until) {
        await cfn.send(new DescribeStackEventsCommand({ StackName: busiest.StackId }));
        requests++;
      }
    };
    const measured = performance.now();
    await Promise.all(Array.from({ length: 8 }, worker));
    const describeEventsPerSecond = requests / ((performance.now() - measured) / 1000);
    return { sevenStackDeployMs: Math.round(sevenStackDeployMs), describeEventsPerSecond: Math.round(describeEventsPerSecond), stacks: deployed.size };
  } finally {
    await sandbox.close();
  }
}
