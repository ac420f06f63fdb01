// Bench: build + serialize (YAML and compact JSON) + validate (references resolve, every default
// passes its own derived schema) for all templates of a release line (the 2025 line's seven by
// default), warm, median of many runs.
import { serialize } from '../../lib/cfn/serialize';
import { toZodSchema } from '../../lib/params/schema';
import { lineById } from '../../templates/index';
import type { LineId } from '../../templates/stack';
import { templateSizes, type TemplateSize } from '../../templates/sizes';
import { renderTemplate } from '../../templates/stack';
import { checkReferences } from '../../templates/testing/references';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function renderAll(release: LineId): Promise<number> {
  let violations = 0;
  for (const stack of lineById(release).stacks) {
    const template = renderTemplate(stack);
    serialize(template, 'yaml');
    serialize(template, 'json');
    violations += checkReferences(template, () => undefined).length;
    const defaults = Object.fromEntries(stack.parameters.filter((p) => p.default !== undefined).map((p) => [p.key, p.default as string]));
    const specs = stack.parameters.filter((p) => p.default !== undefined);
    const result = await toZodSchema(specs).safeParseAsync(defaults);
    if (!result.success) violations += result.error.issues.length;
  }
  return violations;
}

export async function benchTemplates(runs = 50, release: LineId = '2025'): Promise<{ medianMs: number; p95Ms: number; runs: number; sizes: TemplateSize[] }> {
  for (let i = 0; i < 5; i += 1) await renderAll(release); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    const violations = await renderAll(release);
    times.push(performance.now() - start);
    if (violations > 0) throw new Error(`${violations} template violations: the bench measures valid templates only`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: median(times), p95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? NaN, runs, sizes: templateSizes() };
}
