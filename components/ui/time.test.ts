import { describe, expect, it } from 'vitest';
import { duration, utcTime } from './time';

describe('utcTime', () => {
  const moment = new Date('2026-11-27T08:37:55.123+01:00');
  it.each([
    ['second', '2026-11-27 07:37:55'],
    ['minute', '2026-11-27 07:37'],
  ] as const)('shows a moment in UTC to the %s', (precision, shown) => {
    expect(utcTime(moment, precision)).toBe(shown);
  });
});

describe('duration', () => {
  it.each([
    [0, '0 s'],
    [-5, '0 s'],
    [840, '0.8 s'],
    [9_940, '9.9 s'],
    [12_400, '12 s'],
    [65_000, '1 min 05 s'],
    [59 * 60_000 + 59_600, '1 h 00 min'],
    [2 * 3600_000 + 7 * 60_000, '2 h 07 min'],
  ])('shows %i ms as %s', (ms, shown) => {
    expect(duration(ms)).toBe(shown);
  });
});
