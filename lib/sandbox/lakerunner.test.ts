import { CreateStackCommand, DeleteStackCommand, ListExportsCommand, UpdateStackCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteLength, toYaml } from '@/lib/cfn/serialize';
import { STACKS_2025 as STACKS } from '@/templates/line-2025';
import { renderTemplate } from '@/templates/stack';
import { TEMPLATE_BODY_LIMIT } from './cfn/request';
import { allEvents, eventLines, sandboxFixture, waitForStack, type Fixture } from './testing';

let f: Fixture;
beforeAll(async () => {
  f = await sandboxFixture({ timeScale: 0.001 });
  await f.s3.send(new CreateBucketCommand({ Bucket: 'lakerunner-templates' }));
});
afterAll(() => f.sandbox.close());

const deployed = new Map<string, Stack>();
const nameOf = (id: string) => `lr-${id}`;
const outputsOf = (stack: Stack) => Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));

describe('the Lakerunner stacks on the sandbox', () => {
  it('deploys every stack in STACKS in order, wiring outputs and stack names into the next, with CAPABILITY_IAM', async () => {
    for (const definition of STACKS) {
      // Given the stacks before it, and its template staged the way the console stages large ones
      const body = toYaml(renderTemplate(definition));
      const source: { TemplateBody?: string; TemplateURL?: string } = { TemplateBody: body };
      if (byteLength(body) > TEMPLATE_BODY_LIMIT) {
        await f.s3.send(new PutObjectCommand({ Bucket: 'lakerunner-templates', Key: `${definition.stem}.yaml`, Body: body }));
        source.TemplateURL = `https://lakerunner-templates.s3.amazonaws.com/${definition.stem}.yaml`;
        delete source.TemplateBody;
      }
      const parameters = Object.entries(definition.inputs).map(([key, input]) => ({
        ParameterKey: key,
        ParameterValue: 'stackName' in input ? nameOf(input.stackName) : 'output' in input ? outputsOf(deployed.get(input.output[0])!)[input.output[1]] : undefined,
      }));

      // When it is created
      await f.cfn.send(new CreateStackCommand({ StackName: nameOf(definition.id), ...source, Parameters: parameters, Capabilities: ['CAPABILITY_IAM'] }));
      const stack = await waitForStack(f.cfn, nameOf(definition.id));

      // Then it completes, with every unconditional output filled in
      expect({ stack: definition.id, status: stack.StackStatus, reason: stack.StackStatusReason }).toEqual({ stack: definition.id, status: 'CREATE_COMPLETE', reason: undefined });
      const declared = renderTemplate(definition).Outputs ?? {};
      const outputs = outputsOf(stack);
      for (const [key, output] of Object.entries(declared)) {
        if (output.Condition) continue;
        expect(outputs[key], `${definition.id} output ${key}`).toMatch(/\S/);
      }
      for (const value of Object.values(outputs)) expect(value).not.toMatch(/undefined|\[object/);
      deployed.set(definition.id, stack);
    }
    expect(deployed.size).toBe(STACKS.length);
  });

  it('registers every export with its output value, and each stack received its wired inputs', async () => {
    const exports = new Map<string, { Value?: string; ExportingStackId?: string }>();
    let token: string | undefined;
    do {
      const page = await f.cfn.send(new ListExportsCommand({ NextToken: token }));
      for (const e of page.Exports ?? []) exports.set(e.Name!, e);
      token = page.NextToken;
    } while (token);

    for (const definition of STACKS) {
      const stack = deployed.get(definition.id)!;
      for (const output of stack.Outputs ?? []) {
        if (!output.ExportName) continue;
        expect(exports.get(output.ExportName), output.ExportName).toEqual(expect.objectContaining({ Value: output.OutputValue, ExportingStackId: stack.StackId }));
      }
      const parameters = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey!, p.ParameterValue!]));
      for (const [key, input] of Object.entries(definition.inputs)) {
        const expected = 'stackName' in input ? nameOf(input.stackName) : 'output' in input ? outputsOf(deployed.get(input.output[0])!)[input.output[1]] : undefined;
        expect(parameters[key], `${definition.id}.${key}`).toBe(expected);
      }
    }
  });

  it('secrets the stacks generate are readable with GetSecretValue', async () => {
    const arns = [...deployed.values()].flatMap((s) => (s.Outputs ?? []).filter((o) => /SecretArn$/.test(o.OutputKey!)).map((o) => o.OutputValue!));
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) {
      const { SecretString } = await f.secrets.send(new GetSecretValueCommand({ SecretId: arn }));
      expect(SecretString, arn).toMatch(/\S{8,}/);
    }
  });

  it('refuses a scheme change of the common stack half-way, as AWS does: the load balancer is replaced, its exports are in use, the update rolls back', async () => {
    // Given the deployed stacks, when common is updated to an internet-facing load balancer (plain HTTP allowed)
    const common = deployed.get('common')!;
    const changed: Record<string, string> = { AlbScheme: 'internet-facing', AlbAllowPlainHttp: 'Yes' };
    const parameters = (common.Parameters ?? []).map((p) =>
      p.ParameterKey! in changed ? { ParameterKey: p.ParameterKey!, ParameterValue: changed[p.ParameterKey!] } : { ParameterKey: p.ParameterKey!, UsePreviousValue: true },
    );
    await f.cfn.send(new UpdateStackCommand({ StackName: common.StackId, UsePreviousTemplate: true, Parameters: parameters, Capabilities: ['CAPABILITY_IAM'] }));
    const after = await waitForStack(f.cfn, common.StackId!);
    // then the new load balancer and listeners were created, the export check refused the change, and everything rolled back
    expect(after.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const lines = eventLines(await allEvents(f.cfn, common.StackId!));
    expect(lines.some((l) => /^LoadBalancer UPDATE_COMPLETE/.test(l))).toBe(true);
    expect(lines.find((l) => l.includes('UPDATE_ROLLBACK_IN_PROGRESS'))).toMatch(/Cannot update export lr-common-(AlbArn|AlbDnsName|QueryApiUrl|GrafanaUrl|QueryApiListenerArn|GrafanaListenerArn) as it is in use by lr-(services|grafana)/);
    expect(outputsOf(after).AlbArn).toBe(outputsOf(common).AlbArn);
  });

  it('deletes them in reverse order, each export released before its importers would block it, after switching off what blocks a delete', async () => {
    for (const definition of [...STACKS].reverse()) {
      const { StackId, Parameters } = deployed.get(definition.id)!;
      if (definition.beforeDelete) {
        const parameters = (Parameters ?? []).map(({ ParameterKey }) =>
          ParameterKey! in definition.beforeDelete! ? { ParameterKey, ParameterValue: definition.beforeDelete![ParameterKey!] } : { ParameterKey, UsePreviousValue: true },
        );
        await f.cfn.send(new UpdateStackCommand({ StackName: StackId, UsePreviousTemplate: true, Parameters: parameters, Capabilities: ['CAPABILITY_IAM'] }));
        expect((await waitForStack(f.cfn, StackId!)).StackStatus).toMatch(/^UPDATE_(ROLLBACK_)?COMPLETE$/);
      }
      await f.cfn.send(new DeleteStackCommand({ StackName: StackId }));
      const gone = await waitForStack(f.cfn, StackId!);
      expect({ stack: definition.id, status: gone.StackStatus, reason: gone.StackStatusReason }).toEqual({ stack: definition.id, status: 'DELETE_COMPLETE', reason: undefined });
    }
    expect((await f.cfn.send(new ListExportsCommand({}))).Exports).toEqual([]);
  });
});
