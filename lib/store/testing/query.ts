// Test helper: plain SQL against the store under test, whichever dialect it is.
import { sql } from 'kysely';
import { getDb } from '../db';

export async function rows<T = Record<string, unknown>>(text: string): Promise<T[]> {
  return (await sql.raw<T>(text).execute(await getDb())).rows;
}

/** The first column of every row. */
export async function column<T = unknown>(text: string): Promise<T[]> {
  return (await rows<Record<string, T>>(text)).map((row) => Object.values(row)[0]!);
}

/** The first column of the first row. */
export async function value<T = unknown>(text: string): Promise<T | undefined> {
  return (await column<T>(text))[0];
}
