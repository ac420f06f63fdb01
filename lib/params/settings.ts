// The deployment settings a deployer may change after the first deploy, besides images, sizes and
// the OTLP endpoint: the load balancers' scheme, public subnets, certificates, domain names and
// consent to plain HTTP, and the database version. Each is an ordinary parameter of its stack; some changes make CloudFormation replace
// what other stacks import, which the run then handles (see lib/plan/replacements.ts). Isomorphic.
import type { StackId } from '@/templates/stack';

export const SETTING_KEYS: Readonly<Partial<Record<StackId, readonly string[]>>> = {
  common: ['AlbScheme', 'AlbCertificateArn', 'AlbDomainName', 'AlbAllowPlainHttp', 'DbEngineVersion'],
  otel: ['LoadBalancerType', 'PublicSubnets', 'CollectorCertificateArn', 'CollectorDomainName', 'CollectorAllowPlainHttp'],
};

export const isSetting = (stackId: StackId, key: string) => SETTING_KEYS[stackId]?.includes(key) ?? false;
