// Runs once when the console's server starts: set up the AWS connection (starting the embedded
// sandbox when there are no credentials) so the first page does not wait for it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getConnection } = await import('./lib/aws/connection');
  const connection = await getConnection();
  if (connection.mode === 'sandbox') console.log(`Sandbox mode: AWS calls go to the built-in sandbox at ${connection.endpoint}.`);
}
