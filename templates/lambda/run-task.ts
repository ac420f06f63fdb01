// Inline Python (python3.13) for the custom resource that runs a one-shot ECS task during a
// stack create or update and reports SUCCESS only when every container exits 0. One task per
// CloudFormation request: the task carries the request id as startedBy (ListTasks finds it while
// it runs) and as RunTask's clientToken (RunTask returns the same task, stopped or not), so a
// redelivered event or a retry after a failed response upload follows the task already started. A task that outlives the invocation is followed by the next one (the function invokes
// itself with the task ARN) until the custom resource's ServiceTimeout, then reported failed
// without being stopped. Access-denied answers are retried for a while: IAM is eventually
// consistent, and an update rewrites the policy seconds before it asks for the new revision.
// An update during a rollback re-sends the old properties: the task is not run again (an older
// setup could fail against a newer schema). Two-space indentation keeps the code under the
// 4,096-character limit of Lambda's inline ZipFile code in CloudFormation.

/** CloudFormation's limit for Code.ZipFile. */
export const INLINE_CODE_LIMIT = 4096;

/** How many times an access-denied answer is retried, POLL_SECONDS × 2 apart (6 s: two minutes). */
export const ACCESS_DENIED_ATTEMPTS = 10;

/** Seconds before CloudFormation's own deadline at which a still-running task is reported failed. */
export const DEADLINE_MARGIN_SECONDS = 120;

export const RUN_TASK_CODE = `import json, os, time, urllib.request
import boto3
POLL = float(os.environ.get('POLL_SECONDS', '6'))
ecs = boto3.client('ecs')

def calm(call, **kw):
  for n in range(${ACCESS_DENIED_ATTEMPTS}):
    try:
      return call(**kw)
    except Exception as e:
      if 'AccessDenied' not in str(getattr(e, 'response', '')) or n == ${ACCESS_DENIED_ATTEMPTS - 1}:
        raise
      print(f'{e}; retrying while IAM propagates')
      time.sleep(POLL * 2)

def send(event, context, status, reason, data):
  body = json.dumps({
    'Status': status, 'Reason': f'{reason} (log stream {context.log_stream_name})',
    'PhysicalResourceId': event.get('PhysicalResourceId') or 'setup-task',
    'StackId': event['StackId'], 'RequestId': event['RequestId'],
    'LogicalResourceId': event['LogicalResourceId'], 'Data': data or {}}).encode()
  for n in range(4):
    try:
      return urllib.request.urlopen(urllib.request.Request(
        event['ResponseURL'], data=body, method='PUT', headers={'Content-Type': ''}), timeout=30).read()
    except Exception as e:
      print(f'response upload failed: {e}')
      if n == 3:
        raise
      time.sleep(POLL * (n + 1))

def run(event, context):
  props, kind, rid = event['ResourceProperties'], event['RequestType'], event['RequestId']
  if kind == 'Delete':
    return 'SUCCESS', 'Nothing to undo.', None
  arn = event.get('TaskArn')
  if kind == 'Update' and not arn and 'ROLLBACK' in boto3.client('cloudformation').describe_stacks(
      StackName=event['StackId'])['Stacks'][0]['StackStatus']:
    return 'SUCCESS', 'Rolling back: the setup task is not run again.', {'TaskArn': 'none'}
  cluster = props['Cluster']
  arn = arn or next(iter(calm(ecs.list_tasks, cluster=cluster, startedBy=rid)['taskArns']), None)
  if not arn:
    out = calm(ecs.run_task, cluster=cluster, taskDefinition=props['TaskDefinition'], launchType='FARGATE',
      count=1, startedBy=rid, clientToken=rid, networkConfiguration={'awsvpcConfiguration': {
        'subnets': props['Subnets'], 'securityGroups': props['SecurityGroups'], 'assignPublicIp': 'DISABLED'}})
    if out.get('failures') or not out.get('tasks'):
      why = '; '.join(f"{f.get('arn', '')} {f.get('reason', '')}".strip() for f in out.get('failures', []))
      return 'FAILED', f'RunTask failed: {why or "no task started"}', None
    arn = out['tasks'][0]['taskArn']
  print(f'following {arn}')
  data, started = {'TaskArn': arn}, event.get('Started') or time.time()
  while True:
    tasks = ecs.describe_tasks(cluster=cluster, tasks=[arn]).get('tasks', [])
    if not tasks:
      return 'FAILED', f'Task {arn} disappeared.', data
    task = tasks[0]
    if task.get('lastStatus') == 'STOPPED':
      bad = [f"{c.get('name')} exited {c.get('exitCode', 'without an exit code')}"
        for c in task.get('containers', []) if c.get('exitCode') != 0]
      if bad or not task.get('containers'):
        return 'FAILED', f"Setup task failed ({task.get('stoppedReason', 'unknown reason')}): {', '.join(bad)}", data
      return 'SUCCESS', 'Setup task finished with exit code 0.', data
    if time.time() > started + float(props.get('ServiceTimeout', 3600)) - ${DEADLINE_MARGIN_SECONDS}:
      return 'FAILED', (f'Setup task {arn} still runs after {round((time.time() - started) / 60)} minutes, longer than '
        f'CloudFormation waits; it was not stopped. Check its logs in {props.get("LogGroup")} (stream '
        f'setup/setup/{arn.split("/")[-1]}) and deploy again once it has finished.'), data
    if context.get_remaining_time_in_millis() < 60000:
      boto3.client('lambda').invoke(FunctionName=context.invoked_function_arn, InvocationType='Event',
        Payload=json.dumps({**event, 'TaskArn': arn, 'Started': started}))
      return print('the next invocation follows the task')
    time.sleep(POLL)

def handler(event, context):
  try:
    outcome = run(event, context)
  except Exception as e:
    outcome = 'FAILED', f'{type(e).__name__}: {e}', None
  if outcome:
    print(*outcome[:2])
    send(event, context, *outcome)
`;
