// Bench: build + serialize (YAML and compact JSON) + validate (references resolve, every default
// passes its own derived schema) for every template of a release line, nested children included,
// warm, median of many runs.
import { withNestedTemplateFormat } from '../../lib/cfn/nested';
import { serialize } from '../../lib/cfn/serialize';
import { toZodSchema } from '../../lib/params/schema';
import type { ParamSpec } from '../../lib/params/spec';
import { SERVICES_CHILDREN } from '../../templates/current/cardinal-lakerunner-services';
import { CURRENT_STACKS } from '../../templates/current/index';
import { templateFiles } from '../../templates/files';
import { STACKS_2025 as STACKS } from '../../templates/line-2025';
import { templateSizes, type TemplateSize } from '../../templates/sizes';
import type { StackDefinition } from '../../templates/stack';
import { checkReferences } from '../../templates/testing/references';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

interface Line {
  stacks: readonly StackDefinition<string>[];
  /** Every parameter list whose defaults are checked: the stacks' and their children's. */
  specs: readonly (readonly ParamSpec[])[];
}

export const LINES = {
  '2025': { stacks: STACKS, specs: STACKS.map((s) => s.parameters) },
  current: { stacks: CURRENT_STACKS, specs: [...CURRENT_STACKS.map((s) => s.parameters), ...SERVICES_CHILDREN.map((c) => c.parameters)] },
} satisfies Record<string, Line>;

async function renderAll(line: Line): Promise<number> {
  let violations = 0;
  for (const file of templateFiles(line.stacks, 'yaml')) {
    serialize(file.template, 'yaml');
    serialize(withNestedTemplateFormat(file.template, 'json'), 'json');
    violations += checkReferences(file.template, () => undefined).length;
  }
  for (const parameters of line.specs) {
    const specs = parameters.filter((p) => p.default !== undefined);
    const defaults = Object.fromEntries(specs.map((p) => [p.key, p.default as string]));
    const result = await toZodSchema(specs).safeParseAsync(defaults);
    if (!result.success) violations += result.error.issues.length;
  }
  return violations;
}

export async function benchTemplates(
  lineId: keyof typeof LINES = '2025',
  runs = 50,
): Promise<{ medianMs: number; p95Ms: number; medianCpuMs: number; runs: number; sizes: TemplateSize[] }> {
  const line: Line = LINES[lineId];
  for (let i = 0; i < 5; i += 1) await renderAll(line); // warm up
  const times: number[] = [];
  // CPU time too: on a shared machine the wall time also counts other processes' turns.
  const cpu: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    const violations = await renderAll(line);
    const used = process.cpuUsage(startCpu);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
    if (violations > 0) throw new Error(`${violations} template violations: the bench measures valid templates only`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    medianMs: median(times),
    p95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
    medianCpuMs: median(cpu),
    runs,
    sizes: templateSizes(line.stacks),
  };
}
