// npm run bench [templates|estimate|plan-page|sandbox|events|graph-run|replicas]: the console's speed and size figures,
// printed as a report. Targets come from the issues; nothing here fails a build, the numbers go
// into the notes. The plan-page part needs a build (npm run build).
import { existsSync } from 'node:fs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { benchTemplates } from './bench/templates';

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

async function templates() {
  const lines = [
    ['2025', 'the 2025 line, all 7', 20],
    ['current', 'the current line, 8 stacks and 7 nested children', 30],
  ] as const;
  for (const [line, what, target] of lines) {
    const t = await benchTemplates(line);
    console.log(`\n## Templates: ${what} (build + serialize + validate, warm)`);
    console.log(`median ${fmt(t.medianMs, 2)} ms, p95 ${fmt(t.p95Ms, 2)} ms over ${t.runs} runs (target ≤ ${target} ms); CPU time median ${fmt(t.medianCpuMs, 2)} ms`);
    console.log('\n| template | YAML bytes | compact JSON bytes | resources | ≤ 51,200 |\n|---|---|---|---|---|');
    for (const s of t.sizes) console.log(`| ${s.stem} | ${fmt(s.yamlBytes)} | ${fmt(s.jsonBytes)} | ${s.resources} | ${s.jsonBytes <= 51_200 ? 'yes' : 'NO'} |`);
  }
}

async function estimate() {
  const { benchEstimate } = await import('./bench/estimate');
  const e = benchEstimate();
  console.log(`\n## Cost estimate (full plan: ${e.stacks} stacks, ${e.resources} line items, $${fmt(e.total, 2)} a month, warm)`);
  console.log(`estimate: median ${fmt(e.medianMs, 2)} ms, p95 ${fmt(e.p95Ms, 2)} ms over ${e.runs} runs (target ≤ 5 ms)`);
  console.log(`rendering the templates and estimating: median ${fmt(e.withRenderMedianMs, 2)} ms`);
}

async function planPage() {
  const dist = process.env.NEXT_DIST_DIR || '.next';
  console.log('\n## Plan page');
  if (!existsSync(`${dist}/standalone/server.js`)) return console.log(`skipped: no build in ${dist} (run npm run build first)`);
  const { benchPlanPage } = await import('./bench/plan-page');
  const p = await benchPlanPage();
  console.log(`first-load JS: ${fmt(p.firstLoadGzip / 1024)} KB gzip in ${p.scripts} scripts (target ≤ 165 KB; the framework alone is about 136 KB); ${fmt(p.totalGzip / 1024)} KB by network idle, with lazy and prefetched chunks`);
  console.log(`plan page HTML: ${fmt(p.html.bytes / 1024)} KB (${fmt(p.html.gzip / 1024)} KB gzip), of which ${fmt(p.html.inlineData / 1024)} KB inline data (the RSC payload)`);
  console.log(`launch steps of the (valid) default plan shown ${fmt(p.launchReadyMs, 0)} ms after navigation starts (median of 5 reloads; the server checked the default plan, the browser's checks load with the first change)`);
  console.log(`run page first-load JS: ${fmt(p.runPage.gzip / 1024)} KB gzip in ${p.runPage.count} scripts (target ≤ 170 KB); ${fmt(p.runPage.totalGzip / 1024)} KB by network idle`);
  if ('skipped' in p.lighthouse) console.log(`Lighthouse: skipped (${p.lighthouse.skipped})`);
  else {
    console.log(`Lighthouse (mobile, median of ${p.lighthouse.runs.length} runs: ${p.lighthouse.runs.join(', ')}${p.lighthouse.failed ? `; ${p.lighthouse.failed} more gave up` : ''}): performance ${p.lighthouse.performance} (target ≥ 95), accessibility ${p.lighthouse.accessibility} (target 100); ${p.lighthouse.metrics}`);
    console.log(`  host CPU during those runs (Lighthouse's benchmark index, higher is faster; same order as the scores): ${p.lighthouse.indexes.join(', ')}`);
  }
}

async function sandbox() {
  const { benchSandbox } = await import('../lib/sandbox/bench');
  const s = await benchSandbox();
  console.log('\n## Sandbox');
  console.log(`${s.stacks}-stack deployment at time scale 0: ${fmt(s.sevenStackDeployMs, 0)} ms`);
  console.log(`DescribeStackEvents through the SDK: ${fmt(s.describeEventsPerSecond, 0)} requests/s`);
}

