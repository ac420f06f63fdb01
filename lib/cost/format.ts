// How estimates are written out, the same on the page and in COSTS.md. Isomorphic.
import { REGIONS } from '@/lib/params/regions';
import type { LineItem } from './estimate';

export const EXCLUSIONS =
  'An estimate from on-demand list prices: no tax, no discounts (Savings Plans, private pricing), no free tier, no data transfer out.';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const unitPrice = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6, maximumFractionDigits: 10 });
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const large = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A monthly amount: $1,228.45, or "< $0.01" for a fraction of a cent. */
export const usd = (amount: number) => (amount > 0 && amount < 0.005 ? '< $0.01' : money.format(amount));

/** A unit price keeps its significant digits, and at least cents: $0.03238, $0.0000133334, $0.40. */
export function unitUsd(amount: number): string {
  const text = unitPrice.format(amount);
  const decimals = text.split('.')[1]?.length ?? 0;
  return `$${decimals >= 2 ? text : `${text}${decimals === 0 ? '.' : ''}${'0'.repeat(2 - decimals)}`}`;
}

export const quantity = (amount: number) => (amount < 1 && amount > 0 ? small : large).format(amount);

export const regionName = (code: string) => REGIONS.find((r) => r.code === code)?.name ?? code;

/** A signed difference: +$12.00, −$411.80. */
export const delta = (amount: number) => (Math.abs(amount) < 0.005 ? usd(0) : `${amount > 0 ? '+' : '−'}${usd(Math.abs(amount))}`);

/** Where a line's unit price comes from, in words (or why the line costs nothing). */
export function priceNote(line: LineItem, region: string): string {
  if (!line.price) return line.note ?? '';
  const { source, date, from, approximate } = line.price;
  return `${source}, ${date}${from !== region ? `; the ${from} figure` : ''}${approximate ? '; approximate' : ''}`;
}
