// A run's secret values (NoEcho parameters): in the memory of the replica that prepared the run,
// and, when CONSOLE_SECRETS_KEY is set, also sealed in the store, so that any replica can approve
// the run or take it over. Dropped from both when the run ends. Never in events, logs or pages.
import 'server-only';
import { env } from '@/lib/env';
import { seal, sealingKey, unseal, UnsealError } from '@/lib/security/sealed';
import { deleteRunSecrets, putRunSecrets, runSecretsOf } from '@/lib/store/run-secrets';
import { runtime, type RunSecrets } from './runtime';

const keys = new Map<string, Buffer>();

function sealKey(): Buffer | undefined {
  const passphrase = env().CONSOLE_SECRETS_KEY;
  if (!passphrase) return undefined;
  let key = keys.get(passphrase);
  if (!key) keys.set(passphrase, (key = sealingKey(passphrase, 'run secrets')));
  return key;
}

/** Keeps the values a run was given until it ends. */
export async function keepSecrets(runId: string, secrets: RunSecrets): Promise<void> {
  runtime().secrets.set(runId, secrets);
  const key = sealKey();
  if (key) await putRunSecrets(runId, seal(JSON.stringify(secrets), key, runId));
}

/** The values, or why this replica cannot have them. */
export type HeldSecrets = { ok: true; secrets: RunSecrets } | { ok: false; problem: string };

export async function secretsOf(runId: string): Promise<HeldSecrets> {
  const held = runtime().secrets.get(runId);
  if (held) return { ok: true, secrets: held };
  const key = sealKey();
  const sealed = key ? await runSecretsOf(runId) : undefined;
  if (!key || !sealed)
    return {
      ok: false,
      problem: `Secret values live only in the memory of the console that prepared this run, and this one does not have them: it restarted since, or your request reached another console replica${key ? '' : ' (give every replica the same CONSOLE_SECRETS_KEY so that any of them can)'}. Cancel the run and start it again to enter them.`,
    };
  try {
    const secrets = JSON.parse(unseal(sealed, key, runId)) as RunSecrets;
    runtime().secrets.set(runId, secrets);
    return { ok: true, secrets };
  } catch (error) {
    if (!(error instanceof UnsealError)) throw error;
    return {
      ok: false,
      problem: "This run's secret values were sealed with another CONSOLE_SECRETS_KEY than this console's: give every replica the same key, or cancel the run and start it again to enter them.",
    };
  }
}

export async function dropSecrets(runId: string): Promise<void> {
  runtime().secrets.delete(runId);
  await deleteRunSecrets(runId);
}
