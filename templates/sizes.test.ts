import { describe, expect, it } from 'vitest';
import { toJson, toYaml } from '@/lib/cfn/serialize';
import { STACKS_2025 as STACKS } from './line-2025';
import { templateSizes } from './sizes';
import { renderTemplate } from './stack';

describe('templateSizes', () => {
  it('measures every stack in deployment order, in UTF-8 bytes', () => {
    const sizes = templateSizes();
    expect(sizes.map((s) => s.stem)).toEqual(STACKS.map((s) => s.stem));
    for (const [i, size] of sizes.entries()) {
      const template = renderTemplate(STACKS[i]!);
      expect(size).toEqual({
        stem: STACKS[i]!.stem,
        yamlBytes: Buffer.byteLength(toYaml(template)),
        jsonBytes: Buffer.byteLength(toJson(template)),
        resources: Object.keys(template.Resources).length,
      });
      expect(size.jsonBytes).toBeLessThan(size.yamlBytes);
    }
  });
});
