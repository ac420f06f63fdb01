// Plans on the current line for tests and benches (from the test line, templates/current/testing):
// a proof of concept with our VPC and cluster, the values every current-line deploy needs (the
// organization, a certificate ARN the sandbox accepts) and the run's secrets (the license, Dex's
// admin password hash). The sandbox accepts any non-empty license.
import { defaultPlan, type Plan } from '@/lib/params/plan';
import { CURRENT_TEST_LINE } from '@/templates/current/testing/line';
import { toLineMeta } from '@/templates/line';

export const LINE_CURRENT_META = toLineMeta(CURRENT_TEST_LINE);

export const ORGANIZATION_ID = '7b3d2c9e-4f1a-4e8b-9c6d-2a5f8e1b3c7d';
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
/** bcrypt of "sandbox-password" (cost 10). */
export const DEX_ADMIN_PASSWORD_HASH = '$2y$10$FQmM7VjT6gqNhvO7Dk3xhOZC8Nq8Xo5G2qvfOaTQIQ4o7q1Jm1Q0W';

/** A proof-of-concept plan on the current line: our VPC and cluster, every stack named `<prefix>-<id>`. */
export function currentPlan(prefix: string, options: { cwmetrics?: boolean } = {}): Plan {
  const plan = defaultPlan(LINE_CURRENT_META);
  plan.name = prefix;
  plan.include = { cluster: true, cwmetrics: options.cwmetrics ?? true };
  for (const meta of LINE_CURRENT_META.stacks) plan.stackNames[meta.id] = `${prefix}-${meta.id}`;
  for (const id of ['satellite-services', 'services', 'cwmetrics']) plan.params[id]!.OrganizationId = ORGANIZATION_ID;
  plan.params.services!.CertificateArn = CERTIFICATE_ARN;
  // The cooked bucket's and the secrets' default names are one per account and region (and the
  // secrets outlive their stack): one per plan here.
  Object.assign(plan.params['infra-base']!, {
    CookedBucketName: `${prefix}-cardinal-cooked`,
    LicenseSecretName: `${prefix}-cardinal-license`,
    AdminKeySecretName: `${prefix}-cardinal-admin-key`,
  });
  return plan;
}

/** The NoEcho values a current-line deploy is given. */
export const CURRENT_SECRETS = {
  'infra-base': { LicenseData: 'z64:sandbox-license-for-tests' },
  services: { DexAdminPasswordHash: DEX_ADMIN_PASSWORD_HASH },
};
