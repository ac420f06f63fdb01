// AWS console quick-create links: the template URL, stack name and param_<Key> values in the
// console's hash route. NoEcho values never go into a link.
import type { ParamSpec } from './spec';

export interface QuickCreateInput {
  region: string;
  templateUrl: string;
  stackName: string;
  specs: readonly ParamSpec[];
  values: Readonly<Record<string, string>>;
}

export function quickCreateUrl({ region, templateUrl, stackName, specs, values }: QuickCreateInput): string {
  const query = [
    ['templateURL', templateUrl],
    ['stackName', stackName],
    ...specs
      .filter((spec) => !spec.noEcho && values[spec.key] !== undefined && values[spec.key] !== '')
      .map((spec) => [`param_${spec.key}`, values[spec.key] as string]),
  ]
    .map(([key, value]) => `${key}=${encodeURIComponent(value as string)}`)
    .join('&');
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/cloudformation/home?region=${r}#/stacks/quickcreate?${query}`;
}

/** Keys a quick-create link leaves for the user to type in the AWS console. */
export const secretKeysToEnter = (specs: readonly ParamSpec[], values: Readonly<Record<string, string>>) =>
  specs.filter((spec) => spec.noEcho && (values[spec.key] ?? '') !== '').map((spec) => spec.key);
