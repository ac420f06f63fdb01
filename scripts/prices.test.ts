import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPrice, PRICE_TABLE, type PriceTable } from '@/lib/cost/prices';
import { fakeOffer } from '@/lib/cost/testing/offers';

const dir = mkdtempSync(join(tmpdir(), 'offers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function save(path: string, content: unknown) {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), JSON.stringify(content));
}

const prices = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/prices.ts', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '--conditions=react-server' } });

describe('npm run prices -- --offers DIR', () => {
  it('regenerates the table from the region index and the offer files it points to', () => {
    // given the AmazonECS region index, with us-east-1 at its versioned URL and ca-central-1 under current/
    save('offers/AmazonECS/current/region_index.json', {
      regions: {
        'us-east-1': { regionCode: 'us-east-1', currentVersionUrl: '/offers/v1.0/aws/AmazonECS/20270102000000/us-east-1/index.json' },
        'ca-central-1': { regionCode: 'ca-central-1', currentVersionUrl: '/offers/v1.0/aws/AmazonECS/20270102000000/ca-central-1/index.json' },
        'cn-north-1': { regionCode: 'cn-north-1', currentVersionUrl: '/offers/v1.0/aws/AmazonECS/20270102000000/cn-north-1/index.json' },
      },
    });
    save('offers/AmazonECS/20270102000000/us-east-1/index.json', fakeOffer('AmazonECS', 'us-east-1', '2027-01-02T00:00:00Z', [{ sku: 'A1', usagetype: 'USE1-Fargate-ARM-vCPU-Hours:perCPU', usd: '0.031' }]));
    save('offers/AmazonECS/current/ca-central-1/index.json', fakeOffer('AmazonECS', 'ca-central-1', '2027-01-02T00:00:00Z', [{ sku: 'C1', usagetype: 'CAN1-Fargate-ARM-vCPU-Hours:perCPU', usd: '0.0356' }]));
    const out = join(dir, 'prices.json');

    // when the script runs
    const report = prices('--offers', join(dir, 'offers'), '--out', out);

    // then the figures come from the offers, the rest are kept, and the table says when and from what
    const table = JSON.parse(readFileSync(out, 'utf8')) as PriceTable;
    expect(findPrice(table, 'us-east-1', 'fargate.arm64.vcpuHour')).toMatchObject({ usd: 0.031, date: '2027-01-02', approximate: false });
    expect(findPrice(table, 'ca-central-1', 'fargate.arm64.vcpuHour')).toMatchObject({ usd: 0.0356, from: 'ca-central-1', approximate: false });
    expect(findPrice(table, 'ca-central-1', 'nat.hour')).toEqual(findPrice(PRICE_TABLE, 'ca-central-1', 'nat.hour'));
    expect(table.generated.from).toBe('AWS Price List offer files in offers');
    expect(Date.now() - Date.parse(table.generated.at)).toBeLessThan(120_000);
    expect(table.generated.offers?.map((o) => `${o.service} ${o.region} ${o.file}`)).toEqual([
      'AmazonECS ca-central-1 AmazonECS/current/ca-central-1/index.json',
      'AmazonECS us-east-1 AmazonECS/20270102000000/us-east-1/index.json',
    ]);
    expect(report).toContain('2 figures from 2 offer files');
    expect(report).toContain('not in the offers (kept): us-east-1 fargate.arm64.gbHour');
  });

  it('says what is wrong when the directory holds no offer files', () => {
    save('empty/AmazonECS/current/region_index.json', { regions: { 'us-east-1': { currentVersionUrl: '/offers/v1.0/aws/AmazonECS/1/us-east-1/index.json' } } });
    expect(() => prices('--offers', join(dir, 'empty'), '--out', join(dir, 'unused.json'))).toThrow(/No offer files for the form's regions[\s\S]*AmazonECS us-east-1: listed in AmazonECS\/current\/region_index.json, but its offer file is not in/);
    expect(() => prices()).toThrow(/usage: npm run prices -- --offers DIR/);
  });
});
