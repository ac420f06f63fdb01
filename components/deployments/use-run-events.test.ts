import { describe, expect, it } from 'vitest';
import type { StoredRunEvent } from '@/lib/deploy/types';
import { mergeRunEvents } from './use-run-events';

const at = (...seqs: number[]): StoredRunEvent[] => seqs.map((seq) => ({ seq, event: { type: 'note', level: 'info', message: `#${seq}` } }));

describe('mergeRunEvents', () => {
  it.each([
    ['appends newer events', at(1, 2), at(3, 5), [1, 2, 3, 5]],
    ['drops what a reconnect sends again', at(1, 2, 3), at(2, 3, 4), [1, 2, 3, 4]],
    ['drops repeats inside one batch', at(1), at(2, 2, 3, 1, 4), [1, 2, 3, 4]],
    ['starts from nothing', [], at(7, 8), [7, 8]],
  ])('%s', (_, current, incoming, expected) => {
    expect(mergeRunEvents(current, incoming).map((e) => e.seq)).toEqual(expected);
  });

  it('keeps the same array when nothing is new, so React skips the render', () => {
    const current = at(1, 2, 3);
    expect(mergeRunEvents(current, at(2, 3))).toBe(current);
    expect(mergeRunEvents(current, [])).toBe(current);
  });
});
