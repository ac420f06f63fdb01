// Sign-in throttling: failures are counted per username and per client address over a sliding
// 15-minute window; at the limit that key is locked until its oldest counted failure ages out.
// Kept in the store so a restart does not reset it, and every replica counts the same failures.
import 'server-only';
import { inTransaction, withDb } from '@/lib/store/db';

export const WINDOW_MS = 15 * 60 * 1000;
export const USER_LIMIT = 5;
// Higher, because many people can share one address (an office, the reverse proxy).
export const CLIENT_LIMIT = 20;

const userKey = (username: string) => `user:${username.trim().toLowerCase()}`;
const clientKey = (client: string) => `client:${client}`;

async function failures(key: string, now: number): Promise<number> {
  const row = await withDb((db) =>
    db
      .selectFrom('sign_in_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', '=', key)
      .where('at', '>', now - WINDOW_MS)
      .executeTakeFirstOrThrow(),
  );
  return row.n;
}

export async function isLockedOut(username: string, client: string, now = Date.now()): Promise<boolean> {
  const [user, address] = await Promise.all([failures(userKey(username), now), failures(clientKey(client), now)]);
  return user >= USER_LIMIT || address >= CLIENT_LIMIT;
}

export async function recordFailure(username: string, client: string, now = Date.now()): Promise<void> {
  await inTransaction(async (db) => {
    await db
      .insertInto('sign_in_failures')
      .values([
        { key: userKey(username), at: now },
        { key: clientKey(client), at: now },
      ])
      .execute();
    await db.deleteFrom('sign_in_failures').where('at', '<=', now - WINDOW_MS).execute();
  });
}

/** After a successful sign-in the username starts afresh; the address keeps its count. */
export async function clearUserFailures(username: string): Promise<void> {
  await withDb((db) => db.deleteFrom('sign_in_failures').where('key', '=', userKey(username)).execute());
}
