import { describe, expect, it } from 'vitest';
import { REGIONS } from '@/lib/params/regions';
import { findPrice, PRICE_ITEMS, PRICE_TABLE, type PriceKey, type PriceTable } from './prices';

const KEYS = [...Object.keys(PRICE_ITEMS), 'rds.instance.db.t4g.medium'] as PriceKey[];

describe('the price table', () => {
  it('prices every figure the rules use in every region the form offers', () => {
    expect(Object.keys(PRICE_TABLE.regions).sort()).toEqual(REGIONS.map((r) => r.code).sort());
    for (const { code } of REGIONS) for (const key of KEYS) expect(findPrice(PRICE_TABLE, code, key), `${code} ${key}`).toBeDefined();
  });

  it('gives every figure a price, a source, the date the source states and an approximate mark', () => {
    for (const [region, entry] of Object.entries(PRICE_TABLE.regions))
      for (const [key, figure] of Object.entries(entry.figures)) {
        expect(figure.usd, `${region} ${key}`).toBeGreaterThan(0);
        expect(figure.source.length, `${region} ${key}`).toBeGreaterThan(10);
        expect(figure.date, `${region} ${key}`).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
        expect(typeof figure.approximate).toBe('boolean');
      }
  });

  it('marks what the reference does not confirm as approximate, and takes it from the basis region', () => {
    expect(findPrice(PRICE_TABLE, 'us-east-1', 'fargate.arm64.vcpuHour')).toMatchObject({ usd: 0.03238, approximate: false, date: '2022-11-21', from: 'us-east-1' });
    expect(findPrice(PRICE_TABLE, 'ap-southeast-2', 'nat.hour')).toMatchObject({ usd: 0.059, approximate: true });
    expect(findPrice(PRICE_TABLE, 'eu-central-1', 'efs.elasticWriteGb')).toMatchObject({ usd: 0.06, approximate: true, from: 'us-east-1' });
    expect(findPrice(PRICE_TABLE, 'eu-west-2', 'rds.instance.db.t4g.medium')).toMatchObject({ usd: 0.074, approximate: true, from: 'eu-central-1' });
    expect(findPrice(PRICE_TABLE, 'eu-west-2', 'ipv4.hour')).toMatchObject({ usd: 0.005, approximate: false, from: 'eu-west-2' });
  });

  it('finds nothing rather than looping when bases point at each other', () => {
    const loop: PriceTable = { generated: { at: 'x', from: 'x' }, regions: { a: { basis: 'b', figures: {} }, b: { basis: 'a', figures: {} } } };
    expect(findPrice(loop, 'a', 'nat.hour')).toBeUndefined();
  });
});
