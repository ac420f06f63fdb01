// npm run bench: the console's speed and size figures, printed as a report. Targets come from
// the issues; nothing here fails a build, the numbers go into the notes.
import { benchTemplates } from './bench/templates';

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

async function main() {
  const only = process.argv.slice(2);
  const wants = (name: string) => only.length === 0 || only.includes(name);

  if (wants('templates')) {
    const t = await benchTemplates();
    console.log(`\n## Templates (build + serialize + validate, all ${t.sizes.length}, warm)`);
    console.log(`median ${fmt(t.medianMs, 2)} ms, p95 ${fmt(t.p95Ms, 2)} ms over ${t.runs} runs (target ≤ 20 ms)`);
    console.log('\n| template | YAML bytes | compact JSON bytes | resources | ≤ 51,200 |\n|---|---|---|---|---|');
    for (const s of t.sizes) console.log(`| ${s.stem} | ${fmt(s.yamlBytes)} | ${fmt(s.jsonBytes)} | ${s.resources} | ${s.jsonBytes <= 51_200 ? 'yes' : 'NO'} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
