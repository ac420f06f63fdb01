import { connection as atRequestTime } from 'next/server';
import { getConnection } from '@/lib/aws/connection';

/** Says plainly when the console is not talking to real AWS. */
export async function ConnectionBanner() {
  // The mode is the running server's, never the build machine's.
  await atRequestTime();
  let connection;
  try {
    connection = await getConnection();
  } catch (error) {
    return (
      <div role="status" className="bg-red-50 px-4 py-2 text-center text-sm text-bad">
        The console could not set up its AWS connection: {(error as Error).message}
      </div>
    );
  }
  if (connection.mode === 'sandbox')
    return (
      <div role="status" className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-950" data-testid="sandbox-banner">
        <strong>Sandbox mode.</strong> No AWS credentials were found, so the console deploys to its built-in sandbox AWS
        endpoint (account {connection.sandboxAccount}). Nothing is created in a real AWS account. Give the console AWS
        credentials and restart it to deploy for real.
      </div>
    );
  if (connection.mode === 'endpoint')
    return (
      <div role="status" className="bg-sky-100 px-4 py-2 text-center text-sm text-sky-950">
        <strong>Custom endpoint.</strong> AWS calls go to the endpoint set in AWS_ENDPOINT_URL (for example LocalStack).
      </div>
    );
  return null;
}
