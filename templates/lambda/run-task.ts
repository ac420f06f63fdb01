// Inline Python (python3.13) for the custom resource that runs a one-shot ECS task during a
// stack create or update and reports SUCCESS only when every container exits 0. One task per
// CloudFormation request: the task carries a tag made of the request (the first 32 hex digits of
// SHA-256 of StackId + RequestId: startedBy takes 36 characters at most, and a RequestId is not
// promised to fit) as startedBy (ListTasks finds it while it runs) and as RunTask's clientToken
// (RunTask returns the same task, stopped or not), so a redelivered event or a retry after a
// failed response upload follows the task already started. Before starting one it looks for a
// running task of the same family (an earlier setup still running, perhaps one a timed-out
// request left behind) and waits for it to end: two setups never run at once. A task that
// outlives the invocation is followed by the next one (the function invokes itself with the task
// ARN when it has less than HANDOFF_SECONDS left) until the custom resource's ServiceTimeout,
// then reported failed without being stopped. Errors while following a task (DescribeTasks,
// the self-invocation) are retried until then, not reported as a failure of a task that still
// runs; access-denied answers before it starts are retried for a while (IAM is eventually
// consistent, and an update rewrites the policy seconds before it asks for the new revision).
// An update during a rollback re-sends the old properties: the task is not run again (an older
// setup could fail against a newer schema). The Reason is cut so the response fits
// CloudFormation's 4 KB. One-space indentation keeps the code under the 4,096 characters
// CloudFormation long allowed for inline ZipFile code (some emulators still do).

/** CloudFormation's limit for Code.ZipFile. */
export const INLINE_CODE_LIMIT = 4096;

/** How many times an access-denied answer is retried, POLL_SECONDS × 2 apart (6 s: two minutes). */
export const ACCESS_DENIED_ATTEMPTS = 10;

/** Seconds before CloudFormation's own deadline at which a still-running task is reported failed. */
export const DEADLINE_MARGIN_SECONDS = 120;

/** An invocation with less time left than this hands the task over to the next one (Lambda's timeout is 900 s). */
export const HANDOFF_SECONDS = 180;

/** The largest response CloudFormation accepts from a custom resource (bytes); the Reason is cut to fit. */
export const RESPONSE_LIMIT = 4096;

export const RUN_TASK_CODE = `import json, os, time, hashlib, urllib.request as url
import boto3
P = float(os.environ.get('POLL_SECONDS', '6'))
ecs = boto3.client('ecs')
def calm(call, **kw):
 for n in range(${ACCESS_DENIED_ATTEMPTS}):
  try:
   return call(**kw)
  except Exception as e:
   if 'AccessDenied' not in str(e) or n == ${ACCESS_DENIED_ATTEMPTS - 1}:
    raise
   print(e)
   time.sleep(P*2)
def send(ev, cx, status, why, data):
 base = {k: ev[k] for k in ('StackId', 'RequestId', 'LogicalResourceId')}
 base.update(Status=status, PhysicalResourceId=ev.get('PhysicalResourceId') or 'setup-task', Data=data or {})
 why = f'{why} (log stream {cx.log_stream_name})'
 while len(body := json.dumps({**base, 'Reason': why}).encode()) > ${RESPONSE_LIMIT}:
  why = why[:${RESPONSE_LIMIT} - len(body) - 3] + '...'
 for n in range(4):
  try:
   return url.urlopen(url.Request(ev['ResponseURL'], body, {'Content-Type': ''}, method='PUT'), timeout=30).read()
  except Exception as e:
   print(e)
   if n == 3:
    raise
   time.sleep(P*(n+1))
def later(ev, cx, end, arn, t0, why):
 data = arn and {'TaskArn': arn}
 if time.time() > end:
  return 'FAILED', why, data
 if cx.get_remaining_time_in_millis() >= ${HANDOFF_SECONDS * 1000}:
  return time.sleep(P)
 while cx.get_remaining_time_in_millis() > 30000:
  try:
   boto3.client('lambda').invoke(FunctionName=cx.invoked_function_arn, InvocationType='Event',
    Payload=json.dumps({**ev, 'TaskArn': arn, 'Started': t0}))
   return [None]
  except Exception as e:
   print(e)
   time.sleep(P)
 return 'FAILED', f'No handoff. {why}', data
def run(ev, cx):
 pr, kind = ev['ResourceProperties'], ev['RequestType']
 if kind == 'Delete':
  return 'SUCCESS', 'Nothing to undo.', None
 arn = ev.get('TaskArn')
 if kind == 'Update' and not arn and 'ROLLBACK' in boto3.client('cloudformation').describe_stacks(
   StackName=ev['StackId'])['Stacks'][0]['StackStatus']:
  return 'SUCCESS', 'Rolling back: the setup is not run again.', {'TaskArn': 'none'}
 cl, td = pr['Cluster'], pr['TaskDefinition']
 tag = hashlib.sha256((ev['StackId'] + ev['RequestId']).encode()).hexdigest()[:32]
 t0 = ev.get('Started') or time.time()
 end = t0 + float(pr.get('ServiceTimeout', 3600)) - ${DEADLINE_MARGIN_SECONDS}
 while True:
  err = ''
  if not arn:
   arn = next(iter(calm(ecs.list_tasks, cluster=cl, startedBy=tag)['taskArns']), None)
   busy = not arn and calm(ecs.list_tasks, cluster=cl, family=td.split('/')[-1].split(':')[0], desiredStatus='RUNNING')['taskArns']
   if not arn and not busy:
    out = calm(ecs.run_task, cluster=cl, taskDefinition=td, launchType='FARGATE', count=1, startedBy=tag, clientToken=tag,
     networkConfiguration={'awsvpcConfiguration': {'subnets': pr['Subnets'], 'securityGroups': pr['SecurityGroups'], 'assignPublicIp': 'DISABLED'}})
    if out.get('failures') or not out.get('tasks'):
     why = '; '.join(f"{f.get('arn', '')} {f.get('reason', '')}".strip() for f in out.get('failures', []))
     return 'FAILED', f'RunTask failed: {why or "no task started"}', None
    arn = out['tasks'][0]['taskArn']
  if arn:
   data = {'TaskArn': arn}
   try:
    tasks = ecs.describe_tasks(cluster=cl, tasks=[arn])['tasks']
   except Exception as e:
    tasks, err = [{}], f' Last error: {type(e).__name__}: {e}'
   if not tasks:
    return 'FAILED', f'Task {arn} disappeared.', data
   t = tasks[0]
   if t.get('lastStatus') == 'STOPPED':
    bad = [f"{c.get('name')} exited {c.get('exitCode', 'without an exit code')}" for c in t.get('containers', []) if c.get('exitCode') != 0]
    if bad or not t.get('containers'):
     return 'FAILED', f"Setup task failed ({t.get('stoppedReason', 'unknown reason')}): {', '.join(bad)}", data
    return 'SUCCESS', 'Setup task exited 0.', data
  x = arn or busy[0]
  if out := later(ev, cx, end, arn, t0, f'Setup task {x} still runs after {round((time.time()-t0)/60)} minutes; it was not '
    f'stopped. See {pr.get("LogGroup")} (stream setup/setup/{x.split("/")[-1]}); deploy again once it ends.{err}'):
   return out
def handler(event, context):
 try:
  outcome = run(event, context)
 except Exception as e:
  outcome = 'FAILED', f'{type(e).__name__}: {e}', None
 if outcome[0]:
  print(outcome[1])
  send(event, context, *outcome)
`;
