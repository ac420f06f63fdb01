// Reachability between tiers (fact sheet §5 and §3.3): who may reach whom on which port, and
// nothing else, read from the ingress rules of infra-base, infra-rds and satellite-services. Then
// the same rules against what the children actually do: every target group's traffic and health
// port and every in-VPC URL a container is given must be allowed.
import { describe, expect, it } from 'vitest';
import type { Template } from '@/lib/cfn/template';
import { ingressRules, resourcesOfType } from '../testing/policies';
import { walk } from '../testing/references';
import { SERVICES_CHILDREN } from './cardinal-lakerunner-services';
import type { CurrentStackId } from './ids';
import { childOf, propsOf, templateOf } from './testing/rendered';

type Edge = `${string} -> ${string}:${number}${string}`;

/** `<source> -> <group>:<port>[ if <condition>]`, sources named by tier or CIDR parameter. */
function edges(template: Template, name: (logicalOrParam: string) => string): Edge[] {
  return ingressRules(template).map(({ path, group, rule }) => {
    const id = path.split('.')[1] as string;
    const condition = template.Resources[id]?.Condition;
    const source = rule.SourceSecurityGroupId as { 'Fn::GetAtt'?: [string]; Ref?: string } | undefined;
    const cidr = rule.CidrIp as string | { Ref: string } | undefined;
    const from = source
      ? name(source['Fn::GetAtt']?.[0] ?? source.Ref ?? '?')
      : typeof cidr === 'string'
        ? cidr
        : `cidr:${cidr?.Ref ?? '?'}`;
    expect(rule.IpProtocol, path).toBe('tcp');
    expect(rule.FromPort, path).toBe(rule.ToPort);
    return `${from} -> ${name(group ?? '?')}:${Number(rule.FromPort)}${condition ? ` if ${condition}` : ''}` as Edge;
  });
}

/** AlbSecurityGroup → Alb, QuerySecurityGroup → Query, QuerySecurityGroupId (a parameter) → Query. */
const tierName = (id: string) => id.replace(/SecurityGroup(Id)?$/, '');
const sorted = (list: string[]) => [...list].sort();

const ALB_PORTS = [443, 9443, 4318];
const ALB_SOURCES = [
  ...[1, 2, 3].flatMap((n) => ALB_PORTS.map((p) => `cidr:AlbAllowedCidr${n} -> Alb:${p} if HasAlbCidr${n}`)),
  ...ALB_PORTS.map((p) => `0.0.0.0/0 -> Alb:${p} if AlbIsInternetFacing`),
];

describe('security-group reachability', () => {
  it('lets the Lakerunner account\'s tiers reach each other exactly as the fact sheet\'s tables require', () => {
    expect(sorted(edges(templateOf('infra-base'), tierName))).toEqual(
      sorted([
        ...ALB_SOURCES,
        'Alb -> Query:8080',
        'Alb -> Query:8090',
        'Query -> Query:8082',
        'Query -> Query:8081',
        'Maestro -> Query:8080',
        // The fix: alert-evaluator in the control tier calls query-api.
        'Control -> Query:8080',
        'Alb -> Control:9091',
        'Alb -> Control:8090',
        'Maestro -> Control:9091',
        'Alb -> Maestro:4200',
        'Alb -> Maestro:5556',
      ]),
    );
  });

  it('opens the database to the five tiers on 5432 and to nothing else', () => {
    expect(sorted(edges(templateOf('infra-rds'), tierName))).toEqual(
      sorted(['Migration', 'Query', 'Process', 'Control', 'Maestro'].map((tier) => `${tier} -> Rds:5432`)),
    );
  });

  it('opens the collector to the ingest range (and the internet when internet-facing), its tasks to its load balancer only', () => {
    expect(sorted(edges(templateOf('satellite-services'), tierName))).toEqual(
      sorted(['cidr:IngestSourceCidr -> Alb:4318', '0.0.0.0/0 -> Alb:4318 if AlbIsInternetFacing', 'Alb -> Task:4318', 'Alb -> Task:13133']),
    );
  });

  it.each(['infra-base', 'infra-rds', 'satellite-services'] as CurrentStackId[])('%s declares no egress rule (SCPs deny revoking the default one)', (id) => {
    for (const [logical, sg] of resourcesOfType(templateOf(id), 'AWS::EC2::SecurityGroup')) expect(sg.SecurityGroupEgress, logical).toBeUndefined();
    expect(resourcesOfType(templateOf(id), 'AWS::EC2::SecurityGroupEgress')).toEqual([]);
  });
});

