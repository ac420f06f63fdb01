import { describe, expect, it } from 'vitest';
import { LINE_CURRENT } from '@/templates/current/line';
import { toLineMeta } from '@/templates/line';
import { defaultPlan, planStacks } from './plan';
import { stackNameProblem, suggestedStackName } from './stack-names';

const line = toLineMeta(LINE_CURRENT);
const included = (plan: ReturnType<typeof defaultPlan>) => planStacks(plan, line.stacks).map((s) => s.meta.id).filter((id) => id !== 'cwmetrics');

describe('the name an add-on’s stack takes when it joins a deployment', () => {
  it('follows a prefix the deployment puts before each stack’s id', () => {
    const plan = defaultPlan(line);
    for (const id of Object.keys(plan.stackNames)) plan.stackNames[id] = `team-a-${id}`;
    plan.stackNames.cwmetrics = 'cardinal-satellite-cwmetrics';
    expect(suggestedStackName(plan, line.stacks, 'cwmetrics', included(plan))).toBe('team-a-cwmetrics');
  });

  it('follows a prefix and suffix around each default name', () => {
    const plan = defaultPlan(line);
    for (const meta of line.stacks) plan.stackNames[meta.id] = `eu-${meta.stem}-prod`;
    expect(suggestedStackName(plan, line.stacks, 'cwmetrics', included(plan))).toBe('eu-cardinal-satellite-cwmetrics-prod');
  });

  it('keeps the default name when the deployment uses the defaults, or names its stacks with no common pattern', () => {
    const plan = defaultPlan(line);
    expect(suggestedStackName(plan, line.stacks, 'cwmetrics', included(plan))).toBe('cardinal-satellite-cwmetrics');
    plan.stackNames.services = 'my-own-name';
    expect(suggestedStackName(plan, line.stacks, 'cwmetrics', included(plan))).toBe('cardinal-satellite-cwmetrics');
  });
});

describe('a name given for a new stack', () => {
  const others = [{ title: 'Services', name: 'team-a-services' }];
  it('must be a CloudFormation stack name, and not one of the deployment’s other stacks', () => {
    expect(stackNameProblem('team-a-cwmetrics', others)).toBeUndefined();
    expect(stackNameProblem('', others)).toBe('Stack name is required.');
    expect(stackNameProblem('1 metrics', others)).toBe('Stack name must start with a letter and contain only letters, digits and hyphens (at most 128).');
    expect(stackNameProblem('team-a-services', others)).toBe('Stack name team-a-services is already used by the Services stack.');
  });
});
