// The templates a stack runs: its own, and its nested stacks' (AWS::CloudFormation::Stack) read
// with the parameters the parent passes them, so a nested stack's tasks and resources count like
// the parent's own. Shared by the estimate and the Fargate footprint. Isomorphic.
import { NESTED_STACK_TYPE } from '@/lib/cfn/nested';
import { readTemplate, type TemplateReader, type Value } from '@/lib/cfn/resolve';
import type { Template } from '@/lib/cfn/template';

export interface TemplateUnit {
  reader: TemplateReader;
  /** `Parent/` for a nested stack's resources, empty for the stack's own. */
  prefix: string;
}

export function templateUnits(template: Template, children: Readonly<Record<string, Template>> | undefined, region: string): TemplateUnit[] {
  const reader = readTemplate(template, region);
  const units: TemplateUnit[] = [{ reader, prefix: '' }];
  for (const [logicalId, resource] of reader.resources()) {
    const child = children?.[logicalId];
    if (resource.Type !== NESTED_STACK_TYPE || !child) continue;
    const given = reader.value(resource.Properties?.Parameters);
    const parameters = given && typeof given === 'object' && !Array.isArray(given) ? (given as Record<string, Value>) : {};
    units.push({ reader: readTemplate(child, region, parameters), prefix: `${logicalId}/` });
  }
  return units;
}
