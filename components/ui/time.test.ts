import { describe, expect, it } from 'vitest';
import { utcTime } from './time';

describe('utcTime', () => {
  const moment = new Date('2026-11-27T08:37:55.123+01:00');
  it.each([
    ['second', '2026-11-27 07:37:55'],
    ['minute', '2026-11-27 07:37'],
  ] as const)('shows a moment in UTC to the %s', (precision, shown) => {
    expect(utcTime(moment, precision)).toBe(shown);
  });
});
