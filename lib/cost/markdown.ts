// COSTS.md for the download bundle: the estimate the plan page shows, as Markdown. Isomorphic.
import type { Estimate, LineItem } from './estimate';
import { EXCLUSIONS, quantity, regionName, unitUsd, usd } from './format';

const cell = (text: string) => text.replace(/\|/g, '\\|');

function lineRow(line: LineItem): string {
  const mark = line.price?.approximate ? ' *' : '';
  const counted = line.kind === 'ceiling' ? `${line.counted} (ceiling)` : line.note && !line.unpriced ? `${line.counted}: ${line.note}` : line.counted;
  return `| ${line.logicalId} | ${line.resourceType} | ${cell(counted)} | ${quantity(line.quantity)} ${line.unit} | ${unitUsd(line.unitPrice)}${mark} | ${usd(line.monthly)} |`;
}

export function costsMarkdown(name: string, e: Estimate): string {
  const days = e.usage.telemetryGbPerDay;
  const approximate = e.stacks.flatMap((s) => s.lines).filter((l) => l.price?.approximate);
  return [
    `# Estimated monthly cost: ${name}`,
    '',
    `Region ${e.region} (${regionName(e.region)}); ${days} GB of telemetry a day; storage projected to month ${e.usage.months}.`,
    '',
    `**${usd(e.monthly)} a month**: ${usd(e.fixed)} fixed (runs whether or not data flows) and ${usd(e.usageDriven)} usage-driven.`,
    '',
    ...(e.ceiling > 0 ? [`Autoscaled services at their ceilings would add up to ${usd(e.ceiling)} a month (the rows marked "ceiling"; not in the total).`, ''] : []),
    EXCLUSIONS,
    '',
    '| stack | monthly | fixed | usage-driven |',
    '|---|---|---|---|',
    ...e.stacks.map((s) => `| ${s.name} (${s.title}) | ${usd(s.monthly)} | ${usd(s.fixed)} | ${usd(s.usageDriven)} |`),
    `| **Total** | **${usd(e.monthly)}** | ${usd(e.fixed)} | ${usd(e.usageDriven)} |`,
    '',
    ...e.stacks.flatMap((s) => {
      const charged = s.lines.filter((l) => l.kind !== 'free');
      const free = s.lines.filter((l) => l.kind === 'free');
      return [
        `## ${s.name}: ${usd(s.monthly)}`,
        '',
        '| resource | type | what is counted | quantity | unit price | monthly |',
        '|---|---|---|---|---|---|',
        ...charged.map(lineRow),
        '',
        ...(free.length > 0 ? [`No charge: ${free.map((l) => `${l.logicalId} (${l.note})`).join('; ')}`, ''] : []),
      ];
    }),
    ...(e.unpriced.length > 0 ? ['## Not priced', '', ...e.unpriced.map((u) => `- ${u}`), ''] : []),
    '## Assumptions',
    '',
    ...e.assumptions.map((a) => `- ${a}`),
    '',
    '## Prices',
    '',
    `On-demand list prices in USD from the console's price table (${e.prices.from}; generated ${e.prices.generatedAt}).`,
    ...(approximate.length > 0
      ? ['Unit prices marked * are approximate: not confirmed from a source, derived, or borrowed from another region.']
      : ['Every unit price used is from a stated source.']),
    '',
  ].join('\n');
}
