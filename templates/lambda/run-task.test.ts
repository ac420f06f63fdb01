// Runs the inline Python with python3 (which node-gyp already needs to build better-sqlite3)
// against a stubbed boto3 — an ECS that keeps its tasks across invocations and honours RunTask's
// clientToken like AWS — and a captured response PUT, so the custom resource's behaviour is tested
// the way CloudFormation and Lambda drive it: redelivered events, retries, self-invocations.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS_DENIED_ATTEMPTS, HANDOFF_SECONDS, INLINE_CODE_LIMIT, RESPONSE_LIMIT, RUN_TASK_CODE } from './run-task';

const FAKE_BOTO3 = `
import json, os
scenario = json.load(open(os.environ['SCENARIO']))
calls = []
tasks = {}

class ClientError(Exception):
    def __init__(self, code, operation):
        super().__init__(f'An error occurred ({code}) when calling the {operation} operation: not authorized to perform it')
        self.response = {'Error': {'Code': code, 'Message': 'not authorized to perform it'}}

def scripted_error(operation):
    queue = scenario.get('errors', {}).get(operation, [])
    if queue:
        raise ClientError(queue.pop(0), operation)

class Ecs:
    def list_tasks(self, **kw):
        calls.append(['list_tasks', kw])
        scripted_error('ListTasks')
        if 'startedBy' in kw:
            return {'taskArns': [arn for arn, t in tasks.items() if t['startedBy'] == kw['startedBy'] and not t['stopped']]}
        other = scenario.get('running_elsewhere')
        if other and other['lists'] > 0:
            other['lists'] -= 1
            return {'taskArns': [other['arn']]}
        return {'taskArns': [arn for arn, t in tasks.items() if t['family'] == kw.get('family') and not t['stopped']]}
    def run_task(self, **kw):
        calls.append(['run_task', kw])
        scripted_error('RunTask')
        if 'run_task' in scenario:
            return scenario['run_task']
        same = [arn for arn, t in tasks.items() if t['token'] == kw['clientToken']]
        arn = same[0] if same else f'arn:aws:ecs:us-east-1:123456789012:task/lr/task{len(tasks) + 1}'
        family = kw['taskDefinition'].split('/')[-1].split(':')[0]
        tasks.setdefault(arn, {'startedBy': kw['startedBy'], 'token': kw['clientToken'], 'family': family, 'polls': 0, 'stopped': False})
        return {'tasks': [{'taskArn': arn}], 'failures': []}
    def describe_tasks(self, **kw):
        calls.append(['describe_tasks', kw])
        if scenario.get('describe_error'):
            raise RuntimeError(scenario['describe_error'])
        if scenario.get('describe_errors', 0) > 0:
            scenario['describe_errors'] -= 1
            raise RuntimeError('ThrottlingException: Rate exceeded')
        arn = kw['tasks'][0]
        task = tasks.setdefault(arn, {'startedBy': None, 'token': None, 'family': None, 'polls': 0, 'stopped': False})
        seq = scenario['describe']
        reply = seq[min(task['polls'], len(seq) - 1)]
        task['polls'] += 1
        task['stopped'] = any(t.get('lastStatus') == 'STOPPED' for t in reply.get('tasks', []))
        return reply

class Cfn:
    def describe_stacks(self, **kw):
        calls.append(['describe_stacks', kw])
        return {'Stacks': [{'StackStatus': scenario.get('stack_status', 'UPDATE_IN_PROGRESS')}]}

class Lambda:
    def invoke(self, **kw):
        calls.append(['invoke', {**kw, 'Payload': json.loads(kw['Payload'])}])
        if scenario.get('invoke_errors', 0) > 0:
            scenario['invoke_errors'] -= 1
            raise RuntimeError('TooManyRequestsException: Rate exceeded')
        return {'StatusCode': 202}

def client(name):
    return {'ecs': Ecs, 'cloudformation': Cfn, 'lambda': Lambda}[name]()
`;

