import { describe, expect, it } from 'vitest';
import { defaultPlan } from '@/lib/params/plan';
import { defaultPlan2025 } from '@/lib/plan/testing/line-2025';
import { lineMeta } from '@/templates';
import { secretFields } from './secret-fields';

const currentPlan = (include: Record<string, boolean> = {}) => {
  const plan = defaultPlan(lineMeta('current'));
  plan.include = { ...plan.include, ...include };
  return plan;
};
const keys = (fields: ReturnType<typeof secretFields>) => fields.map((f) => `${f.stackId}.${f.key}`);

describe("a deploy run's secret fields", () => {
  it("are the current line's NoEcho parameters, each with what its spec makes or offers", () => {
    const fields = secretFields(currentPlan());
    expect(keys(fields)).toEqual(expect.arrayContaining(['infra-base.LicenseData', 'services.DexAdminPasswordHash', 'services.CertificateBody', 'services.CertificatePrivateKey']));
    const license = fields.find((f) => f.key === 'LicenseData')!;
    expect(license.label).toMatch(/^Lakerunner security and storage: License token/);
    expect(license.sample?.label).toBe('Use the sample license (sandbox only)');
    expect(fields.find((f) => f.key === 'DexAdminPasswordHash')!.generate).toBe('password-bcrypt');
  });

  it('leave out the stacks the plan does not include', () => {
    const without = keys(secretFields(currentPlan({ cwmetrics: false })));
    const withIt = keys(secretFields(currentPlan({ cwmetrics: true })));
    expect(without.every((k) => withIt.includes(k))).toBe(true);
    expect(without.some((k) => k.startsWith('cwmetrics.'))).toBe(false);
  });

  it("are the 2025 line's own NoEcho parameters on a 2025 plan, none of the current line's", () => {
    const fields = keys(secretFields(defaultPlan2025()));
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.every((k) => /^(vpc|common|migration|services|grafana|otel|demo)\./.test(k))).toBe(true);
    expect(fields).not.toContain('infra-base.LicenseData');
  });
});
