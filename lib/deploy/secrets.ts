// A run's secret values (NoEcho parameters): in the memory of the replica that prepared the run,
// and, when CONSOLE_SECRETS_KEY is set, also sealed in the store, so that any replica can approve
// the run or take it over. Dropped from both when the run ends, and expired (with a note on the
// run) once it has waited CONSOLE_RUN_SECRETS_TTL_HOURS for approval. Values sealed with the key
// being rotated out (CONSOLE_SECRETS_KEY_PREVIOUS) still open, and are sealed again with the new
// key as they are read. Never in events, logs or pages.
import 'server-only';
import { env } from '@/lib/env';
import { seal, sealingKey, unseal, UnsealError } from '@/lib/security/sealed';
import { deleteExpiredRunSecrets, deleteRunSecrets, putRunSecrets, resealRunSecrets, runSecretsOf } from '@/lib/store/run-secrets';
import { note, runtime, type RunSecrets } from './runtime';

const PURPOSE = 'run secrets';
const keys = new Map<string, Buffer>();

function keyOf(encoded: string | undefined): Buffer | undefined {
  if (!encoded) return undefined;
  let key = keys.get(encoded);
  if (!key) keys.set(encoded, (key = sealingKey(Buffer.from(encoded, 'base64'), PURPOSE)));
  return key;
}

const currentKey = () => keyOf(env().CONSOLE_SECRETS_KEY);
const previousKey = () => keyOf(env().CONSOLE_SECRETS_KEY_PREVIOUS);
export const secretsTtlMs = () => env().CONSOLE_RUN_SECRETS_TTL_HOURS * 60 * 60_000;
const ttlText = () => `${env().CONSOLE_RUN_SECRETS_TTL_HOURS} hour${env().CONSOLE_RUN_SECRETS_TTL_HOURS === 1 ? '' : 's'}`;

/** Keeps the values a run was given until it ends. */
export async function keepSecrets(runId: string, secrets: RunSecrets): Promise<void> {
  runtime().secrets.set(runId, { secrets, keptAt: performance.now() });
  const key = currentKey();
  if (key) await putRunSecrets(runId, seal(JSON.stringify(secrets), key, runId));
}

/** The values, or why this replica cannot have them. */
export type HeldSecrets = { ok: true; secrets: RunSecrets } | { ok: false; problem: string };

const expired = (): HeldSecrets => ({
  ok: false,
  problem: `This run's secret values expired: they are kept ${ttlText()} while a run waits for approval (CONSOLE_RUN_SECRETS_TTL_HOURS). Cancel the run and start it again to enter them.`,
});

/**
 * The run's values. `awaitingApproval`: the run has not started executing, so values older than
 * CONSOLE_RUN_SECRETS_TTL_HOURS count as gone (a running run keeps them until it ends).
 */
export async function secretsOf(runId: string, { awaitingApproval = false } = {}): Promise<HeldSecrets> {
  const ttl = secretsTtlMs();
  const held = runtime().secrets.get(runId);
  if (held && !(awaitingApproval && performance.now() - held.keptAt >= ttl)) return { ok: true, secrets: held.secrets };
  const key = currentKey();
  const stored = key ? await runSecretsOf(runId) : undefined;
  if (key && stored && awaitingApproval && stored.ageMs >= ttl) return expired();
  if (!key || !stored) {
    if (held) return expired();
    return {
      ok: false,
      problem: `Secret values live only in the memory of the console that prepared this run, and this one does not have them: it restarted since, or your request reached another console replica${key ? '' : ' (give every replica the same CONSOLE_SECRETS_KEY so that any of them can)'}. Cancel the run and start it again to enter them.`,
    };
  }
  const opened = openWith(stored.sealed, runId, key) ?? openWith(stored.sealed, runId, previousKey());
  if (opened === undefined)
    return {
      ok: false,
      problem:
        "This run's secret values were sealed with another CONSOLE_SECRETS_KEY than this console's (nor its CONSOLE_SECRETS_KEY_PREVIOUS): give every replica the same key, or cancel the run and start it again to enter them.",
    };
  // Read with the previous key: sealed again with the current one, so the old key can go.
  if (!opened.current) await resealRunSecrets(runId, seal(opened.text, key, runId));
  const secrets = JSON.parse(opened.text) as RunSecrets;
  runtime().secrets.set(runId, { secrets, keptAt: performance.now() - stored.ageMs });
  return { ok: true, secrets };
}

function openWith(sealed: string, runId: string, key: Buffer | undefined): { text: string; current: boolean } | undefined {
  if (!key) return undefined;
  try {
    return { text: unseal(sealed, key, runId), current: key === currentKey() };
  } catch (error) {
    if (error instanceof UnsealError) return undefined;
    throw error;
  }
}

export async function dropSecrets(runId: string): Promise<void> {
  runtime().secrets.delete(runId);
  await deleteRunSecrets(runId);
}

/**
 * Deletes the sealed values of runs that have waited for approval longer than
 * CONSOLE_RUN_SECRETS_TTL_HOURS, and says so on each run. Every replica calls it from time to
 * time; each run's values are deleted (and noted) once. Returns those runs.
 */
export async function expireWaitingSecrets(): Promise<string[]> {
  const runs = await deleteExpiredRunSecrets(secretsTtlMs());
  for (const runId of runs) {
    runtime().secrets.delete(runId);
    await note(
      runId,
      'warn',
      `The secret values given for this run were kept ${ttlText()} while it waited for approval, and are deleted now (CONSOLE_RUN_SECRETS_TTL_HOURS). Cancel the run and start it again to enter them.`,
    );
  }
  return runs;
}
