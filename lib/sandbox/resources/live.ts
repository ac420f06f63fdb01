// What exists in a region right now, read from the stacks that made it: resources created and not
// deleted (a deleted stack's retained ones included). AWS-side rules check against these.
import type { ResourceState } from '../cfn/model';
import { isObject, listOf, propString, propStrings, type JsonObject } from '../cfn/json';
import type { RegionState } from '../core/state';

const GONE = new Set(['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_COMPLETE']);

export function liveResources(r: RegionState, type: string): ResourceState[] {
  const out: ResourceState[] = [];
  for (const stack of r.stacks) {
    for (const resource of Object.values(stack.resources)) {
      if (resource.type === type && resource.physicalId && !GONE.has(resource.status)) out.push(resource);
    }
  }
  return out;
}

export const lastSegment = (value: string) => value.split('/').pop() ?? value;

/** The capacity providers associated with an ECS cluster: a seeded cluster's, or its own CapacityProviders and any association resource's. */
export function clusterCapacityProviders(r: RegionState, cluster: string): Set<string> {
  const name = lastSegment(cluster);
  const providers = new Set<string>(r.clusters.find((c) => c.clusterName === name && c.status !== 'INACTIVE')?.capacityProviders);
  for (const c of liveResources(r, 'AWS::ECS::Cluster')) if (c.physicalId === name) propStrings(c.properties, 'CapacityProviders').forEach((p) => providers.add(p));
  for (const a of liveResources(r, 'AWS::ECS::ClusterCapacityProviderAssociations')) {
    if (a.physicalId === name) propStrings(a.properties, 'CapacityProviders').forEach((p) => providers.add(p));
  }
  return providers;
}

/** Target groups some live listener or listener rule forwards to (an ECS service may only use those). */
export function attachedTargetGroups(r: RegionState): Set<string> {
  const attached = new Set<string>();
  const collect = (actions: JsonObject[]) => {
    for (const action of actions) {
      const single = propString(action, 'TargetGroupArn');
      if (single) attached.add(single);
      const forward = isObject(action.ForwardConfig) ? action.ForwardConfig : undefined;
      for (const tg of listOf(forward?.TargetGroups)) if (isObject(tg) && typeof tg.TargetGroupArn === 'string') attached.add(tg.TargetGroupArn);
    }
  };
  for (const l of liveResources(r, 'AWS::ElasticLoadBalancingV2::Listener')) collect(listOf(l.properties.DefaultActions).filter(isObject));
  for (const rule of liveResources(r, 'AWS::ElasticLoadBalancingV2::ListenerRule')) collect(listOf(rule.properties.Actions).filter(isObject));
  return attached;
}
