import { describe, expect, it } from 'vitest';
import { isVersionBelow } from './versions';

describe('isVersionBelow', () => {
  it.each([
    ['17', '17.9', false],
    ['17.9', '17.9', false],
    ['17.10', '17.9', false],
    ['18', '17.9', false],
    ['18.1', '17.9', false],
    ['17.7', '17.9', true],
    ['17.8', '17.10', true],
    ['16', '17.9', true],
    ['16.12', '17.1', true],
    ['17', '17', false],
    ['17.1', '17', false],
  ])('%s below a running %s: %s', (value, running, below) => {
    expect(isVersionBelow(value, running)).toBe(below);
  });
});
