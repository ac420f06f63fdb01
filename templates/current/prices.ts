// How the estimate prices the current line's resource types the generic rules (lib/cost/rules) do
// not know. The price reference (shared aws-pricing.md) has no figures for Cloud Map, Route 53
// zones, Firehose or metric streams, so those lines say what drives their cost instead of a
// number. The process tier's autoscaling ceiling is priced from the Fargate figures, outside the
// monthly total (the services run at their floor until load raises them).
import type { Rule } from '@/lib/cost/model';
import type { Expr } from '@/lib/cfn/template';

/** The ECS service a scalable target scales: the resource its ResourceId reads the Name of. */
function scaledService(resourceId: Expr | undefined): string | undefined {
  let found: string | undefined;
  const visit = (node: unknown) => {
    if (found || typeof node !== 'object' || node === null) return;
    const getAtt = (node as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Name' && typeof getAtt[0] === 'string') found = getAtt[0];
    else Object.values(node as Record<string, unknown>).forEach(visit);
  };
  visit(resourceId);
  return found;
}

export const CURRENT_PRICE_RULES: Readonly<Record<string, Rule>> = {
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    charges: ({ reader, resource, fargateTasks }) => {
      const service = scaledService(resource.Properties?.ResourceId);
      const min = Number(reader.value(resource.Properties?.MinCapacity));
      const max = Number(reader.value(resource.Properties?.MaxCapacity));
      if (!service || !Number.isFinite(min) || !Number.isFinite(max)) return { unpriced: 'The scaled service or its capacity range is not known from the template.' };
      const extra = Math.max(0, max - min);
      if (extra === 0) return { free: `Application Auto Scaling has no charge; ${service} stays at ${min} task${min === 1 ? '' : 's'} (its ceiling is its floor).` };
      const charges = fargateTasks(service, extra, 'ceiling');
      if (!charges) return { unpriced: `${service} is not a Fargate service of a known size.` };
      return charges.map((charge) => ({ ...charge, counted: `At the ceiling of ${max} tasks, ${extra} more than the floor of ${min}: ${charge.counted}` }));
    },
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy': { free: 'Application Auto Scaling has no charge; the tasks it adds are priced at the ceiling on the scalable target.' },
  'AWS::ServiceDiscovery::PrivateDnsNamespace': {
    charges: () => ({
      usageDriven: 'A Cloud Map private DNS namespace is a Route 53 private hosted zone, billed per hosted zone a month plus its DNS queries; the price reference has no Route 53 figure.',
    }),
  },
  'AWS::ServiceDiscovery::Service': {
    charges: () => ({ usageDriven: 'Cloud Map bills each registered instance (one per running task) and each discovery call; the price reference has no Cloud Map figure.' }),
  },
  'AWS::KinesisFirehose::DeliveryStream': {
    charges: () => ({ usageDriven: "Firehose bills per GB of metric updates it ingests, which the account's CloudWatch metric count decides; the price reference has no Firehose figure." }),
  },
  'AWS::CloudWatch::MetricStream': {
    charges: () => ({ usageDriven: "A metric stream bills per metric update it sends, which the account's CloudWatch metric count decides; the price reference has no metric stream figure." }),
  },
  'AWS::IAM::ServerCertificate': { free: 'IAM server certificates have no charge.' },
};
