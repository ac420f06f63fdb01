// npm run sandbox -- [--port 4566] [--host 127.0.0.1] [--time-scale 1] [--state-file path] [--control-token t]
// Runs the sandbox AWS endpoint standalone and prints what clients need to use it.
import { parseArgs } from 'node:util';
import { startSandbox } from '../lib/sandbox/index';

const usage = 'usage: npm run sandbox -- [--port 4566] [--host 127.0.0.1] [--time-scale 1] [--state-file path] [--control-token token]';

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '4566' },
        host: { type: 'string', default: '127.0.0.1' },
        'time-scale': { type: 'string', default: '1' },
        'state-file': { type: 'string' },
        'control-token': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  const timeScale = Number(values['time-scale']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, not "${values.port}"\n${usage}`);
    process.exit(2);
  }
  if (!Number.isFinite(timeScale) || timeScale < 0) {
    console.error(`--time-scale must be a number of 0 or more, not "${values['time-scale']}"\n${usage}`);
    process.exit(2);
  }

  const sandbox = await startSandbox({
    port,
    host: values.host,
    timeScale,
    stateFile: values['state-file'],
    controlToken: values['control-token'],
  });
  const lines = [
    `Sandbox AWS endpoint listening on ${sandbox.endpoint}`,
    `  account ${sandbox.accountId}, default region ${sandbox.region}, time scale ${timeScale}${values['state-file'] ? `, state in ${values['state-file']}` : ', state in memory'}`,
    `  user    arn:aws:iam::${sandbox.accountId}:user/sandbox`,
    ...sandbox.roles.map((r) => `  role    ${r.arn} (ExternalId ${r.externalId})`),
    values['control-token'] ? `  control API at ${sandbox.endpoint}/_sandbox/ (Authorization: Bearer <token>)` : '  control API off (pass --control-token to enable it)',
    '',
    'Point any AWS SDK or the AWS CLI at it:',
    `  export AWS_ENDPOINT_URL=${sandbox.endpoint}`,
    `  export AWS_ACCESS_KEY_ID=${sandbox.credentials.accessKeyId}`,
    `  export AWS_SECRET_ACCESS_KEY=${sandbox.credentials.secretAccessKey}`,
    `  export AWS_REGION=${sandbox.region} AWS_DEFAULT_REGION=${sandbox.region}`,
    '  unset AWS_SESSION_TOKEN AWS_PROFILE',
  ];
  console.log(lines.join('\n'));

  const stop = (signal: string) => {
    console.log(`\n${signal}: stopping the sandbox`);
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
