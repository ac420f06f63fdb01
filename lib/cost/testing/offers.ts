// Test helper: small AWS Price List offer files, shaped as AWS publishes them.
export interface FakeProduct {
  sku: string;
  usagetype: string;
  usd: string;
  attributes?: Record<string, string>;
  /** Extra price tiers after the first (beginRange 0). */
  tiers?: { beginRange: string; usd: string }[];
}

export function fakeOffer(offerCode: string, region: string, publicationDate: string, products: FakeProduct[]) {
  return {
    formatVersion: 'v1.0',
    offerCode,
    version: publicationDate.replace(/\D/g, '').slice(0, 14),
    publicationDate,
    products: Object.fromEntries(
      products.map((p) => [
        p.sku,
        { sku: p.sku, productFamily: 'Compute', attributes: { usagetype: p.usagetype, regionCode: region, locationType: 'AWS Region', ...p.attributes } },
      ]),
    ),
    terms: {
      OnDemand: Object.fromEntries(
        products.map((p) => [
          p.sku,
          {
            [`${p.sku}.JRTCKXETXF`]: {
              offerTermCode: 'JRTCKXETXF',
              sku: p.sku,
              effectiveDate: publicationDate,
              priceDimensions: Object.fromEntries(
                [...(p.tiers ?? []), { beginRange: '0', usd: p.usd }].map((tier, i) => [
                  `${p.sku}.JRTCKXETXF.RATE${i}`,
                  { rateCode: `${p.sku}.JRTCKXETXF.RATE${i}`, description: 'test', beginRange: tier.beginRange, endRange: 'Inf', unit: 'Hrs', pricePerUnit: { USD: tier.usd } },
                ]),
              ),
            },
          },
        ]),
      ),
    },
  };
}
