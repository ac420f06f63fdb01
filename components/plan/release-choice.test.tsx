import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LINE_2025_META } from '@/lib/plan/testing/line-2025';
import { toLineMeta } from '@/templates/line';
import { FIXTURE_LINE } from '@/templates/testing/line-fixture';
import { NO_IN_PLACE_PATH, ReleaseChoice } from './release-choice';

const fixture = toLineMeta(FIXTURE_LINE);
const render = (lines: Parameters<typeof ReleaseChoice>[0]['lines'], error?: string) =>
  renderToStaticMarkup(<ReleaseChoice lines={lines} value="2025" onChange={() => undefined} error={error} />);

describe('the release line choice', () => {
  it('is not shown while only one line is registered', () => {
    expect(render([LINE_2025_META])).toBe('');
  });

  it('offers every line as a radio with its sentence, the chosen one checked, and says a deployment never changes line', () => {
    const html = render([fixture, LINE_2025_META]);
    expect(html).toContain('role="radiogroup"');
    expect(html).toContain('<legend class="text-sm font-medium text-slate-800">Release line</legend>');
    const radios = [...html.matchAll(/<input type="radio"[^>]*>/g)].map(([tag]) => tag);
    expect(radios).toHaveLength(2);
    expect(radios[0]).toContain('value="current"');
    expect(radios[0]).not.toContain('checked');
    expect(radios[1]).toContain('value="2025"');
    expect(radios[1]).toContain('checked');
    for (const line of [fixture, LINE_2025_META]) {
      expect(html).toContain(`>${line.title}</label>`);
      expect(html).toContain(line.summary);
    }
    expect(html).toContain(NO_IN_PLACE_PATH);
  });

  it('shows a server error on the choice, tied to the group', () => {
    const html = render([fixture, LINE_2025_META], 'Choose a release line from the list.');
    expect(html).toContain('aria-describedby="field-release-note field-release-error"');
    expect(html).toContain('id="field-release-error"');
  });
});
