// The test fixture manifest (a hypothetical v1.7.6 of the current line, fixture-v1.7.6.yaml) as
// the tests read it, and copies of it with one field changed. Never imported by the product.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const FIXTURE_MANIFEST_FILE = join(__dirname, 'fixture-v1.7.6.yaml');

/** A fresh copy of the fixture manifest, as parsed from its file. */
export const fixtureManifest = (): Record<string, unknown> & { images: Record<string, Record<string, string>>; templateChanges: Record<string, string>[]; notes: string[] } =>
  parse(readFileSync(FIXTURE_MANIFEST_FILE, 'utf8'));
