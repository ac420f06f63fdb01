// Runs once when the console's server starts: check the settings, record each connection's socket
// address (for the trusted-proxy check), create the first admin on an empty store, look up the
// OpenID Connect provider when one is configured, prune expired sign-ins and old audit entries from
// time to time, set up the AWS connection (starting the embedded
// sandbox when there are no credentials), pick up the runs a previous process left executing, and
// from then on keep this replica's run leases and take over the runs of replicas that died.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // A setting that cannot work stops the start with its reason, rather than a server answering 500.
  const { env } = await import('./lib/env');
  try {
    env();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const { installPeerAddressTap } = await import('./lib/auth/trusted-proxy');
  installPeerAddressTap();
  const { startAuth } = await import('./lib/auth/bootstrap');
  await startAuth();
  const { checkProvider } = await import('./lib/auth/oidc/sign-in');
  checkProvider();
  const { scheduleHousekeeping } = await import('./lib/auth/housekeeping');
  scheduleHousekeeping();
  const { getConnection } = await import('./lib/aws/connection');
  const connection = await getConnection();
  if (connection.mode === 'sandbox') console.log(`Sandbox mode: AWS calls go to the built-in sandbox at ${connection.endpoint}.`);
  const { resumeRuns } = await import('./lib/deploy/engine');
  const { expireWaitingSecrets } = await import('./lib/deploy/secrets');
  const { keepLeases, releaseAll, replicaId } = await import('./lib/deploy/replica');
  const resume = async () => {
    await expireWaitingSecrets();
    const resumed = await resumeRuns();
    if (resumed > 0) console.log(`Replica ${replicaId()} took over ${resumed} run${resumed === 1 ? '' : 's'} that nobody was driving any more.`);
  };
  await resume().catch((error: unknown) => console.error('Resuming runs failed:', error instanceof Error ? error.message : error));
  keepLeases(resume);
  // Rolling replicas: a stopped replica gives its runs up at once, so another takes them over
  // within a few seconds instead of waiting for the leases to lapse.
  if (process.env.NEXT_MANUAL_SIG_HANDLE) {
    const { closeDb } = await import('./lib/store/db');
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void releaseAll()
          .then(() => closeDb())
          .catch((error: unknown) => console.error('Shutting down:', error))
          .finally(() => process.exit(signal === 'SIGTERM' ? 143 : 130));
      });
    }
  }
}