describe('the rules against what the services do', () => {
  const root = templateOf('services');
  const allowed = new Set(edges(templateOf('infra-base'), tierName).map((e) => e.replace(/ if .*$/, '')));
  /** The tier a child's tasks run in: the security group the root passes it. */
  const tierOf = (logicalId: string) => tierName(((propsOf(root, logicalId).Parameters as Record<string, { Ref: string }>).TaskSecurityGroupId ?? { Ref: '?' }).Ref);

  const targets = SERVICES_CHILDREN.flatMap((child) => {
    const template = childOf(child.meta.id);
    return resourcesOfType(template, 'AWS::ECS::Service').flatMap(([service, props]) =>
      ((props.LoadBalancers ?? []) as { TargetGroupArn: { Ref: string } }[]).map((lb) => {
        const tg = propsOf(template, lb.TargetGroupArn.Ref);
        return [`${child.meta.id} ${service}`, tierOf(child.meta.logicalId), Number(tg.Port), Number(tg.HealthCheckPort ?? tg.Port)] as const;
      }),
    );
  });

  it('finds the load-balanced services: query-api, admin-api, Maestro and Dex', () => {
    expect(targets.map(([name, tier, port, health]) => `${name} (${tier}) ${port}/${health}`)).toEqual([
      'services-query QueryApiService (Query) 8080/8090',
      'services-control ControlService (Control) 9091/8090',
      'maestro MaestroService (Maestro) 4200/4200',
      'maestro MaestroService (Maestro) 5556/5556',
    ]);
  });

  it.each(targets)('the load balancer reaches %s (%s) on its traffic port %i and health port %i', (_name, tier, port, health) => {
    expect(allowed.has(`Alb -> ${tier}:${port}`)).toBe(true);
    expect(allowed.has(`Alb -> ${tier}:${health}`)).toBe(true);
  });

  it('allows every in-VPC URL a container is given (Cloud Map names of query-api and admin-api)', () => {
    const calls: string[] = [];
    for (const child of SERVICES_CHILDREN) {
      walk(childOf(child.meta.id).Resources, '', (node) => {
        const sub = node['Fn::Sub'];
        const text = typeof sub === 'string' ? sub : '';
        const match = /^http:\/\/(query-api|admin-api)\.\$\{ServiceNamespaceName\}:(\d+)$/.exec(text);
        if (match) calls.push(`${tierOf(child.meta.logicalId)} -> ${match[1] === 'query-api' ? 'Query' : 'Control'}:${match[2]}`);
      });
    }
    expect(sorted([...new Set(calls)])).toEqual(['Control -> Query:8080', 'Maestro -> Control:9091', 'Maestro -> Query:8080']);
    for (const call of calls) expect(allowed.has(call), call).toBe(true);
  });

  it('lets query-api reach the workers on the ports it is told (gRPC) and fetches artifacts from (HTTP)', () => {
    const env = JSON.stringify(propsOf(childOf('services-query'), 'QueryApiTaskDef'));
    expect(env).toContain('{"Name":"QUERY_WORKER_PORT","Value":"8082"}');
    expect(allowed.has('Query -> Query:8082')).toBe(true);
    expect(allowed.has('Query -> Query:8081')).toBe(true);
  });
});
