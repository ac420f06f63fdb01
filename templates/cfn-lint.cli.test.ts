// AWS's CloudFormation linter over every template the 2025 line renders, in every plan shape that
// changes a template: a certificate or not, internet-facing or internal load balancers, a new or an
// existing VPC, each optional stack in or out. The plan's values are the templates' defaults, which
// is what cfn-lint resolves parameters to, so each shape is linted as the console would serve it.
import { beforeAll, describe, expect, it } from 'vitest';
import { toYaml } from '@/lib/cfn/serialize';
import { planStacks, type Plan } from '@/lib/params/plan';
import { defaultPlan2025, LINE_2025_META } from '@/lib/plan/testing/line-2025';
import { createPlanSchema } from '@/lib/params/plan-schema';
import { stackById } from './index';
import { STACKS_2025 } from './line-2025';
import { renderTemplate, toMeta } from './stack';
import { formatFindings, lintTemplates, type LintFinding } from './testing/cfn-lint';

const METAS = STACKS_2025.map(toMeta);
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const PRIVATE = 'subnet-0abc1234def567890,subnet-0def5678abc123456';
const PUBLIC = 'subnet-0123456789abcdef0,subnet-0fedcba9876543210';

interface Shape {
  network: Plan['network'];
  scheme: 'internal' | 'internet-facing';
  certificate: boolean;
  include: Plan['include'];
}

const INCLUDES: Plan['include'][] = [false, true].flatMap((grafana) => [
  { grafana, otel: false, demo: false },
  { grafana, otel: true, demo: false },
  { grafana, otel: true, demo: true },
]);
const SHAPES: Shape[] = (['new', 'existing'] as const).flatMap((network) =>
  (['internal', 'internet-facing'] as const).flatMap((scheme) =>
    [false, true].flatMap((certificate) => INCLUDES.map((include) => ({ network, scheme, certificate, include }))),
  ),
);

const describeShape = (s: Shape) =>
  [
    `${s.network} VPC`,
    s.scheme,
    s.certificate ? 'certificates' : 'no certificate',
    ...(['grafana', 'otel', 'demo'] as const).map((id) => `${id} ${s.include[id] ? 'in' : 'out'}`),
  ].join(', ');

function planFor(shape: Shape): Plan {
  const plan = defaultPlan2025();
  const exposed = shape.scheme === 'internet-facing';
  const certificate = (domain: string) => (shape.certificate ? { certificate: CERTIFICATE, domain } : { certificate: '', domain: '' });
  const alb = certificate('lakerunner.example.com');
  const collector = certificate('otlp.example.com');
  const allowPlainHttp = exposed && !shape.certificate ? 'Yes' : 'No';
  return {
    ...plan,
    network: shape.network,
    include: shape.include,
    params: {
      ...plan.params,
      common: {
        ...plan.params.common,
        ...(shape.network === 'existing' ? { VpcId: 'vpc-0abc1234def567890', PrivateSubnets: PRIVATE, PublicSubnets: exposed ? PUBLIC : '' } : {}),
        AlbScheme: shape.scheme,
        AlbCertificateArn: alb.certificate,
        AlbDomainName: alb.domain,
        AlbAllowPlainHttp: allowPlainHttp,
      },
      otel: {
        ...plan.params.otel,
        LoadBalancerType: shape.scheme,
        CollectorCertificateArn: collector.certificate,
        CollectorDomainName: collector.domain,
        CollectorAllowPlainHttp: allowPlainHttp,
        ...(shape.network === 'existing' ? { PublicSubnets: exposed ? PUBLIC : '' } : {}),
      },
    },
  };
}

/** Each shape's templates by stack id; identical templates across shapes are linted once. */
const rendered = new Map<Shape, { stack: string; name: string }[]>();
const distinct = new Map<string, { name: string; template: ReturnType<typeof renderTemplate> }>();
let findings: LintFinding[] = [];

beforeAll(async () => {
  const schema = createPlanSchema(LINE_2025_META);
  for (const shape of SHAPES) {
    const plan = planFor(shape);
    const parsed = await schema.safeParseAsync(plan);
    if (!parsed.success) throw new Error(`${describeShape(shape)} is not a valid plan: ${JSON.stringify(parsed.error.issues)}`);
    rendered.set(
      shape,
      planStacks(parsed.data, METAS).map(({ meta, values }) => {
        const template = renderTemplate(stackById('2025', meta.id), values);
        const text = toYaml(template);
        const known = distinct.get(text) ?? { name: `${meta.stem}-${distinct.size + 1}`, template };
        distinct.set(text, known);
        return { stack: meta.id, name: known.name };
      }),
    );
  }
  findings = await lintTemplates([...distinct.values()], { includeChecks: ['I'] });
}, 600_000);

describe('cfn-lint over the 2025 templates in every plan shape', () => {
  it('covers every stack, and each shape renders its included stacks', () => {
    const stacks = new Set([...rendered.values()].flatMap((entries) => entries.map((e) => e.stack)));
    expect([...stacks].sort()).toEqual(STACKS_2025.map((s) => s.id).sort());
    expect(rendered.size).toBe(SHAPES.length);
    // the shapes reach the templates: every certificate × scheme × network variant of common, and the collector's own
    const variants = (stem: string) => [...distinct.values()].filter((d) => d.name.startsWith(`${stem}-`)).length;
    expect(variants('lakerunner-common')).toBe(8);
    expect(variants('lakerunner-otel-collector')).toBe(6);
  });

  it.each(SHAPES.map((shape) => [describeShape(shape), shape] as const))('%s: no error, warning or informational finding', (_name, shape) => {
    const names = new Set(rendered.get(shape)?.map((e) => e.name));
    expect(names.size).toBeGreaterThan(0);
    const own = findings.filter((f) => names.has(f.file));
    expect(own, formatFindings(own)).toEqual([]);
  });
});
