// The deployment settings a deployer may change after the first deploy, besides images, sizes and
// the OTLP endpoint: on the 2025 line the load balancers' scheme, certificates and domain names,
// and the database version. Each is an ordinary parameter of its stack, listed by the release line
// (templates/line.ts, `operations.settings`); some changes make CloudFormation replace what other
// stacks import, which the run then handles (see lib/plan/replacements.ts). Isomorphic.
import type { StackId } from '@/templates/stack';

/** The parameter keys of each stack a deployer may change on the settings form. */
export type SettingKeys = Readonly<Partial<Record<StackId, readonly string[]>>>;

export const isSetting = (settings: SettingKeys, stackId: StackId, key: string) => settings[stackId]?.includes(key) ?? false;
