// Compatibility with the original README (templates/testing/seed-readme.md): every parameter it
// documents exists under its documented name, and every create-stack and update-stack command of
// its examples runs, with its own parameter list, against our templates on the sandbox.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Capability,
  type Parameter,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { toJson } from '@/lib/cfn/serialize';
import { isRequired } from '@/lib/params/spec';
import { sandboxFixture, waitForStack, type Fixture } from '@/lib/sandbox/testing';
import { stackByStem } from './index';
import { STACKS_2025 } from './line-2025';
import { renderTemplate, type StackDefinition } from './stack';
import { documentedParameters, seedBlocks, type SeedBlock, type SeedCommand } from './testing/seed-commands';

const README = readFileSync(join(__dirname, 'testing', 'seed-readme.md'), 'utf8');
const BLOCKS = seedBlocks(README);

/** The README's sections that document parameters, and the stack each documents. */
const SECTIONS: Record<string, string> = {
  Parameters: 'vpc',
  'Step 1: Deploy Common Infrastructure': 'common',
  'Step 2: Deploy ECS Setup Task': 'migration',
  'Step 3: Deploy ECS Services': 'services',
  'Common Infrastructure Stack Parameters': 'common',
  'Migration Stack Parameters': 'migration',
  'Services Stack Parameters': 'services',
  'OTEL Collector Stack Parameters': 'otel',
  'Demo Sample Apps Stack Parameters': 'demo',
};

const byId = (id: string) => STACKS_2025.find((s) => s.id === id) as StackDefinition;

/**
 * The stack a command addresses: by its template file, else by its stack name, which is a stem,
 * an alias, or (lakerunner-grafana in the full deployment) a stem shortened at a hyphen.
 */
function stackOf(command: Pick<SeedCommand, 'templateStem' | 'stackName'>): StackDefinition | undefined {
  if (command.templateStem) return stackByStem(command.templateStem);
  return stackByStem(command.stackName) ?? STACKS_2025.find((s) => s.stem.startsWith(`${command.stackName}-`));
}

describe('the parameters the original README documents', () => {
  const sections = documentedParameters(README);

  it('are all in sections whose stack is known', () => {
    expect(sections.map((s) => s.section).filter((name) => !(name in SECTIONS))).toEqual([]);
    expect(sections.length).toBeGreaterThanOrEqual(9);
  });

  it.each(sections.map((s) => [s.section, s.keys] as const))('%s: each exists under its documented name', (section, keys) => {
    const stack = byId(SECTIONS[section] as string);
    const missing = keys.filter((key) => !stack.parameters.some((p) => p.key === key));
    expect(missing).toEqual([]);
  });
});

describe('the commands of the original README, run against our templates', () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.sandbox.close();
    f = undefined;
  });

  const commands = BLOCKS.flatMap((block) => block.commands);
  it('are read from the README: every create-stack and update-stack example', () => {
    expect(commands.length).toBeGreaterThanOrEqual(17);
    expect(commands.filter((c) => c.verb === 'update-stack').length).toBeGreaterThanOrEqual(4);
    expect(commands.filter((c) => !stackOf(c)).map((c) => `line ${c.line}: ${c.stackName}`)).toEqual([]);
  });

  it.each(BLOCKS.map((block) => [`the block at line ${block.line}`, block] as const))('%s runs to completion', async (_name, block) => {
    f = await sandboxFixture({ timeScale: 0.001 });
    const world = new SeedWorld(f);
    for (const command of block.commands) {
      // Given what the command expects to exist (stacks it names, or that its variables read)
      await world.prepare(block, command);
      // When it runs with the README's own parameter list
      const { stack, unchanged } = await world.run(block, command);
      // Then CloudFormation accepts it and the stack completes with the given values (an update
      // that sets what the stack already has is accepted with "No updates are to be performed")
      const expected = command.verb === 'create-stack' ? 'CREATE_COMPLETE' : unchanged ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
      expect({ line: command.line, status: stack.StackStatus, reason: stack.StackStatusReason }).toEqual({ line: command.line, status: expected, reason: undefined });
      const values = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
      for (const given of command.parameters.filter((p) => !p.usePrevious)) expect(values[given.key], `line ${command.line}: ${given.key}`).toBe(world.resolve(block, given.value ?? ''));
    }
  });
});

/** One sandbox account in which a README block runs, with whatever its commands assume to exist. */
class SeedWorld {
  private readonly resolved = new Map<string, string>();
  private network?: { vpcId: string; privateSubnets: string };

  constructor(private readonly f: Fixture) {}

  private async exists(stackName: string): Promise<Stack | undefined> {
    const found = await this.f.cfn.send(new DescribeStacksCommand({ StackName: stackName })).catch(() => undefined);
    return found?.Stacks?.[0];
  }

