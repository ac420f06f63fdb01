// GET /api/aws/deploy-role?format=yaml|json[&TrustedPrincipalArn=…]: the IAM role template a user
// creates so the console can deploy with AssumeRole and an ExternalId, as a download. The ExternalId
// is secret and never travels in a URL: CloudFormation asks for it when the stack is created.
import { z } from 'zod';
import { defineRoute } from '@/lib/auth/route';
import { DEPLOY_ROLE_PARAMETERS, DEPLOY_ROLE_STEM, deployRoleTemplate } from '@/lib/aws/deploy-role';
import { contentType, serialize } from '@/lib/cfn/serialize';
import { attachment } from '@/lib/http/responses';
import { checkValue } from '@/lib/params/check';

export const dynamic = 'force-dynamic';

const principal = DEPLOY_ROLE_PARAMETERS.find((spec) => spec.key === 'TrustedPrincipalArn')!;

const query = z.strictObject({
  format: z.enum(['yaml', 'json'], { error: 'format must be yaml or json.' }).default('yaml'),
  TrustedPrincipalArn: z
    .string({ error: `${principal.label} must be given once.` })
    .optional()
    .superRefine((value, ctx) => {
      const problem = value === undefined ? undefined : checkValue(principal, value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ExternalId: z.never({ error: 'External ID is secret (NoEcho) and cannot be passed in a URL; CloudFormation asks for it when you create the stack.' }).optional(),
});

export const GET = defineRoute({ role: 'viewer', query }, async ({ query: { format, TrustedPrincipalArn } }) =>
  attachment(serialize(deployRoleTemplate({ TrustedPrincipalArn }), format), `${DEPLOY_ROLE_STEM}.${format}`, contentType(format)),
);
