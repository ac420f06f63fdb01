// Inline Python (python3.13) for the custom resource that runs a one-shot ECS task during a
// stack create or update and reports SUCCESS only when every container exits 0. Kept under the
// 4,096-character limit of Lambda's inline ZipFile code in CloudFormation.

/** CloudFormation's limit for Code.ZipFile. */
export const INLINE_CODE_LIMIT = 4096;

export const RUN_TASK_CODE = `import json, os, time, urllib.request
import boto3

POLL = float(os.environ.get('POLL_SECONDS', '6'))
ecs = boto3.client('ecs')


def send(event, context, status, reason, data=None):
    body = json.dumps({
        'Status': status,
        'Reason': f'{reason} (log stream {context.log_stream_name})',
        'PhysicalResourceId': event.get('PhysicalResourceId') or 'setup-task',
        'StackId': event['StackId'],
        'RequestId': event['RequestId'],
        'LogicalResourceId': event['LogicalResourceId'],
        'Data': data or {},
    }).encode()
    request = urllib.request.Request(event['ResponseURL'], data=body, method='PUT',
                                     headers={'Content-Type': '', 'Content-Length': str(len(body))})
    urllib.request.urlopen(request, timeout=30).read()


def rolling_back(stack_id):
    cfn = boto3.client('cloudformation')
    return 'ROLLBACK' in cfn.describe_stacks(StackName=stack_id)['Stacks'][0]['StackStatus']


def run(event, context):
    props = event['ResourceProperties']
    kind = event['RequestType']
    if kind == 'Delete':
        return 'SUCCESS', 'Nothing to undo.', None
    # A rollback re-sends the old properties; re-running an older setup against a newer
    # schema could fail the rollback itself.
    if kind == 'Update' and rolling_back(event['StackId']):
        return 'SUCCESS', 'Rolling back: the setup task is not run again.', {'TaskArn': 'none'}
    cluster = props['Cluster']
    started = ecs.run_task(
        cluster=cluster, taskDefinition=props['TaskDefinition'], launchType='FARGATE', count=1,
        startedBy='cloudformation',
        networkConfiguration={'awsvpcConfiguration': {
            'subnets': props['Subnets'], 'securityGroups': props['SecurityGroups'],
            'assignPublicIp': 'DISABLED'}})
    if started.get('failures') or not started.get('tasks'):
        reasons = '; '.join(f"{f.get('arn', '')} {f.get('reason', '')}".strip()
                            for f in started.get('failures', []))
        return 'FAILED', f'RunTask failed: {reasons or "no task started"}', None
    arn = started['tasks'][0]['taskArn']
    print(f'started {arn}')
    while context.get_remaining_time_in_millis() > 30000:
        time.sleep(POLL)
        tasks = ecs.describe_tasks(cluster=cluster, tasks=[arn]).get('tasks', [])
        if not tasks:
            return 'FAILED', f'Task {arn} disappeared.', {'TaskArn': arn}
        task = tasks[0]
        if task.get('lastStatus') != 'STOPPED':
            continue
        bad = [f"{c.get('name')} exited {c.get('exitCode', 'without an exit code')}"
               for c in task.get('containers', []) if c.get('exitCode') != 0]
        if bad or not task.get('containers'):
            why = task.get('stoppedReason', 'unknown reason')
            return 'FAILED', f"Setup task failed ({why}): {', '.join(bad)}", {'TaskArn': arn}
        return 'SUCCESS', 'Setup task finished with exit code 0.', {'TaskArn': arn}
    ecs.stop_task(cluster=cluster, task=arn, reason='Timed out waiting for the setup task')
    return 'FAILED', f'Timed out waiting for task {arn} to stop; it was stopped.', {'TaskArn': arn}


def handler(event, context):
    try:
        status, reason, data = run(event, context)
    except Exception as error:
        status, reason, data = 'FAILED', f'{type(error).__name__}: {error}', None
    print(status, reason)
    send(event, context, status, reason, data)
`;
