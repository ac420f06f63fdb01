// Runs the inline Python with python3 (which node-gyp already needs to build better-sqlite3),
// against a fake boto3 and a captured response PUT, so the custom resource's behaviour is tested.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INLINE_CODE_LIMIT, RUN_TASK_CODE } from './run-task';

const FAKE_BOTO3 = `
import json, os
scenario = json.load(open(os.environ['SCENARIO']))
calls = []

class Ecs:
    def run_task(self, **kw):
        calls.append(['run_task', kw])
        return scenario['run_task']
    def describe_tasks(self, **kw):
        calls.append(['describe_tasks', kw])
        if scenario.get('describe_error'):
            raise RuntimeError(scenario['describe_error'])
        seq = scenario['describe']
        return seq.pop(0) if len(seq) > 1 else seq[0]
    def stop_task(self, **kw):
        calls.append(['stop_task', kw])
        return {}

class Cfn:
    def describe_stacks(self, **kw):
        calls.append(['describe_stacks', kw])
        return {'Stacks': [{'StackStatus': scenario.get('stack_status', 'UPDATE_IN_PROGRESS')}]}

def client(name):
    return Ecs() if name == 'ecs' else Cfn()
`;

const HARNESS = `
import json, sys, urllib.request
import boto3, index
sent = []
class Reply:
    def read(self): return b''
def urlopen(request, timeout=None):
    sent.append({'url': request.full_url, 'method': request.get_method(),
                 'headers': dict(request.header_items()), 'body': json.loads(request.data)})
    return Reply()
urllib.request.urlopen = urlopen
scenario = boto3.scenario
class Context:
    log_stream_name = 'stream-1'
    budget = list(scenario.get('remaining', [600000]))
    def get_remaining_time_in_millis(self):
        return self.budget.pop(0) if len(self.budget) > 1 else self.budget[0]
index.handler(scenario['event'], Context())
print(json.dumps({'sent': sent, 'calls': boto3.calls}))
`;

const RESOURCE = { Cluster: 'arn:cluster/lr', TaskDefinition: 'arn:task-definition/setup:3', Subnets: ['subnet-1', 'subnet-2'], SecurityGroups: ['sg-1'] };
const event = (type: 'Create' | 'Update' | 'Delete', extra: object = {}) => ({
  RequestType: type,
  ResponseURL: 'https://cloudformation-custom-resource-response.example/reply?sig=1',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/mig/1',
  RequestId: 'req-1',
  LogicalResourceId: 'SetupTask',
  ResourceProperties: { ServiceToken: 'arn:fn', ...RESOURCE },
  ...extra,
});
const started = { tasks: [{ taskArn: 'arn:task/lr/abc' }], failures: [] };
const stopped = (containers: object[], stoppedReason = 'Essential container in task exited') => ({
  tasks: [{ lastStatus: 'STOPPED', stoppedReason, containers }],
});
const running = { tasks: [{ lastStatus: 'RUNNING' }] };

interface Outcome {
  sent: { url: string; method: string; headers: Record<string, string>; body: Record<string, unknown> }[];
  calls: [string, Record<string, unknown>][];
}

function invoke(scenario: object): Outcome & { reply: Record<string, unknown> } {
  const dir = mkdtempSync(join(tmpdir(), 'run-task-'));
  writeFileSync(join(dir, 'index.py'), RUN_TASK_CODE);
  writeFileSync(join(dir, 'boto3.py'), FAKE_BOTO3);
  writeFileSync(join(dir, 'harness.py'), HARNESS);
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify(scenario));
  const stdout = execFileSync('python3', ['harness.py'], {
    cwd: dir,
    env: { ...process.env, SCENARIO: join(dir, 'scenario.json'), POLL_SECONDS: '0', PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
  });
  const outcome = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Outcome;
  expect(outcome.sent).toHaveLength(1);
  return { ...outcome, reply: outcome.sent[0]?.body as Record<string, unknown> };
}