const HARNESS = `
import json, urllib.request
import boto3, index
sent = []
failures = [boto3.scenario.get('upload_failures', 0)]
class Reply:
    def read(self): return b''
def urlopen(request, timeout=None):
    if failures[0] > 0:
        failures[0] -= 1
        raise OSError('Connection reset by peer')
    sent.append({'url': request.full_url, 'method': request.get_method(), 'bytes': len(request.data),
                 'headers': dict(request.header_items()), 'body': json.loads(request.data)})
    return Reply()
urllib.request.urlopen = urlopen
scenario = boto3.scenario
class Context:
    log_stream_name = 'stream-1'
    invoked_function_arn = 'arn:aws:lambda:us-east-1:123456789012:function:setup-runner'
    budget = list(scenario.get('remaining', [600000]))
    def get_remaining_time_in_millis(self):
        return self.budget.pop(0) if len(self.budget) > 1 else self.budget[0]
raised = []
for event in scenario['events']:
    try:
        index.handler(event, Context())
    except Exception as error:
        raised.append(f'{type(error).__name__}: {error}')
print(json.dumps({'sent': sent, 'calls': boto3.calls, 'raised': raised}))
`;

const RESOURCE = {
  Cluster: 'arn:cluster/lr',
  TaskDefinition: 'arn:task-definition/mig-setup:3',
  Subnets: ['subnet-1', 'subnet-2'],
  SecurityGroups: ['sg-1'],
  LogGroup: 'mig-SetupLogs-abc',
  ServiceTimeout: '3600',
};
type RequestType = 'Create' | 'Update' | 'Delete';
const event = (type: RequestType, extra: object = {}) => ({
  RequestType: type,
  ResponseURL: 'https://cloudformation-custom-resource-response.example/reply?sig=1',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/mig/1',
  RequestId: '6f1c1d5e-4a3b-4c2d-9e8f-0a1b2c3d4e5f',
  LogicalResourceId: 'SetupTask',
  ResourceProperties: { ServiceToken: 'arn:fn', ...RESOURCE },
  ...extra,
});
const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/lr/task1';
/** The request's tag: the first 32 hex digits of SHA-256 of StackId + RequestId. */
const tagOf = (e: { StackId: string; RequestId: string }) => createHash('sha256').update(e.StackId + e.RequestId).digest('hex').slice(0, 32);
const TAG = tagOf(event('Create'));
const stopped = (containers: object[], stoppedReason = 'Essential container in task exited') => ({
  tasks: [{ lastStatus: 'STOPPED', stoppedReason, containers }],
});
const running = { tasks: [{ lastStatus: 'RUNNING' }] };
const exitedZero = stopped([{ name: 'setup', exitCode: 0 }]);

interface Scenario {
  events: object[];
  describe: object[];
  run_task?: object;
  errors?: Partial<Record<'RunTask' | 'ListTasks', string[]>>;
  describe_error?: string;
  /** DescribeTasks fails this many times first (throttled). */
  describe_errors?: number;
  invoke_errors?: number;
  /** Another request's task of the same family runs for this many ListTasks calls. */
  running_elsewhere?: { arn: string; lists: number };
  stack_status?: string;
  remaining?: number[];
  upload_failures?: number;
}

interface Outcome {
  sent: { url: string; method: string; bytes: number; headers: Record<string, string>; body: Record<string, unknown> }[];
  calls: [string, Record<string, unknown>][];
  raised: string[];
}

