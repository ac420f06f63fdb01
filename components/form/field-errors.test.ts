import type { FieldErrors } from 'react-hook-form';
import { describe, expect, it, vi } from 'vitest';
import { errorAt, firstInPageOrder, flattenErrors, formErrorOf, revealAndFocus } from './field-errors';

// Errors as react-hook-form keeps them: nested by path, each with its type, message and control.
const errors = {
  root: { type: 'unavailable', message: 'The checks could not be loaded.' },
  name: { type: 'pattern', message: 'Plan name must start with a letter.', ref: { name: 'name' } },
  params: {
    vpc: { VpcCidr: { type: 'custom', message: 'VPC CIDR block must be a network address.' } },
    common: { PrivateSubnets: { type: 'server', message: 'Private subnets must span at least two Availability Zones.' } },
  },
  include: { demo: { type: 'custom', message: 'The demo apps need the collector.' } },
} as unknown as FieldErrors;

describe('field errors by path', () => {
  it('reads a field error at a dotted path, and nothing where there is none', () => {
    expect(errorAt(errors, 'params.vpc.VpcCidr')).toBe('VPC CIDR block must be a network address.');
    expect(errorAt(errors, 'params.vpc')).toBeUndefined();
    expect(errorAt(errors, 'params.vpc.VpcCidr.message')).toBeUndefined();
    expect(errorAt(errors, 'region')).toBeUndefined();
    expect(errorAt(errors, 'name.constructor')).toBeUndefined(); // never an inherited property
    expect(errorAt(undefined, 'name')).toBeUndefined();
  });

  it('lists every field error in the order reported, leaving out the form\'s own error', () => {
    expect(flattenErrors(errors)).toEqual([
      ['name', 'Plan name must start with a letter.'],
      ['params.vpc.VpcCidr', 'VPC CIDR block must be a network address.'],
      ['params.common.PrivateSubnets', 'Private subnets must span at least two Availability Zones.'],
      ['include.demo', 'The demo apps need the collector.'],
    ]);
    expect(flattenErrors({ root: errors.root } as FieldErrors)).toEqual([]);
    expect(formErrorOf(errors)).toBe('The checks could not be loaded.');
    expect(formErrorOf({ name: errors.name } as FieldErrors)).toBeUndefined();
  });
});

describe('focusing the first field to fix', () => {
  /** A stand-in for an element at a position in the page. */
  const at = (position: number) => ({
    position,
    compareDocumentPosition(other: { position: number }) {
      return other.position < position ? 2 /* PRECEDING */ : 4 /* FOLLOWING */;
    },
  });

  it('picks the element that comes first in the page, whatever the order given', () => {
    const [a, b, c] = [at(3), at(1), at(2)];
    expect(firstInPageOrder([a, b, c])).toBe(b);
    expect(firstInPageOrder([c, a])).toBe(c);
    expect(firstInPageOrder([])).toBeUndefined();
  });

  it('opens the folded section a control is in before focusing it', () => {
    const details = { setAttribute: vi.fn() };
    const control = { closest: vi.fn(() => details), focus: vi.fn() };
    revealAndFocus(control as unknown as Element & { focus(): void });
    expect(control.closest).toHaveBeenCalledWith('details');
    expect(details.setAttribute).toHaveBeenCalledWith('open', '');
    expect(control.focus).toHaveBeenCalled();
  });
});
