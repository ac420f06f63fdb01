import { describe, expect, it } from 'vitest';
import { delta, quantity, unitUsd, usd } from './format';

describe('estimate formatting', () => {
  it.each([
    [1228.449, '$1,228.45'],
    [0, '$0.00'],
    [0.003, '< $0.01'],
    [0.006, '$0.01'],
  ])('writes %d a month as %s', (amount, text) => expect(usd(amount)).toBe(text));

  it.each([
    [0.4, '$0.40'],
    [1, '$1.00'],
    [0.03238, '$0.03238'],
    [0.0000133334, '$0.0000133334'],
  ])('keeps the digits of a unit price %d: %s', (amount, text) => expect(unitUsd(amount)).toBe(text));

  it('writes quantities and differences for people', () => {
    expect([quantity(11680), quantity(0.460274), quantity(1.5)]).toEqual(['11,680', '0.46', '1.5']);
    expect([delta(12), delta(-411.8), delta(0.001)]).toEqual(['+$12.00', '−$411.80', '$0.00']);
  });
});
