// What provisioning a resource sees (its naming context, the world, its region, its stack, its
// type) and the failure that becomes its *_FAILED reason.
import type { RegionState, SandboxState } from '../core/state';
import { uuid } from '../core/ids';
import type { NamingContext, TypeInfo } from './registry';

export class ResourceFailure extends Error {}

export interface ProvisionContext extends NamingContext {
  world: SandboxState;
  r: RegionState;
  stackId: string;
  info: TypeInfo;
}

/** An error as a service's API returns it, with the service's request-id suffix. */
export const serviceMessage = (message: string, service: string, status = 400) => `${message} (Service: ${service}, Status Code: ${status}, Request ID: ${uuid()})`;

/** How CloudFormation's registry handlers report a failure: `Resource handler returned message: "…" (RequestToken: …, HandlerErrorCode: …)`. */
export const handlerFailure = (message: string, code = 'InvalidRequest') =>
  new ResourceFailure(`Resource handler returned message: "${message}" (RequestToken: ${uuid()}, HandlerErrorCode: ${code})`);
