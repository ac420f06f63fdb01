// The current release line (upstream v1.7.5): its stacks in deployment order, their children, the
// release manifest and the differences from upstream. Plain data and builders; the registry of
// release lines reads the line from here.
import { clusterStack } from './cluster';
import { infraBaseStack } from './cardinal-lakerunner-infra-base';
import { infraRdsStack } from './cardinal-lakerunner-infra-rds';
import { servicesStack } from './cardinal-lakerunner-services';
import { satelliteCwmetricsStack } from './cardinal-satellite-cwmetrics';
import { satelliteInfraBaseStack } from './cardinal-satellite-infra-base';
import { satelliteServicesStack } from './cardinal-satellite-services';
import type { CurrentStackId } from './ids';
import type { StackDefinition } from '../stack';
import { vpcStack } from './vpc';

export const CURRENT_STACKS: readonly StackDefinition<CurrentStackId>[] = [
  vpcStack,
  clusterStack,
  infraBaseStack,
  infraRdsStack,
  satelliteInfraBaseStack,
  satelliteServicesStack,
  servicesStack,
  satelliteCwmetricsStack,
];

export { CURRENT_STACK_IDS, type CurrentStackId } from './ids';
export { CURRENT_RELEASE, DEFAULT_IMAGE_REGISTRY, DEFAULT_IMAGES, composeImages, imageParameterValues, imageReference, registrySuffix, withRegistry } from './manifest';
export { IMAGE_KEYS } from './manifest';
export type { CurrentManifest, ImageKey, ImageRef } from './manifest';
export { CHANGES, FIXES, KEPT, differencesMarkdown, type Difference } from './differences';
export { SERVICES_CHILDREN, UPSTREAM_TEMPLATE_BASE_URL } from './cardinal-lakerunner-services';
