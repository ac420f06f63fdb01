// The registry of Lakerunner stacks in deployment order, and lookups by id, stem or alias.
import 'server-only';
import { vpcStack } from './vpc';
import { commonStack } from './common';
import { migrationStack } from './migration';
import { servicesStack } from './services';
import { grafanaStack } from './grafana';
import { otelStack } from './otel';
import { demoStack } from './demo';
import type { StackDefinition, StackId } from './stack';

export const STACKS: readonly StackDefinition[] = [vpcStack, commonStack, migrationStack, servicesStack, grafanaStack, otelStack, demoStack];

export function stackById(id: StackId): StackDefinition {
  const stack = STACKS.find((s) => s.id === id);
  if (!stack) throw new Error(`No stack with id ${id}`);
  return stack;
}

/** Finds a stack by its file stem (lakerunner-services) or an alias (lakerunner-ecs-services). */
export function stackByStem(stem: string): StackDefinition | undefined {
  return STACKS.find((s) => s.stem === stem || s.aliases.includes(stem));
}
