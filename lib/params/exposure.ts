// Load balancers that face the internet without a certificate: what crosses the internet in clear,
// said on the plan form and the settings form (CloudFormation allows it; the console warns). Isomorphic.
import type { StackId } from '@/templates/stack';

const EXPOSED: Partial<Record<StackId, { scheme: string; certificate: string; message: string }>> = {
  common: {
    scheme: 'AlbScheme',
    certificate: 'AlbCertificateArn',
    message:
      'The load balancer is internet-facing without a certificate: the Grafana admin password, Grafana sessions and the query API’s keys would cross the internet in clear. Give a certificate ARN (and the domain name it covers), or keep the load balancer internal.',
  },
  otel: {
    scheme: 'LoadBalancerType',
    certificate: 'CollectorCertificateArn',
    message:
      'The collector’s load balancer is internet-facing without a certificate: telemetry would cross the internet in clear, to an endpoint without authentication. Give a certificate ARN (and the domain name it covers), or keep it internal.',
  },
};

/** The warning for a stack's values, with the field it is about, or undefined. */
export function exposureWarning(stackId: StackId, values: Readonly<Record<string, string | undefined>>): { key: string; message: string } | undefined {
  const exposed = EXPOSED[stackId];
  if (!exposed || values[exposed.scheme] !== 'internet-facing' || (values[exposed.certificate] ?? '').trim() !== '') return undefined;
  return { key: exposed.certificate, message: exposed.message };
}
