import { describe, expect, it } from 'vitest';
import type { ChildProgress } from '@/lib/deploy/progress';
import { nestedNote } from './run-graph';

const child = (path: string, status: string): ChildProgress => ({ path, title: path, status, resources: [], events: [], spans: [], expected: [] });

describe('the graph node of a stack with nested stacks', () => {
  it('says how many it has and how they stand, as CloudFormation reported them', () => {
    const children = [
      ...['A', 'B', 'C', 'D', 'E'].map((p) => child(p, 'CREATE_COMPLETE')),
      child('F', 'CREATE_IN_PROGRESS'),
      child('G', ''),
    ];
    expect(nestedNote({ children })).toBe('7 nested · 5 complete · 1 running');
    expect(nestedNote({ children: [child('A', 'CREATE_FAILED'), child('B', 'ROLLBACK_COMPLETE'), child('C', 'DELETE_COMPLETE'), child('D', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')] })).toBe(
      '4 nested · 1 running · 2 failed · 1 deleted',
    );
  });

  it('says only their number while nothing was reported, and nothing for a stack without nested stacks', () => {
    expect(nestedNote({ children: [child('A', ''), child('B', '')] })).toBe('2 nested');
    expect(nestedNote({ children: [] })).toBeUndefined();
  });
});
