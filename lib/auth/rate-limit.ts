// Sign-in throttling: failures are counted per username and per client address over a sliding
// 15-minute window; at the limit that key is locked until its oldest counted failure ages out.
// Kept in the store so a restart does not reset it.
import 'server-only';
import { withDb } from '@/lib/store/db';

export const WINDOW_MS = 15 * 60 * 1000;
export const USER_LIMIT = 5;
// Higher, because many people can share one address (an office, the reverse proxy).
export const CLIENT_LIMIT = 20;

const userKey = (username: string) => `user:${username.trim().toLowerCase()}`;
const clientKey = (client: string) => `client:${client}`;

function failures(key: string, now: number): number {
  return withDb(
    (db) => db.prepare('SELECT count(*) FROM sign_in_failures WHERE key = ? AND at > ?').pluck().get(key, now - WINDOW_MS) as number,
  );
}

export function isLockedOut(username: string, client: string, now = Date.now()): boolean {
  return failures(userKey(username), now) >= USER_LIMIT || failures(clientKey(client), now) >= CLIENT_LIMIT;
}

export function recordFailure(username: string, client: string, now = Date.now()): void {
  withDb((db) => {
    const insert = db.prepare('INSERT INTO sign_in_failures (key, at) VALUES (?, ?)');
    db.transaction(() => {
      insert.run(userKey(username), now);
      insert.run(clientKey(client), now);
      db.prepare('DELETE FROM sign_in_failures WHERE at <= ?').run(now - WINDOW_MS);
    })();
  });
}

/** After a successful sign-in the username starts afresh; the address keeps its count. */
export function clearUserFailures(username: string): void {
  withDb((db) => db.prepare('DELETE FROM sign_in_failures WHERE key = ?').run(userKey(username)));
}
