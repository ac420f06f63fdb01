import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  ListExportsCommand,
  ListImportsCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, eventLines, sandboxFixture, ssmParameter, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
let producerId: string;
beforeAll(async () => {
  f = await sandboxFixture();
});
afterAll(() => f.sandbox.close());

const exporter = (value: string, exportIt = true) =>
  template(
    { Shared: ssmParameter(value) },
    { Outputs: { SharedName: { Value: { 'Fn::GetAtt': ['Shared', 'Value'] }, ...(exportIt ? { Export: { Name: { 'Fn::Sub': '${AWS::StackName}-SharedName' } } } : {}) } } },
  );
const importer = (name: string) => template({ Uses: ssmParameter({ 'Fn::ImportValue': name }) });

describe('exports and imports through the SDK', () => {
  it('exports are registered and listed; imports are listed per export', async () => {
    const { StackId } = await f.cfn.send(new CreateStackCommand({ StackName: 'producer', TemplateBody: exporter('v1') }));
    producerId = StackId!;
    const producer = await waitForStack(f.cfn, 'producer');
    expect(producer.Outputs).toEqual([{ OutputKey: 'SharedName', OutputValue: 'v1', ExportName: 'producer-SharedName' }]);

    const exports = (await f.cfn.send(new ListExportsCommand({}))).Exports!;
    expect(exports).toContainEqual({ ExportingStackId: StackId, Name: 'producer-SharedName', Value: 'v1' });
    await expect(f.cfn.send(new ListImportsCommand({ ExportName: 'producer-SharedName' }))).rejects.toThrow("Export 'producer-SharedName' is not imported by any stack.");

    await f.cfn.send(new CreateStackCommand({ StackName: 'consumer', TemplateBody: importer('producer-SharedName') }));
    expect((await waitForStack(f.cfn, 'consumer')).StackStatus).toBe('CREATE_COMPLETE');
    expect((await f.cfn.send(new ListImportsCommand({ ExportName: 'producer-SharedName' }))).Imports).toEqual(['consumer']);
  });

  it('an ImportValue of a missing export fails the stack with "No export named … found."', async () => {
    await f.cfn.send(new CreateStackCommand({ StackName: 'orphan', TemplateBody: importer('nobody-Exports-This') }));
    const stack = await waitForStack(f.cfn, 'orphan');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(stack.StackStatusReason).toBeUndefined();
    const { StackEvents } = await f.cfn.send(new DescribeStackEventsCommand({ StackName: 'orphan' }));
    expect(StackEvents!.map((e) => e.ResourceStatusReason)).toContain('No export named nobody-Exports-This found. Rollback requested by user.');
  });

  it('deleting a stack whose export another stack imports is refused with AWS\'s message, leaving the stack as it was', async () => {
    await f.cfn.send(new DeleteStackCommand({ StackName: 'producer' }));
    const stack = await waitForStack(f.cfn, 'producer');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.StackStatusReason).toBe('Export producer-SharedName cannot be deleted as it is in use by consumer');
    const lines = eventLines(await allEvents(f.cfn, 'producer'));
    expect(lines.slice(-2)).toEqual(['producer DELETE_IN_PROGRESS User Initiated', 'producer CREATE_COMPLETE Export producer-SharedName cannot be deleted as it is in use by consumer']);
    expect((await f.cfn.send(new ListExportsCommand({}))).Exports!.map((e) => e.Name)).toContain('producer-SharedName');
  });

  it('an update that removes or changes an export in use rolls back with AWS\'s message', async () => {
    await f.cfn.send(new UpdateStackCommand({ StackName: 'producer', TemplateBody: exporter('v1', false) }));
    let stack = await waitForStack(f.cfn, 'producer');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    const events = (await f.cfn.send(new DescribeStackEventsCommand({ StackName: 'producer' }))).StackEvents!;
    expect(events.map((e) => e.ResourceStatusReason)).toContain('Export producer-SharedName cannot be deleted as it is in use by consumer');

    await f.cfn.send(new UpdateStackCommand({ StackName: 'producer', TemplateBody: exporter('v2') }));
    stack = await waitForStack(f.cfn, 'producer');
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, 'producer'))).toContain(
      'producer UPDATE_ROLLBACK_IN_PROGRESS Cannot update export producer-SharedName as it is in use by consumer',
    );
    expect(stack.Outputs![0]!.OutputValue).toBe('v1');
  });

  it('exporting a name another stack already exports fails that stack', async () => {
    const duplicate = template({ Other: ssmParameter('x') }, { Outputs: { Same: { Value: 'v', Export: { Name: 'producer-SharedName' } } } });
    await f.cfn.send(new CreateStackCommand({ StackName: 'copycat', TemplateBody: duplicate }));
    const stack = await waitForStack(f.cfn, 'copycat');
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
  });

  it('once the importer is gone, the exporter deletes and its exports disappear', async () => {
    const consumer = await waitForStack(f.cfn, 'consumer');
    await f.cfn.send(new DeleteStackCommand({ StackName: 'consumer' }));
    await waitForStack(f.cfn, consumer.StackId!);
    await f.cfn.send(new DeleteStackCommand({ StackName: 'producer' }));
    expect((await waitForStack(f.cfn, producerId)).StackStatus).toBe('DELETE_COMPLETE');
    expect((await f.cfn.send(new ListExportsCommand({}))).Exports!.map((e) => e.Name)).not.toContain('producer-SharedName');
  });
});
