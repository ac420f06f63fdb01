import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultPlan } from '@/lib/params/plan';
import { lineMeta } from '@/templates';
import { SAMPLE_LICENSE } from '@/templates/current/cardinal-lakerunner-infra-base';
import { checkAgainstAccount } from './account-checks';
import { forDownload } from './index';

const mode = vi.hoisted(() => ({ value: 'sandbox' as string }));
vi.mock('@/lib/aws/connection', () => ({ getConnection: async () => ({ mode: mode.value }) }));

const plan = () => {
  const p = defaultPlan(lineMeta('current'));
  p.params['infra-base']!.LicenseData = SAMPLE_LICENSE;
  p.params.services!.DexAdminPasswordHash = '$2b$10$abcdefghijklmnopqrstuuJ8dyGzC8pJQZ5oB2iYkQ2dY3Zc0m1Gq';
  p.params.services!.CertificatePrivateKey = 'KEY';
  return p;
};

describe('what downloads may carry', () => {
  it('leaves out the secrets marked to stay out of files, keeps the others and the rest of the plan', () => {
    const given = plan();
    const copy = forDownload(given);
    expect(copy.params['infra-base']!.LicenseData).toBe('');
    expect(copy.params.services!.DexAdminPasswordHash).toBe('');
    expect(copy.params.services!.CertificatePrivateKey).toBe('KEY');
    expect(given.params['infra-base']!.LicenseData).toBe(SAMPLE_LICENSE);
    expect({ ...copy, params: {} }).toEqual({ ...given, params: {} });
  });
});

describe('the sample license', () => {
  beforeEach(() => {
    mode.value = 'sandbox';
  });

  it('is accepted by the sandbox and refused on its field against a real account', async () => {
    expect(await checkAgainstAccount(plan())).toEqual({});
    mode.value = 'aws';
    expect(await checkAgainstAccount(plan())).toEqual({ 'params.infra-base.LicenseData': expect.stringContaining('only the sandbox accepts') });
    const own = plan();
    own.params['infra-base']!.LicenseData = 'z64:my-own-license';
    expect(await checkAgainstAccount(own)).toEqual({});
  });
});