describe('the setup-task custom resource', () => {
  it('fits the inline code limit', () => {
    expect(RUN_TASK_CODE.length).toBeLessThanOrEqual(INLINE_CODE_LIMIT);
  });

  it('runs the task on create, waits for STOPPED and reports SUCCESS with the task ARN', () => {
    const { reply, calls, sent } = invoke({ event: event('Create'), run_task: started, describe: [running, stopped([{ name: 'setup', exitCode: 0 }])] });
    expect(reply).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'setup-task', RequestId: 'req-1', LogicalResourceId: 'SetupTask' });
    expect(reply.Data).toEqual({ TaskArn: 'arn:task/lr/abc' });
    expect(reply.Reason).toContain('stream-1');
    expect(sent[0]).toMatchObject({ method: 'PUT', url: event('Create').ResponseURL });
    expect(calls[0]).toEqual([
      'run_task',
      {
        cluster: 'arn:cluster/lr',
        taskDefinition: 'arn:task-definition/setup:3',
        launchType: 'FARGATE',
        count: 1,
        startedBy: 'cloudformation',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
      },
    ]);
    expect(calls.filter(([name]) => name === 'describe_tasks')).toHaveLength(2);
  });

  it.each([
    ['a non-zero exit code', [{ name: 'setup', exitCode: 3 }], 'setup exited 3'],
    ['a container that never ran', [{ name: 'setup' }], 'setup exited without an exit code'],
    ['a task without containers', [], 'Setup task failed'],
  ])('reports FAILED for %s, with the stopped reason', (_name, containers, expected) => {
    const { reply } = invoke({ event: event('Create'), run_task: started, describe: [stopped(containers, 'CannotPullContainerError')] });
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toContain(expected);
    expect(reply.Reason).toContain('CannotPullContainerError');
    expect(reply.Data).toEqual({ TaskArn: 'arn:task/lr/abc' });
  });

  it('reports FAILED with the reasons when RunTask cannot place the task', () => {
    const { reply, calls } = invoke({ event: event('Create'), run_task: { tasks: [], failures: [{ arn: 'arn:x', reason: 'RESOURCE:ENI' }] }, describe: [running] });
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toContain('RunTask failed: arn:x RESOURCE:ENI');
    expect(calls.map(([name]) => name)).toEqual(['run_task']);
  });

  it('stops the task and reports FAILED when the task outlives the function', () => {
    const { reply, calls } = invoke({ event: event('Create'), run_task: started, describe: [running], remaining: [600000, 600000, 1000] });
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toContain('Timed out');
    expect(calls.at(-1)).toEqual(['stop_task', { cluster: 'arn:cluster/lr', task: 'arn:task/lr/abc', reason: 'Timed out waiting for the setup task' }]);
  });

  it('reports FAILED with the error instead of leaving CloudFormation waiting when an API call throws', () => {
    const { reply } = invoke({ event: event('Create'), run_task: started, describe: [running], describe_error: 'ThrottlingException' });
    expect(reply).toMatchObject({ Status: 'FAILED' });
    expect(reply.Reason).toContain('RuntimeError: ThrottlingException');
  });

  it('runs again on an update and keeps the physical id', () => {
    const update = event('Update', { PhysicalResourceId: 'setup-task', OldResourceProperties: { ...RESOURCE, TaskDefinition: 'arn:task-definition/setup:2' } });
    const { reply, calls } = invoke({ event: update, run_task: started, describe: [stopped([{ name: 'setup', exitCode: 0 }])] });
    expect(reply).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'setup-task' });
    expect(calls.map(([name]) => name)).toEqual(['describe_stacks', 'run_task', 'describe_tasks']);
  });

  it('does not run the old task again while the stack rolls back', () => {
    const update = event('Update', { PhysicalResourceId: 'setup-task' });
    const { reply, calls } = invoke({ event: update, stack_status: 'UPDATE_ROLLBACK_IN_PROGRESS', run_task: started, describe: [running] });
    expect(reply).toMatchObject({ Status: 'SUCCESS', Data: { TaskArn: 'none' } });
    expect(calls.map(([name]) => name)).toEqual(['describe_stacks']);
  });

  it('does nothing on delete', () => {
    const { reply, calls } = invoke({ event: event('Delete', { PhysicalResourceId: 'setup-task' }), run_task: started, describe: [running] });
    expect(reply).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'setup-task' });
    expect(calls).toEqual([]);
  });
});