function invoke(scenario: Scenario): Outcome & { reply: Record<string, unknown>; names: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'run-task-'));
  writeFileSync(join(dir, 'index.py'), RUN_TASK_CODE);
  writeFileSync(join(dir, 'boto3.py'), FAKE_BOTO3);
  writeFileSync(join(dir, 'harness.py'), HARNESS);
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify(scenario));
  let stdout: string;
  try {
    stdout = execFileSync('python3', ['harness.py'], {
      cwd: dir,
      env: { ...process.env, SCENARIO: join(dir, 'scenario.json'), POLL_SECONDS: '0', PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
      // A handler that never returns (polls forever) fails the test instead of holding the worker.
      timeout: 20_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const outcome = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Outcome;
  return { ...outcome, reply: outcome.sent.at(-1)?.body as Record<string, unknown>, names: outcome.calls.map(([name]) => name) };
}

const once = (type: RequestType, rest: Omit<Scenario, 'events'>, extra: object = {}) => invoke({ events: [event(type, extra)], ...rest });
const runTasks = (calls: Outcome['calls']) => calls.filter(([name]) => name === 'run_task');

describe('the setup-task custom resource', () => {
  it('fits the inline code limit', () => {
    expect(RUN_TASK_CODE.length).toBeLessThanOrEqual(INLINE_CODE_LIMIT);
  });

  it('on create, looks for a task of this request and for a running one of the family, starts one tagged with the request, waits for STOPPED and reports SUCCESS', () => {
    const { reply, calls, sent, names } = once('Create', { describe: [running, exitedZero] });
    expect(sent).toHaveLength(1);
    expect(reply).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'setup-task', RequestId: event('Create').RequestId, LogicalResourceId: 'SetupTask' });
    expect(reply.Data).toEqual({ TaskArn: TASK });
    expect(reply.Reason).toContain('stream-1');
    expect(sent[0]).toMatchObject({ method: 'PUT', url: event('Create').ResponseURL });
    expect(names).toEqual(['list_tasks', 'list_tasks', 'run_task', 'describe_tasks', 'describe_tasks']);
    expect(TAG).toMatch(/^[0-9a-f]{32}$/);
    expect(calls[0]).toEqual(['list_tasks', { cluster: 'arn:cluster/lr', startedBy: TAG }]);
    expect(calls[1]).toEqual(['list_tasks', { cluster: 'arn:cluster/lr', family: 'mig-setup', desiredStatus: 'RUNNING' }]);
    expect(calls[2]).toEqual([
      'run_task',
      {
        cluster: 'arn:cluster/lr',
        taskDefinition: 'arn:task-definition/mig-setup:3',
        launchType: 'FARGATE',
        count: 1,
        startedBy: TAG,
        clientToken: TAG,
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
      },
    ]);
  });

  it.each([
    ['a non-zero exit code', [{ name: 'setup', exitCode: 3 }], 'setup exited 3'],
    ['a container that never ran', [{ name: 'setup' }], 'setup exited without an exit code'],
    ['a task without containers', [], 'Setup task failed'],
  ])('reports FAILED for %s, with the stopped reason', (_name, containers, expected) => {
    const { reply } = once('Create', { describe: [stopped(containers, 'CannotPullContainerError')] });
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toContain(expected);
    expect(reply.Reason).toContain('CannotPullContainerError');
    expect(reply.Data).toEqual({ TaskArn: TASK });
  });

  it('reports FAILED with the reasons when RunTask cannot place the task', () => {
    const { reply, names } = once('Create', { run_task: { tasks: [], failures: [{ arn: 'arn:x', reason: 'RESOURCE:ENI' }] }, describe: [running] });
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toContain('RunTask failed: arn:x RESOURCE:ENI');
    expect(names).toEqual(['list_tasks', 'list_tasks', 'run_task']);
  });

  it('keeps following a running task through DescribeTasks errors instead of reporting it failed', () => {
    const { reply, sent, names } = once('Create', { describe: [running, exitedZero], describe_errors: 3 });
    expect(sent).toHaveLength(1);
    expect(reply).toMatchObject({ Status: 'SUCCESS', Data: { TaskArn: TASK } });
    expect(names.filter((name) => name === 'describe_tasks')).toHaveLength(5);
  });

  it('reports a task it could not follow only at the deadline, with the last error, and does not stop it', () => {
    const late = { ...event('Create'), TaskArn: TASK, Started: Date.now() / 1000 - 3500 };
    const { reply, names } = invoke({ events: [late], describe: [running], describe_error: 'ThrottlingException: Rate exceeded' });
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toContain(`Setup task ${TASK} still runs after 58 minutes; it was not stopped.`);
    expect(reply.Reason).toContain('Last error: RuntimeError: ThrottlingException: Rate exceeded');
    expect(names).toEqual(['describe_tasks']);
  });

  it('waits for a running task of the same family (an earlier setup) to end before starting its own', () => {
    const other = 'arn:aws:ecs:us-east-1:123456789012:task/lr/earlier';
    const { reply, calls, names } = once('Create', { describe: [exitedZero], running_elsewhere: { arn: other, lists: 3 } });
    expect(reply).toMatchObject({ Status: 'SUCCESS', Data: { TaskArn: TASK } });
    expect(runTasks(calls)).toHaveLength(1);
    // it looked 4 times (3 while the earlier task ran) and only then started its own
    expect(names.indexOf('run_task')).toBe(8);
    expect(names.slice(0, 8)).toEqual(Array.from({ length: 4 }, () => ['list_tasks', 'list_tasks']).flat());
  });

  it('reports an earlier setup of the family still running at the deadline, without starting its own', () => {
    const other = 'arn:aws:ecs:us-east-1:123456789012:task/lr/earlier';
    const late = { ...event('Create'), Started: Date.now() / 1000 - 3500 };
    const { reply, calls } = invoke({ events: [late], describe: [running], running_elsewhere: { arn: other, lists: 100 } });
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toContain(`Setup task ${other} still runs after 58 minutes; it was not stopped.`);
    expect(runTasks(calls)).toHaveLength(0);
  });

  it('tags the task with a hash of the stack and the request, whatever their length (startedBy takes 36 characters)', () => {
    const long = event('Create', { RequestId: `${'r'.repeat(120)}-${'9'.repeat(40)}` });
    const { calls } = invoke({ events: [long], describe: [exitedZero] });
    const started = runTasks(calls)[0]![1];
    expect(started.startedBy).toBe(tagOf(long));
    expect(started.clientToken).toBe(tagOf(long));
    expect(started.startedBy).toMatch(/^[0-9a-f]{32}$/);
    // another stack's request with the same id is another task
    expect(tagOf({ ...long, StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/other/2' })).not.toBe(tagOf(long));
  });

  it('cuts the Reason so the response fits the 4 KB CloudFormation accepts', () => {
    const failures = [{ arn: 'arn:x', reason: `RESOURCE:ENI ${'x'.repeat(6000)} "quoted" ✓` }];
    const { reply, sent } = once('Create', { run_task: { tasks: [], failures }, describe: [running] });
    expect(sent[0]!.bytes).toBeLessThanOrEqual(RESPONSE_LIMIT);
    expect(sent[0]!.bytes).toBeGreaterThan(RESPONSE_LIMIT - 16);
    expect(reply.Reason).toMatch(/^RunTask failed: arn:x RESOURCE:ENI x+\.\.\.$/);
    expect(reply).toMatchObject({ Status: 'FAILED', RequestId: event('Create').RequestId, LogicalResourceId: 'SetupTask' });
  });

  it('runs the new revision on an update and keeps the physical id', () => {
    const update = { PhysicalResourceId: 'setup-task', OldResourceProperties: { ...RESOURCE, TaskDefinition: 'arn:task-definition/mig-setup:2' } };
    const { reply, calls, names } = once('Update', { describe: [exitedZero] }, update);
    expect(reply).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'setup-task', Data: { TaskArn: TASK } });
    expect(names).toEqual(['describe_stacks', 'list_tasks', 'list_tasks', 'run_task', 'describe_tasks']);
    expect(runTasks(calls)[0]?.[1]).toMatchObject({ taskDefinition: 'arn:task-definition/mig-setup:3' });
  });

  it('does not run the old task again while the stack rolls back (the rollback update)', () => {
    const { reply, names } = once('Update', { stack_status: 'UPDATE_ROLLBACK_IN_PROGRESS', describe: [running] }, { PhysicalResourceId: 'setup-task' });
    expect(reply).toMatchObject({ Status: 'SUCCESS', Data: { TaskArn: 'none' } });
    expect(reply.Reason).toContain('Rolling back');
    expect(names).toEqual(['describe_stacks']);
  });

  it('does nothing on delete, not even to a setup task still running', () => {
    const { reply, calls } = once('Delete', { describe: [running] }, { PhysicalResourceId: 'setup-task' });
    expect(reply).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'setup-task' });
    expect(calls).toEqual([]);
  });

  it('starts one task for a redelivered event: the second delivery finds the running task by its request id and follows it', () => {
    // Given the same Create delivered twice, the first invocation leaving its task running
    // (its budget runs out and it hands over), when both have run, then one task was started.
    const create = event('Create');
    const { calls, sent, reply } = invoke({ events: [create, create], describe: [running, running, exitedZero], remaining: [600000, 1000, 600000] });
    expect(runTasks(calls)).toHaveLength(1);
    // each delivery looked for its task by the request's tag; the first also for a running one of the family
    const lists = calls.filter(([name]) => name === 'list_tasks');
    expect(lists.filter(([, kw]) => kw.startedBy === TAG)).toHaveLength(2);
    expect(lists.filter(([, kw]) => kw.family === 'mig-setup')).toHaveLength(1);
    expect(calls.filter(([name]) => name === 'describe_tasks').every(([, kw]) => (kw.tasks as string[])[0] === TASK)).toBe(true);
    expect(sent).toHaveLength(1);
    expect(reply).toMatchObject({ Status: 'SUCCESS', Data: { TaskArn: TASK } });
  });

  it('starts one task when a delivery arrives after the task has stopped: RunTask with the same clientToken returns that task', () => {
    const create = event('Create');
    const { calls, sent } = invoke({ events: [create, create], describe: [exitedZero] });
    expect(runTasks(calls).map(([, kw]) => kw.clientToken)).toEqual([TAG, TAG]);
    expect(sent.map((s) => s.body.Data)).toEqual([{ TaskArn: TASK }, { TaskArn: TASK }]);
    expect(sent.map((s) => s.body.Status)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('retries RunTask while IAM still denies it (a policy rewritten by this update), then runs the task once granted', () => {
    const { reply, calls } = once('Update', { errors: { RunTask: ['AccessDeniedException', 'AccessDeniedException'] }, describe: [exitedZero] }, { PhysicalResourceId: 'setup-task' });
    expect(runTasks(calls)).toHaveLength(3);
    expect(reply).toMatchObject({ Status: 'SUCCESS', Data: { TaskArn: TASK } });
  });

  it('retries access-denied answers for a bounded time only, then reports the denial', () => {
    const denials = Array.from({ length: ACCESS_DENIED_ATTEMPTS + 5 }, () => 'AccessDeniedException');
    const { reply, calls } = once('Create', { errors: { ListTasks: denials }, describe: [exitedZero] });
    expect(calls.filter(([name]) => name === 'list_tasks')).toHaveLength(ACCESS_DENIED_ATTEMPTS);
    expect(runTasks(calls)).toHaveLength(0);
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toContain('AccessDeniedException');
  });

  it('does not retry other errors', () => {
    const { reply, calls } = once('Create', { errors: { RunTask: ['ClusterNotFoundException'] }, describe: [exitedZero] });
    expect(runTasks(calls)).toHaveLength(1);
    expect(reply.Reason).toContain('ClusterNotFoundException');
  });

  it('hands a migration that outlives the invocation to the next invocation, with the task ARN, without answering or stopping it', () => {
    // Given a task still running when the invocation's time runs low
    const first = once('Create', { describe: [running], remaining: [600000, 600000, (HANDOFF_SECONDS - 1) * 1000] });
    // then nothing is reported yet, the task is not stopped, and the function invokes itself
    expect(first.sent).toEqual([]);
    expect(first.names).not.toContain('stop_task');
    const invoked = first.calls.find(([name]) => name === 'invoke')?.[1];
    expect(invoked).toMatchObject({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:setup-runner', InvocationType: 'Event' });
    const payload = invoked?.Payload as Record<string, unknown>;
    expect(payload).toMatchObject({ ...event('Create'), TaskArn: TASK });
    expect(typeof payload.Started).toBe('number');

    // when the next invocation runs with that payload, it follows the same task to its end
    const next = invoke({ events: [payload], describe: [running, exitedZero] });
    expect(next.names).toEqual(['describe_tasks', 'describe_tasks']);
    expect(next.reply).toMatchObject({ Status: 'SUCCESS', RequestId: event('Create').RequestId, Data: { TaskArn: TASK } });
  });

  it('reports a migration still running at the custom resource\'s service timeout as failed, says what to check, and leaves it running', () => {
    const late = { ...event('Create'), TaskArn: TASK, Started: Date.now() / 1000 - 3500 };
    const { reply, names } = invoke({ events: [late], describe: [running] });
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toContain(`Setup task ${TASK} still runs after 58 minutes`);
    expect(reply.Reason).toContain('it was not stopped');
    expect(reply.Reason).toContain('mig-SetupLogs-abc (stream setup/setup/task1)');
    expect(names).toEqual(['describe_tasks']);
  });

  it('retries a failed response upload, and a delivery retried after the uploads all failed starts no second task', () => {
    // A transient failure: the PUT is retried within the invocation.
    const transient = once('Create', { describe: [exitedZero], upload_failures: 1 });
    expect(transient.sent).toHaveLength(1);
    expect(transient.raised).toEqual([]);

    // Every attempt fails: the invocation fails (Lambda retries the event), and the retry follows the same task.
    const create = event('Create');
    const { raised, sent, calls } = invoke({ events: [create, create], describe: [exitedZero], upload_failures: 4 });
    expect(raised).toEqual(['OSError: Connection reset by peer']);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatchObject({ Status: 'SUCCESS', Data: { TaskArn: TASK } });
    expect(new Set(runTasks(calls).map(([, kw]) => kw.clientToken))).toEqual(new Set([TAG]));
  });

  it(`hands over with at least ${HANDOFF_SECONDS} s left, not later`, () => {
    const kept = once('Create', { describe: [running, exitedZero], remaining: [600000, (HANDOFF_SECONDS + 1) * 1000] });
    expect(kept.names).not.toContain('invoke');
    expect(kept.reply).toMatchObject({ Status: 'SUCCESS' });
    const handed = once('Create', { describe: [running], remaining: [600000, HANDOFF_SECONDS * 1000 - 1] });
    expect(handed.names).toContain('invoke');
    expect(handed.sent).toEqual([]);
  });

  it('retries a failed self-invocation instead of reporting the running task failed', () => {
    const { calls, sent } = once('Create', { describe: [running], remaining: [600000, 170000], invoke_errors: 2 });
    expect(calls.filter(([name]) => name === 'invoke')).toHaveLength(3);
    expect(sent).toEqual([]);
  });

  it('reports FAILED when it cannot hand over before its own time runs out', () => {
    const { reply, calls } = once('Create', { describe: [running], remaining: [600000, 170000, 170000, 170000, 20000], invoke_errors: 10 });
    expect(calls.filter(([name]) => name === 'invoke')).toHaveLength(2);
    expect(reply.Status).toBe('FAILED');
    expect(reply.Reason).toMatch(/^No handoff\. Setup task .* still runs after 0 minutes; it was not stopped\./);
  });
});