async function events() {
  const { benchEvents } = await import('./bench/events');
  const e = await benchEvents();
  console.log('\n## Live events');
  console.log(`delivery latency sandbox → SSE client at a ${e.pollMs} ms poll: p50 ${fmt(e.latencyP50Ms, 0)} ms, p95 ${fmt(e.latencyP95Ms, 0)} ms (target p95 ≤ ${e.pollMs + 500} ms)`);
  console.log(`DescribeStackEvents calls per minute: ${fmt(e.callsPerMinuteOneViewer, 1)} with 1 viewer, ${fmt(e.callsPerMinuteHundredViewers, 1)} with 100 (target: equal)`);
  console.log(`100 viewers: server RSS ${fmt(e.rssMb, 0)} MB, p95 latency ${fmt(e.p95LatencyHundredViewersMs, 0)} ms`);
}

async function graphRun() {
  const { benchGraphRun } = await import('./bench/graph-run');
  const g = await benchGraphRun(3);
  const one = await benchGraphRun(1);
  console.log(`\n## A full plan on the stack graph (sandbox, time scale ${g.timeScale}, up to ${g.maxParallel} stacks at once)`);
  console.log(`wall time ${fmt(g.wallMs / 1000, 2)} s · sum of the stacks' durations ${fmt(g.sumMs / 1000, 2)} s · critical path ${fmt(g.criticalPathMs / 1000, 2)} s (${g.criticalPath.join(' → ')})`);
  console.log(`wall / critical path = ${fmt(g.wallMs / g.criticalPathMs, 3)} (target ≤ 1.10); wall / sum = ${fmt(g.wallMs / g.sumMs, 3)}`);
  console.log(g.stacks.map((s) => `${s.stackName} ${fmt(s.ms / 1000, 2)} s`).join(' · '));
  console.log(`one stack at a time (CONSOLE_MAX_PARALLEL_STACKS=1): wall ${fmt(one.wallMs / 1000, 2)} s, sum ${fmt(one.sumMs / 1000, 2)} s, critical path ${fmt(one.criticalPathMs / 1000, 2)} s`);
  const { isLineId } = await import('../templates');
  console.log('\n## The current line on the stack graph (a proof of concept: VPC, cluster, the services root with 7 nested stacks, cwmetrics)');
  if (!isLineId('current')) return console.log('skipped: the current line is not registered yet');
  const c = await benchGraphRun(3, 'current');
  console.log(`sandbox time scale ${c.timeScale}, up to ${c.maxParallel} stacks at once`);
  console.log(`wall time ${fmt(c.wallMs / 1000, 2)} s · sum of the stacks' durations ${fmt(c.sumMs / 1000, 2)} s · critical path ${fmt(c.criticalPathMs / 1000, 2)} s (${c.criticalPath.join(' → ')})`);
  console.log(`wall / critical path = ${fmt(c.wallMs / c.criticalPathMs, 3)} (target ≤ 1.10); wall / sum = ${fmt(c.wallMs / c.sumMs, 3)}`);
  console.log(c.stacks.map((s) => `${s.stackName} ${fmt(s.ms / 1000, 2)} s`).join(' · '));
}

async function replicas() {
  const { benchReplicas } = await import('./bench/replicas');
  const r = await benchReplicas();
  console.log('\n## Two replicas on one PostgreSQL');
  console.log(`take-over after the replica driving a run dies: ${fmt(r.takeOverMs / 1000, 1)} s (lease ${r.leaseSeconds} s; target ≤ 30 s)`);
  console.log(`delivery to a viewer on the other replica at a ${r.pollMs} ms poll: p50 ${fmt(r.deliveryP50Ms, 0)} ms, p95 ${fmt(r.deliveryP95Ms, 0)} ms over ${r.deliveries} events (target p95 ≤ 1500 ms)`);
}

const SECTIONS = { templates, estimate, 'plan-page': planPage, sandbox, events, 'graph-run': graphRun, replicas } as const;

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(a in SECTIONS));
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}; choose from ${Object.keys(SECTIONS).join(', ')}`);
  for (const [name, run] of Object.entries(SECTIONS)) if (asked.length === 0 || asked.includes(name)) await run();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
