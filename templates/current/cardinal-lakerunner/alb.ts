// Child alb: the app load balancer with its three listeners. 443 serves the query API, Maestro and
// Dex through path rules, 9443 the admin API, and 4318 answers 404 (kept from upstream: no rule
// attaches to it since the otel child was removed, but its listener and ports remain).
import { getAtt, ref, split } from '@/lib/cfn/template';
import { fixedResponseListener } from '../building-blocks';
import type { ChildDefinition } from '../child';
import { childTags, inputParam, PORTS } from '../shared';
import { INSTALL_ID_PARAMETERS, inputs, inputsMetadata } from './common';

export const albChild: ChildDefinition = {
  meta: { id: 'alb', logicalId: 'Alb', file: 'cardinal-lakerunner/alb', title: 'Load balancer' },
  parameters: [
    inputs.vpcId({ description: "VPC of the load balancer; its subnets already place it, so it is only recorded in the load balancer's metadata." }),
    inputParam('AlbSubnetsCsv', 'Load balancer subnets', 'Comma-separated subnets of the load balancer: public ones when internet-facing, else private.'),
    {
      key: 'Scheme',
      type: 'String',
      label: 'Load balancer scheme',
      description: 'Whether the load balancer is reachable only inside the VPC (internal) or from the internet (internet-facing).',
      group: 'Cross-stack inputs',
      default: 'internal',
      allowedValues: ['internal', 'internet-facing'],
      constraintDescription: 'Load balancer scheme must be internal or internet-facing.',
    },
    inputParam('AlbSgId', 'Load balancer security group', 'Security group of the load balancer, from cardinal-lakerunner-infra-base.', {
      type: 'AWS::EC2::SecurityGroup::Id',
    }),
    inputParam('CertificateArn', 'Certificate ARN', "ARN of the certificate the HTTPS listeners present (the cert child's output)."),
    ...INSTALL_ID_PARAMETERS,
  ],
  build: () => ({
    Description: 'Cardinal ALB: the application load balancer and its HTTPS listeners (443 and 9443).',
    Resources: {
      Alb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Metadata: inputsMetadata('VpcId'),
        Properties: {
          Type: 'application',
          Scheme: ref('Scheme'),
          Subnets: split(',', ref('AlbSubnetsCsv')),
          SecurityGroups: [ref('AlbSgId')],
          Tags: childTags('alb', 'alb'),
        },
      },
      HttpsListener: fixedResponseListener({ loadBalancer: 'Alb', port: PORTS.https, certificateArn: ref('CertificateArn'), status: '404', message: 'no listener rule matched' }),
      AdminHttpsListener: fixedResponseListener({
        loadBalancer: 'Alb',
        port: PORTS.adminHttps,
        certificateArn: ref('CertificateArn'),
        status: '503',
        message: 'admin-api listener rule not registered',
      }),
      OtelHttpListener: fixedResponseListener({ loadBalancer: 'Alb', port: PORTS.otlpHttp, status: '404', message: 'no listener rule matched' }),
    },
    Outputs: {
      AlbArn: { Description: 'ARN of the app load balancer.', Value: ref('Alb') },
      AlbDnsName: { Description: 'DNS name of the app load balancer.', Value: getAtt('Alb', 'DNSName') },
      HttpsListenerArn: { Description: 'ARN of the 443 listener.', Value: ref('HttpsListener') },
      AdminHttpsListenerArn: { Description: 'ARN of the 9443 admin listener.', Value: ref('AdminHttpsListener') },
      OtelHttpListenerArn: { Description: 'ARN of the 4318 listener (no rule attaches to it).', Value: ref('OtelHttpListener') },
    },
  }),
};
