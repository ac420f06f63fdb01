import { describe, expect, it } from 'vitest';
import { pricesFromOffers, type OfferFile } from './offers';
import { findPrice, PRICE_TABLE } from './prices';
import { fakeOffer } from './testing/offers';

const AT = new Date('2027-01-15T10:00:00Z');
const file = (service: string, region: string, offer: ReturnType<typeof fakeOffer>): OfferFile => ({ service, region, file: `${service}/current/${region}/index.json`, offer });

describe('regenerating the price table from offer files', () => {
  const files = [
    file(
      'AmazonECS',
      'us-east-1',
      fakeOffer('AmazonECS', 'us-east-1', '2027-01-02T00:00:00Z', [
        { sku: 'A1', usagetype: 'USE1-Fargate-ARM-vCPU-Hours:perCPU', usd: '0.0300000000' },
        { sku: 'A2', usagetype: 'USE1-Fargate-ARM-GB-Hours', usd: '0.0033000000' },
        // a Local Zone's SKU with the same usage type suffix must not win
        { sku: 'A0', usagetype: 'USE1-Fargate-ARM-GB-Hours', usd: '0.9', attributes: { locationType: 'AWS Local Zone' } },
      ]),
    ),
    file(
      'AmazonEC2',
      'us-east-1',
      fakeOffer('AmazonEC2', 'us-east-1', '2027-01-03T00:00:00Z', [
        { sku: 'N0', usagetype: 'USE1-RegionalNatGateway-Hours', usd: '0.5' },
        { sku: 'N1', usagetype: 'NatGateway-Hours', usd: '0.046' },
      ]),
    ),
    file(
      'AmazonS3',
      'eu-west-2',
      fakeOffer('AmazonS3', 'eu-west-2', '2027-01-04T00:00:00Z', [
        { sku: 'S1', usagetype: 'EUW2-TimedStorage-ByteHrs', usd: '0.024', tiers: [{ beginRange: '51200', usd: '0.023' }] },
        { sku: 'S2', usagetype: 'EUW2-Requests-Tier1', usd: '0.0000053' },
      ]),
    ),
    file(
      'AmazonRDS',
      'us-east-1',
      fakeOffer('AmazonRDS', 'us-east-1', '2027-01-05T00:00:00Z', [
        { sku: 'R1', usagetype: 'InstanceUsage:db.t4g.medium', usd: '0.066', attributes: { databaseEngine: 'PostgreSQL', deploymentOption: 'Single-AZ' } },
        { sku: 'R2', usagetype: 'InstanceUsage:db.t4g.medium', usd: '0.132', attributes: { databaseEngine: 'PostgreSQL', deploymentOption: 'Multi-AZ' } },
        { sku: 'R3', usagetype: 'InstanceUsage:db.t4g.medium', usd: '0.07', attributes: { databaseEngine: 'MySQL', deploymentOption: 'Single-AZ' } },
      ]),
    ),
  ];
  const { table, found, missing } = pricesFromOffers(files, PRICE_TABLE, AT, 'AWS Price List offer files in offers');

  it('takes each figure from the product with its exact usage type, in an AWS Region, at the first tier', () => {
    expect(findPrice(table, 'us-east-1', 'fargate.arm64.vcpuHour')).toMatchObject({ usd: 0.03, approximate: false, date: '2027-01-02' });
    expect(findPrice(table, 'us-east-1', 'fargate.arm64.gbHour')?.usd).toBe(0.0033);
    expect(findPrice(table, 'us-east-1', 'nat.hour')?.usd).toBe(0.046);
    expect(findPrice(table, 'us-east-1', 'rds.instance.db.t4g.medium')?.usd).toBe(0.066);
    expect(findPrice(table, 'eu-west-2', 's3.standardGbMonth')).toMatchObject({ usd: 0.024, approximate: false, from: 'eu-west-2' });
    expect(findPrice(table, 'eu-west-2', 's3.put1000')?.usd).toBe(0.0053);
    expect(findPrice(table, 'us-east-1', 'nat.hour')?.source).toBe('AWS Price List offer AmazonEC2 for us-east-1, usage type NatGateway-Hours (AmazonEC2/current/us-east-1/index.json)');
  });

  it('keeps the figures the offers do not have, and says which ones an offer was given for', () => {
    expect(findPrice(table, 'us-east-1', 'alb.hour')).toEqual(findPrice(PRICE_TABLE, 'us-east-1', 'alb.hour'));
    expect(findPrice(table, 'eu-west-2', 'nat.hour')).toMatchObject({ from: 'eu-central-1', approximate: true });
    expect(found).toEqual(expect.arrayContaining(['us-east-1 fargate.arm64.vcpuHour', 'eu-west-2 s3.put1000', 'us-east-1 rds.instance.db.t4g.medium']));
    expect(missing).toContain('us-east-1 fargate.x86_64.vcpuHour');
    expect(missing).toContain('eu-west-2 s3.get1000');
    expect(missing).not.toContain('us-east-1 vpce.azHour');
  });

  it('records when and from what it was generated', () => {
    expect(table.generated.at).toBe('2027-01-15T10:00:00.000Z');
    expect(table.generated.from).toBe('AWS Price List offer files in offers');
    expect(table.generated.offers).toContainEqual({ service: 'AmazonS3', region: 'eu-west-2', published: '2027-01-04T00:00:00Z', file: 'AmazonS3/current/eu-west-2/index.json' });
    expect(table.regions['eu-west-2']?.note).toBe('Regenerated from offer files on 2027-01-15; figures they lack come from eu-central-1, marked approximate.');
    expect(PRICE_TABLE.generated.at).toBe('2026-12-04');
  });
});
