// Run leases short enough for a test to watch one lapse, and every lease this replica holds let go
// after each test so the next starts with none.
import { afterEach, beforeEach } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { releaseAll } from '../replica';

export function shortLeases(seconds = 2): void {
  beforeEach(() => {
    process.env.CONSOLE_RUN_LEASE_SECONDS = String(seconds);
    resetEnvForTests();
  });
  afterEach(async () => {
    await releaseAll();
    delete process.env.CONSOLE_RUN_LEASE_SECONDS;
    resetEnvForTests();
  });
}
