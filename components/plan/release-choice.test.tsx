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

  it('shows a line whose fields are on their way as chosen, and says so', () => {
    const html = renderToStaticMarkup(<ReleaseChoice lines={[fixture, LINE_2025_META]} value="2025" load={{ status: 'loading', id: 'current' }} onChange={() => undefined} />);
    const radios = [...html.matchAll(/<input type="radio"[^>]*>/g)].map(([tag]) => tag);
    expect(radios[0]).toContain('checked');
    expect(radios[1]).not.toContain('checked');
    expect(html).toContain(`Loading the fields of the ${fixture.title} line…`);
  });

  it('says why a line could not be loaded, keeps the chosen line, and offers to try again', () => {
    const asked: string[] = [];
    const element = ReleaseChoice({ lines: [fixture, LINE_2025_META], value: '2025', load: { status: 'error', id: 'current', message: 'It did not load.' }, onChange: (id) => asked.push(id) });
    const html = renderToStaticMarkup(element);
    expect([...html.matchAll(/<input type="radio"[^>]*>/g)][1]![0]).toContain('checked');
    expect(html).toContain('It did not load.');
    // the button tries the line again
    const find = (node: unknown): { props: { onClick: () => void } } | undefined => {
      if (!node || typeof node !== 'object') return undefined;
      const { type, props } = node as { type?: unknown; props?: { children?: unknown; onClick?: () => void } };
      if (type === 'button' && props?.onClick) return node as { props: { onClick: () => void } };
      const children = props?.children;
      for (const child of Array.isArray(children) ? children.flat() : [children]) {
        const found = find(child);
        if (found) return found;
      }
      return undefined;
    };
    find(element)!.props.onClick();
    expect(asked).toEqual(['current']);
  });

  it('shows a server error on the choice, tied to the group', () => {
    const html = render([fixture, LINE_2025_META], 'Choose a release line from the list.');
    expect(html).toContain('aria-describedby="field-release-note field-release-error"');
    expect(html).toContain('id="field-release-error"');
  });
});
