// Typical seconds CloudFormation takes to create a resource of each type (from AWS experience:
// databases minutes, NAT gateways and load balancers a few minutes, most things seconds). Used
// only to estimate how long a run has left. Isomorphic data.
const TYPICAL_SECONDS: Record<string, number> = {
  'AWS::RDS::DBInstance': 480,
  'AWS::EC2::NatGateway': 120,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 180,
  'AWS::ECS::Service': 180,
  'AWS::EC2::VPCEndpoint': 90,
  'AWS::EFS::MountTarget': 90,
  'AWS::SQS::Queue': 60,
  'AWS::S3::Bucket': 20,
  'AWS::IAM::Role': 15,
  'AWS::IAM::ManagedPolicy': 10,
  'AWS::IAM::Policy': 10,
  'AWS::ElasticLoadBalancingV2::TargetGroup': 15,
  'AWS::Lambda::Function': 10,
  'AWS::EFS::FileSystem': 10,
  'AWS::ECS::Cluster': 10,
  'AWS::EC2::VPC': 10,
  'AWS::EC2::Subnet': 5,
  'AWS::EC2::SecurityGroup': 5,
};

const DEFAULT_SECONDS = 5;
/** Custom resources (the setup task) wait for a task to run to the end. */
const CUSTOM_SECONDS = 60;

export function typicalSeconds(type: string): number {
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return CUSTOM_SECONDS;
  return TYPICAL_SECONDS[type] ?? DEFAULT_SECONDS;
}

/**
 * Seconds left for resources still to finish in one stack. CloudFormation works on independent
 * resources in parallel, so the longest one dominates; dependencies add part of the rest.
 */
export function remainingSeconds(pending: readonly { type: string; elapsedSeconds?: number }[]): number {
  if (pending.length === 0) return 0;
  const left = pending.map((p) => Math.max(typicalSeconds(p.type) - (p.elapsedSeconds ?? 0), 1));
  const longest = Math.max(...left);
  const rest = left.reduce((a, b) => a + b, 0) - longest;
  return Math.round(longest + rest * 0.25);
}
