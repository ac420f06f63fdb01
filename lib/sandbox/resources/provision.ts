// What creating, updating and deleting each resource type does to the sandbox's world: EC2
// inventory, secrets, SSM parameters, S3 buckets, unique names. Before that, the checks every
// resource gets (schema, unique names, dynamic references); each type's own rules are in rules.ts.
import { uuid } from '../core/ids';
import { accountState, dict, type Tag } from '../core/state';
import type { AttrValue } from '../cfn/intrinsics';
import { isObject, propString, type Json, type JsonObject } from '../cfn/json';
import type { ResourceState } from '../cfn/model';
import { ResourceFailure, type ProvisionContext } from './context';
import { checkTypeRules } from './rules';
import { generateSecretString } from './secrets';
import { schemaProblems } from './validate';

export { ResourceFailure, type ProvisionContext } from './context';

const tagsOf = (props: JsonObject): Tag[] =>
  Array.isArray(props.Tags) ? props.Tags.filter(isObject).map((t) => ({ Key: String(t.Key), Value: String(t.Value) })) : [];
const lastSegment = (value: string) => value.split('/').pop() ?? value;

/** The registry key of a resource's unique name, when its type has one. */
function nameKey(ctx: ProvisionContext, physicalId: string): { scope: Record<string, string>; key: string; name: string } | undefined {
  const { info } = ctx;
  if (!info.nameProperty || info.type === 'AWS::S3::Bucket') return undefined;
  let name = propString(ctx.properties, info.nameProperty) ?? lastSegment(physicalId);
  if (info.type === 'AWS::ECS::Service') name = `${lastSegment(propString(ctx.properties, 'Cluster') ?? 'default')}/${name}`;
  if (info.type === 'AWS::SQS::Queue') name = lastSegment(physicalId);
  if (info.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' || info.type === 'AWS::ElasticLoadBalancingV2::TargetGroup') name = physicalId.split('/')[info.type.endsWith('LoadBalancer') ? 2 : 1] ?? name;
  if (info.type === 'AWS::SecretsManager::Secret') name = propString(ctx.properties, 'Name') ?? physicalId;
  return { scope: info.nameScope === 'account' ? accountState(ctx.world, ctx.account).globalNames : ctx.r.names, key: `${info.type}|${name}`, name };
}

const owner = (ctx: ProvisionContext) => `${ctx.stackId}|${ctx.logicalId}`;

/** Checks made before a resource is created or updated; failures become its *_FAILED reason. */
export function prepare(ctx: ProvisionContext, physicalId: string | undefined) {
  const { info, properties } = ctx;
  const problems = schemaProblems(properties, info.properties, info.custom);
  if (info.nameProperty && info.nameMaxLength !== undefined) {
    const name = propString(properties, info.nameProperty);
    if (name !== undefined && name.length > info.nameMaxLength) problems.push(`#/${info.nameProperty}: expected maxLength: ${info.nameMaxLength}, actual: ${name.length}`);
  }
  if (problems.length) {
    throw new ResourceFailure(`Properties validation failed for resource ${ctx.logicalId} with message: ${problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`}`);
  }
  if (info.custom) {
    const token = propString(properties, 'ServiceToken') ?? '';
    if (!/^arn:aws:(lambda|sns):/.test(token)) throw new ResourceFailure('Invalid service token');
  }
  checkDynamicReferences(ctx, properties);
  checkTypeRules(ctx, physicalId);
  if (physicalId) {
    const key = nameKey(ctx, physicalId);
    const holder = key && key.scope[key.key];
    if (key && holder && holder !== owner(ctx)) {
      throw new ResourceFailure(`Resource of type '${info.type}' with identifier '${key.name}' already exists.`);
    }
    if (info.type === 'AWS::S3::Bucket' && ctx.world.buckets[physicalId] && ctx.world.buckets[physicalId]!.ownerStackId !== ctx.stackId) {
      throw new ResourceFailure(`${physicalId} already exists`);
    }
  }
}

const DYNAMIC = /\{\{resolve:(secretsmanager|ssm|ssm-secure):([^}]*)\}\}/g;

function checkDynamicReferences(ctx: ProvisionContext, value: Json) {
  if (typeof value === 'string') {
    for (const match of value.matchAll(DYNAMIC)) resolveDynamic(ctx, match[1]!, match[2]!);
    return;
  }
  if (Array.isArray(value)) return value.forEach((v) => checkDynamicReferences(ctx, v));
  if (isObject(value)) Object.values(value).forEach((v) => checkDynamicReferences(ctx, v));
}

function resolveDynamic(ctx: ProvisionContext, service: string, reference: string): string {
  if (service === 'secretsmanager') {
    const arnMatch = /^(arn:aws:secretsmanager:[^:]+:\d+:secret:[^:]+)(.*)$/.exec(reference);
    const [secretId, rest] = arnMatch ? [arnMatch[1]!, arnMatch[2]!.replace(/^:/, '')] : [reference.split(':')[0]!, reference.split(':').slice(1).join(':')];
    const secret = Object.values(ctx.r.secrets).find((s) => s.arn === secretId || s.name === secretId);
    if (!secret) throw new ResourceFailure("Secrets Manager can't find the specified secret.");
    if (secret.deletedAt !== undefined) throw new ResourceFailure("You can't perform this operation on the secret because it was marked for deletion.");
    const [kind, jsonKey] = rest.split(':');
    if (!kind || kind !== 'SecretString' || !jsonKey) return secret.secretString ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(secret.secretString ?? '');
    } catch {
      throw new ResourceFailure('Could not parse SecretString JSON');
    }
    if (!isObject(parsed) || !(jsonKey in parsed)) throw new ResourceFailure(`Could not find SecretString JSON key: ${jsonKey}`);
    return String(parsed[jsonKey]);
  }
  const name = reference.split(':')[0]!;
  const parameter = ctx.r.ssm[name];
  if (!parameter) throw new ResourceFailure(`Parameters: [${name}] cannot be found.`);
  return parameter.value;
}

/** Effects of a completed create (or of the new physical resource of a replacement). */
export function applyCreate(ctx: ProvisionContext, physicalId: string, attributes: Record<string, AttrValue>) {
  const { r, properties: p, info, stackId } = ctx;
  const key = nameKey(ctx, physicalId);
  if (key) key.scope[key.key] = owner(ctx);
  switch (info.type) {
    case 'AWS::EC2::VPC':
      r.vpcs.push({ vpcId: physicalId, cidrBlock: propString(p, 'CidrBlock') ?? '10.0.0.0/16', isDefault: false, tags: tagsOf(p), ownerStackId: stackId });
      r.securityGroups.push({ groupId: String(attributes.DefaultSecurityGroup), groupName: 'default', description: 'default VPC security group', vpcId: physicalId, tags: [], ownerStackId: stackId });
      break;
    case 'AWS::EC2::Subnet':
      r.subnets.push({
        subnetId: physicalId,
        vpcId: propString(p, 'VpcId') ?? '',
        cidrBlock: propString(p, 'CidrBlock') ?? '',
        availabilityZone: String(attributes.AvailabilityZone),
        defaultForAz: false,
        mapPublicIpOnLaunch: p.MapPublicIpOnLaunch === true || p.MapPublicIpOnLaunch === 'true',
        tags: tagsOf(p),
        ownerStackId: stackId,
      });
      break;
    case 'AWS::EC2::SecurityGroup':
      r.securityGroups.push({
        groupId: physicalId,
        groupName: propString(p, 'GroupName') ?? `${ctx.stackName}-${ctx.logicalId}-${physicalId.slice(-12).toUpperCase()}`,
        description: propString(p, 'GroupDescription') ?? '',
        vpcId: propString(p, 'VpcId') ?? r.vpcs.find((v) => v.isDefault)?.vpcId ?? '',
        tags: tagsOf(p),
        ownerStackId: stackId,
      });
      break;
    case 'AWS::SecretsManager::Secret': {
      const generate = p.GenerateSecretString;
      r.secrets[physicalId] = {
        arn: physicalId,
        name: physicalId.split(':secret:')[1]!.replace(/-[A-Za-z0-9]{6}$/, ''),
        description: propString(p, 'Description'),
        secretString: isObject(generate) ? generateSecretString(generate) : propString(p, 'SecretString'),
        versionId: uuid(),
        createdAt: Date.now(),
        updatedAt: Date.now(),
        ownerStackId: stackId,
      };
      break;
    }
    case 'AWS::SecretsManager::SecretTargetAttachment':
      attachTarget(ctx);
      break;
    case 'AWS::S3::Bucket':
      ctx.world.buckets[physicalId] = { name: physicalId, region: ctx.region, account: ctx.account, createdAt: Date.now(), objects: dict(), ownerStackId: stackId };
      break;
    case 'AWS::SSM::Parameter':
      r.ssm[physicalId] = { value: propString(p, 'Value') ?? '', type: propString(p, 'Type') ?? 'String', version: 1 };
      break;
    default:
      break;
  }
}

/** Effects of an in-place update. */
export function applyUpdate(ctx: ProvisionContext, resource: ResourceState) {
  const { r, properties: p, info } = ctx;
  const id = resource.physicalId ?? '';
  switch (info.type) {
    case 'AWS::SSM::Parameter': {
      const current = r.ssm[id];
      r.ssm[id] = { value: propString(p, 'Value') ?? '', type: propString(p, 'Type') ?? 'String', version: (current?.version ?? 0) + 1 };
      break;
    }
    case 'AWS::SecretsManager::Secret': {
      const secret = r.secrets[id];
      if (!secret) break;
      secret.description = propString(p, 'Description');
      const generate = p.GenerateSecretString;
      const changedGenerator = JSON.stringify(generate) !== JSON.stringify(resource.properties.GenerateSecretString);
      if (isObject(generate) && changedGenerator) secret.secretString = generateSecretString(generate);
      else if (propString(p, 'SecretString') !== undefined) secret.secretString = propString(p, 'SecretString');
      secret.versionId = uuid();
      secret.updatedAt = Date.now();
      break;
    }
    case 'AWS::EC2::SecurityGroup': {
      const group = r.securityGroups.find((g) => g.groupId === id);
      if (group) group.tags = tagsOf(p);
      break;
    }
    default:
      break;
  }
}

/** Effects of deleting a physical resource; throws when AWS would refuse. */
export function applyDelete(ctx: ProvisionContext, resource: ResourceState) {
  const { r, world } = ctx;
  const id = resource.physicalId;
  if (!id) return;
  switch (resource.type) {
    case 'AWS::S3::Bucket': {
      const bucket = world.buckets[id];
      if (bucket && Object.keys(bucket.objects).length > 0) {
        throw new ResourceFailure(`The bucket you tried to delete is not empty (Service: S3, Status Code: 409, Request ID: ${uuid()})`);
      }
      delete world.buckets[id];
      break;
    }
    case 'AWS::RDS::DBInstance':
      if (resource.properties.DeletionProtection === true || resource.properties.DeletionProtection === 'true') {
        throw new ResourceFailure(
          `Resource handler returned message: "Cannot delete protected DB Instance, please disable deletion protection and try again. (Service: Rds, Status Code: 400, Request ID: ${uuid()})" (HandlerErrorCode: InvalidRequest)`,
        );
      }
      break;
    case 'AWS::EC2::VPC':
      r.vpcs = r.vpcs.filter((v) => v.vpcId !== id);
      r.securityGroups = r.securityGroups.filter((g) => !(g.vpcId === id && g.groupName === 'default'));
      break;
    case 'AWS::EC2::Subnet':
      r.subnets = r.subnets.filter((s) => s.subnetId !== id);
      break;
    case 'AWS::EC2::SecurityGroup':
      r.securityGroups = r.securityGroups.filter((g) => g.groupId !== id);
      break;
    case 'AWS::SecretsManager::Secret':
      delete r.secrets[id];
      break;
    case 'AWS::SSM::Parameter':
      delete r.ssm[id];
      break;
    default:
      break;
  }
  releaseName({ ...ctx, properties: resource.properties }, id);
}

export function releaseName(ctx: ProvisionContext, physicalId: string) {
  const key = nameKey(ctx, physicalId);
  if (key && key.scope[key.key] === owner(ctx)) delete key.scope[key.key];
}

/** SecretTargetAttachment adds the database's connection details to the secret's JSON. */
function attachTarget(ctx: ProvisionContext) {
  const secretId = propString(ctx.properties, 'SecretId') ?? '';
  const secret = Object.values(ctx.r.secrets).find((s) => s.arn === secretId || s.name === secretId);
  if (!secret) throw new ResourceFailure("Secrets Manager can't find the specified secret.");
  const targetId = propString(ctx.properties, 'TargetId') ?? '';
  const target = ctx.r.stacks
    .flatMap((stack) => Object.values(stack.resources))
    .find((res) => res.physicalId === targetId && res.type === 'AWS::RDS::DBInstance');
  let current: JsonObject = {};
  try {
    const parsed: unknown = JSON.parse(secret.secretString ?? '{}');
    if (isObject(parsed)) current = parsed;
  } catch {
    throw new ResourceFailure('Could not parse SecretString JSON');
  }
  const props = target?.properties ?? {};
  secret.secretString = JSON.stringify({
    ...current,
    engine: propString(props, 'Engine') ?? 'postgres',
    host: target ? String(target.attributes['Endpoint.Address']) : '',
    port: Number(target ? target.attributes['Endpoint.Port'] : 5432),
    dbInstanceIdentifier: targetId,
    ...(propString(props, 'DBName') ? { dbname: propString(props, 'DBName') } : {}),
  });
  secret.versionId = uuid();
  secret.updatedAt = Date.now();
}