  /** The sandbox's workloads VPC and its two private subnets (the README's own ids are placeholders). */
  private async seededNetwork() {
    if (!this.network) {
      const vpc = (await this.f.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['sandbox-workloads'] }] }))).Vpcs?.[0]?.VpcId ?? '';
      const subnets = await this.f.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }, { Name: 'tag:Tier', Values: ['Private'] }] }));
      this.network = { vpcId: vpc, privateSubnets: (subnets.Subnets ?? []).map((s) => s.SubnetId).join(',') };
    }
    return this.network;
  }

  /** A value as the shell would expand it: the block's variables, `$(date +%s)`, the README's placeholder ids. */
  resolve(block: SeedBlock, value: string): string {
    let text = value.replace(/\$\(date \+%s\)/g, '1767225600');
    for (const variable of block.variables) text = text.replaceAll(`$${variable.name}`, this.resolved.get(variable.name) ?? `$${variable.name}`);
    if (this.network && /^vpc-12345678$/.test(text)) return this.network.vpcId;
    if (this.network && /^subnet-12345678,subnet-87654321$/.test(text)) return this.network.privateSubnets;
    return text;
  }

  /** Deploys one of our stacks under `stackName`, the way the console would, with its prerequisites. */
  private async deploy(definition: StackDefinition, stackName: string, given: Record<string, string> = {}): Promise<void> {
    if (await this.exists(stackName)) return;
    const values: Record<string, string> = {};
    for (const [key, input] of Object.entries(definition.inputs)) {
      if (given[key] !== undefined) continue;
      if ('stackName' in input) {
        values[key] = byId(input.stackName).stem;
        await this.deploy(byId(input.stackName), values[key]);
      }
    }
    if (definition.id === 'common') Object.assign(values, await this.seededNetwork().then((n) => ({ VpcId: n.vpcId, PrivateSubnets: n.privateSubnets })));
    const parameters = Object.entries({ ...values, ...given }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
    await this.f.cfn.send(new CreateStackCommand({ StackName: stackName, TemplateBody: body(definition), Parameters: parameters, Capabilities: ['CAPABILITY_IAM'] }));
    const stack = await waitForStack(this.f.cfn, stackName);
    expect(`${stackName}: ${stack.StackStatus} ${stack.StackStatusReason ?? ''}`.trim()).toBe(`${stackName}: CREATE_COMPLETE`);
  }

  /** What the command assumes: the stacks its variables read, the stacks its stack-name parameters name, itself for an update. */
  async prepare(block: SeedBlock, command: SeedCommand): Promise<void> {
    await this.seededNetwork();
    for (const variable of block.variables) {
      const source = stackOf({ stackName: variable.stackName });
      if (!source) throw new Error(`no stack for ${variable.stackName}`);
      await this.deploy(source, variable.stackName);
      const outputs = (await this.exists(variable.stackName))?.Outputs ?? [];
      const value = outputs.find((o) => o.OutputKey === variable.outputKey)?.OutputValue;
      expect(value, `${variable.stackName} output ${variable.outputKey}`).toBeDefined();
      this.resolved.set(variable.name, value ?? '');
    }
    const definition = stackOf(command) as StackDefinition;
    for (const parameter of command.parameters) {
      const input = definition.inputs[parameter.key];
      if (input && 'stackName' in input && parameter.value) await this.deploy(byId(input.stackName), parameter.value);
    }
    if (command.verb === 'update-stack') await this.deploy(definition, command.stackName);
  }

  /** Runs the command: its parameter list, our template (or the previous one), its capabilities. */
  async run(block: SeedBlock, command: SeedCommand): Promise<{ stack: Stack; unchanged: boolean }> {
    const definition = stackOf(command) as StackDefinition;
    const parameters: Parameter[] = command.parameters.map((p) =>
      p.usePrevious ? { ParameterKey: p.key, UsePreviousValue: true } : { ParameterKey: p.key, ParameterValue: this.resolve(block, p.value ?? '') },
    );
    // An elided command (`...`) leaves the rest to the reader: the required values the console would give.
    if (command.elided) {
      for (const spec of definition.parameters.filter(isRequired)) {
        if (parameters.some((p) => p.ParameterKey === spec.key)) continue;
        const input = definition.inputs[spec.key];
        const network = await this.seededNetwork();
        const value = input && 'stackName' in input ? byId(input.stackName).stem : spec.key === 'VpcId' ? network.vpcId : network.privateSubnets;
        if (input && 'stackName' in input) await this.deploy(byId(input.stackName), value);
        parameters.push({ ParameterKey: spec.key, ParameterValue: value });
      }
    }
    const capabilities = (command.elided && command.capabilities.length === 0 ? ['CAPABILITY_IAM'] : command.capabilities) as Capability[];
    const source = command.usePreviousTemplate ? { UsePreviousTemplate: true } : { TemplateBody: body(definition) };
    const input = { StackName: command.stackName, ...source, Parameters: parameters, Capabilities: capabilities };
    try {
      await this.f.cfn.send(command.verb === 'create-stack' ? new CreateStackCommand(input) : new UpdateStackCommand(input));
    } catch (error) {
      if (command.verb === 'create-stack' || !/^No updates are to be performed/.test((error as Error).message)) throw error;
      return { stack: await waitForStack(this.f.cfn, command.stackName), unchanged: true };
    }
    return { stack: await waitForStack(this.f.cfn, command.stackName), unchanged: false };
  }
}

/**
 * The template body: compact JSON, as the console serves it too. The README names the .yaml files,
 * and the services YAML is over --template-body's 51,200 bytes (the console stages it in S3);
 * what these commands test is their parameter lists.
 */
const body = (definition: StackDefinition) => toJson(renderTemplate(definition));
