// Pricing rules for the network: the NAT gateway (hours and data), public IPv4 addresses, load
// balancers (hours, LCUs and an internet-facing one's addresses) and VPC endpoints.
import { refTarget, UNKNOWN, type TemplateReader, type Value } from '@/lib/cfn/resolve';
import { OTLP_HTTP_PORT } from '@/templates/otel-config';
import { HOURS_PER_MONTH, num, THUMB, type Rule } from '../model';

/** AZs a load balancer or endpoint spans: one per subnet listed, two (the plan's minimum) when not known here. */
function zonesOf(value: Value | undefined): { zones: number; known: boolean } {
  return Array.isArray(value) && value.length > 0 ? { zones: value.length, known: true } : { zones: 2, known: false };
}

const zonesWords = ({ zones, known }: { zones: number; known: boolean }) => `${zones} AZ${zones === 1 ? '' : 's'}${known ? '' : ' (assumed)'}`;

function carriesTelemetry(reader: TemplateReader, loadBalancer: string): boolean {
  return reader
    .resources()
    .some(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener' && refTarget(r.Properties?.LoadBalancerArn) === loadBalancer && Number(reader.value(r.Properties?.Port)) === OTLP_HTTP_PORT);
}

const hours = `${HOURS_PER_MONTH} h`;

export const NETWORK_RULES: Record<string, Rule> = {
  'AWS::EC2::NatGateway': {
    charges: ({ plan }) => [
      { counted: `NAT gateway: ${hours}`, quantity: HOURS_PER_MONTH, price: 'nat.hour', kind: 'fixed' },
      {
        counted: `Data processed: ${plan.runningTasks} running tasks × ${THUMB.natGbPerTaskMonth} GB`,
        quantity: plan.runningTasks * THUMB.natGbPerTaskMonth,
        price: 'nat.gb',
        kind: 'usage',
      },
    ],
  },
  'AWS::EC2::EIP': {
    charges: () => [{ counted: `Public IPv4 address: ${hours}`, quantity: HOURS_PER_MONTH, price: 'ipv4.hour', kind: 'fixed' }],
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    charges: ({ reader, logicalId, resource, usage }) => {
      const p = resource.Properties ?? {};
      if ((reader.value(p.Type) ?? 'application') !== 'application') return { unpriced: 'Only Application Load Balancers are priced.' };
      const telemetry = carriesTelemetry(reader, logicalId) ? usage.telemetryGbPerDay / 24 : 0;
      const lcu = THUMB.albBaselineLcu + telemetry;
      const charges = [
        { counted: `Load balancer: ${hours}`, quantity: HOURS_PER_MONTH, price: 'alb.hour' as const, kind: 'fixed' as const },
        {
          counted: `${num(lcu, 2)} LCU on average${telemetry > 0 ? ' (telemetry included)' : ''} × ${hours}`,
          quantity: lcu * HOURS_PER_MONTH,
          price: 'alb.lcuHour' as const,
          kind: 'usage' as const,
        },
      ];
      if (reader.value(p.Scheme) !== 'internet-facing') return charges;
      const subnets = reader.value(p.Subnets);
      const zones = zonesOf(subnets === UNKNOWN ? undefined : (subnets ?? reader.value(p.SubnetMappings)));
      return [...charges, { counted: `Public IPv4 addresses: ${zonesWords(zones)} × ${hours}`, quantity: zones.zones * HOURS_PER_MONTH, price: 'ipv4.hour' as const, kind: 'fixed' as const }];
    },
  },
  'AWS::EC2::VPCEndpoint': {
    charges: ({ reader, resource, plan }) => {
      const p = resource.Properties ?? {};
      const type = reader.value(p.VpcEndpointType) ?? 'Gateway';
      if (type === 'Gateway') return { free: 'Gateway endpoints (S3, DynamoDB) have no charge.' };
      if (type !== 'Interface') return { unpriced: `${String(type)} endpoints are not priced.` };
      const zones = zonesOf(reader.value(p.SubnetIds));
      const service = String(reader.value(p.ServiceName) ?? '');
      const logs = service.endsWith('.logs') ? plan.logGbPerMonth : 0;
      return [
        { counted: `Interface endpoint: ${zonesWords(zones)} × ${hours}`, quantity: zones.zones * HOURS_PER_MONTH, price: 'vpce.azHour', kind: 'fixed' },
        { counted: logs > 0 ? 'Data processed: the tasks’ logs' : 'Data processed: a few MB of API calls', quantity: logs, price: 'vpce.gb', kind: 'usage' },
      ];
    },
  },
  'AWS::EC2::VPC': { free: 'A VPC has no charge.' },
  'AWS::EC2::Subnet': { free: 'Subnets have no charge.' },
  'AWS::EC2::InternetGateway': { free: 'An internet gateway has no charge (data transfer out is not estimated).' },
  'AWS::EC2::VPCGatewayAttachment': { free: 'Attaching a gateway has no charge.' },
  'AWS::EC2::RouteTable': { free: 'Route tables have no charge.' },
  'AWS::EC2::Route': { free: 'Routes have no charge.' },
  'AWS::EC2::SubnetRouteTableAssociation': { free: 'Route table associations have no charge.' },
  'AWS::EC2::SecurityGroup': { free: 'Security groups have no charge.' },
  'AWS::EC2::SecurityGroupIngress': { free: 'Security group rules have no charge.' },
  'AWS::ElasticLoadBalancingV2::Listener': { free: 'Listeners are part of the load balancer’s price.' },
  'AWS::ElasticLoadBalancingV2::ListenerRule': { free: 'Listener rules are part of the load balancer’s LCUs.' },
  'AWS::ElasticLoadBalancingV2::TargetGroup': { free: 'Target groups are part of the load balancer’s price.' },
};
