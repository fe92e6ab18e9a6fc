// npm run bench:analysis [-- --sizes 1000000,10000000 | --quick] [--repeat 5] [--tx-ids random|sequential]
//                         [--diagnose] [--no-optimize] [--keep] [--json FILE]
//
// Analysis-pass benchmark. For each history size, in a fresh process with a fresh DATA_DIR
// (one embedded engine per process; bench/analysis-run.ts): generate a realistic payment
// history inside the engine (bench/analysis-history.ts; constant events per hour, so a 10×
// larger history spans 10× more time), time the first, full pass (transactions checked per
// second), then insert new events and time incremental passes, and idle passes with nothing
// new. The incremental batch is the same for every size — 1 % of the smallest size (10,000
// events for 1M/10M) — so that the comparison isolates the size of the history; each size
// also gets one batch of 1 % of its own size.
//
// --diagnose also times the layers of the verdict query apart (bench/analysis-run.ts).
// --json FILE writes { summary, runs } (e.g. --json bench/results-analysis.json).
//
// Targets (issue): a full pass checks ≥ 1,000,000 transactions/s; the incremental pass grows
// by at most 1.5× when the history grows from 1M to 10M events.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '5' },
    'tx-ids': { type: 'string', default: 'random' },
    'no-optimize': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    diagnose: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const SIZES = (args.sizes ?? (args.quick ? '200000,2000000' : '1000000,10000000')).split(',').map((s) => Number(s.replace(/_/g, '')));
if (SIZES.some((n) => !Number.isInteger(n) || n < 10_000)) throw new Error(`--sizes: expected integers ≥ 10000, got ${args.sizes}`);
const BATCH = Math.round(Math.min(...SIZES) / 100);

const FULL_TX_PER_S_TARGET = 1_000_000;
const INCREMENTAL_GROWTH_TARGET = 1.5;

interface PassResult {
  wall_ms: number;
  evaluated: number;
  steps: { step: string; ms: number; peak_rss_mb: number }[];
  peak_rss_mb: number;
}
interface RunResult {
  size: number;
  error?: { stage: string; statement: string | null; message: string };
  history?: { events: number; transactions: number; days: number; generate_ms: number; optimize_ms: number };
  full?: PassResult & { transactions_per_s: number };
  incremental?: { batch_events: number; median_ms: number; samples_ms: number[]; idle_median_ms: number; rounds: { incremental: PassResult }[] };
  incremental_1pct?: { batch_events: number; incremental: PassResult; idle: PassResult };
  diagnose?: Record<string, unknown>;
  peak_rss_mb?: number;
  total_s?: number;
}

function runSize(size: number): RunResult {
  const work = mkdtempSync(path.join(tmpdir(), 'txdrift-bench-analysis-'));
  console.error(`\n== ${size.toLocaleString('en')} events (DATA_DIR ${work}) ==`);
  try {
    const out = spawnSync(
      process.execPath,
      [
        '--import', 'tsx', '--import', './scripts/server-only-hook.mjs', 'bench/analysis-run.ts',
        '--size', String(size), '--data', work, '--batch', String(BATCH), '--repeat', args.repeat!, '--tx-ids', args['tx-ids']!,
        ...(args['no-optimize'] ? ['--no-optimize'] : []),
        ...(args.diagnose ? ['--diagnose'] : []),
      ],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
    );
    const last = out.stdout?.trim().split('\n').at(-1);
    if (!last) return { size, error: { stage: 'process', statement: null, message: `helper exited with ${out.status ?? out.signal} and no result` } };
    return JSON.parse(last) as RunResult;
  } finally {
    if (!args.keep) rmSync(work, { recursive: true, force: true });
  }
}

/** The three slowest statements of a pass, e.g. "evaluate verdicts → tx_flags 5123 ms". */
const slowest = (p: PassResult) =>
  [...p.steps].sort((a, b) => b.ms - a.ms).slice(0, 3).map((s) => `${s.step} ${Math.round(s.ms)} ms`).join(', ');

const results: RunResult[] = [];
for (const size of SIZES) {
  const r = runSize(size);
  results.push(r);
  console.log(JSON.stringify(r, null, 2));
  if (r.error) console.error(`!! ${size.toLocaleString('en')} events failed at "${r.error.stage}" (statement: ${r.error.statement ?? '-'}): ${r.error.message}`);
}

const ok = results.filter((r) => !r.error && r.full && r.incremental);
const smallest = ok.find((r) => r.size === Math.min(...SIZES));
const largest = ok.find((r) => r.size === Math.max(...SIZES));
const growth = smallest && largest && smallest !== largest ? largest.incremental!.median_ms / smallest.incremental!.median_ms : null;
const growth1pct = smallest && largest && smallest !== largest ? largest.incremental_1pct!.incremental.wall_ms / smallest.incremental_1pct!.incremental.wall_ms : null;
const summary = {
  machine: { cores: availableParallelism(), node: process.version },
  batch_events: BATCH,
  sizes: results.map((r) =>
    r.error
      ? { size: r.size, error: r.error }
      : {
          size: r.size,
          events: r.history!.events,
          transactions: r.history!.transactions,
          history_days: r.history!.days,
          full_ms: r.full!.wall_ms,
          full_transactions_per_s: r.full!.transactions_per_s,
          full_meets_target: r.full!.transactions_per_s >= FULL_TX_PER_S_TARGET,
          full_slowest_steps: slowest(r.full!),
          incremental_ms: r.incremental!.median_ms,
          incremental_min_ms: Math.min(...r.incremental!.samples_ms),
          incremental_samples_ms: r.incremental!.samples_ms,
          incremental_evaluated: r.incremental!.rounds.map((x) => x.incremental.evaluated),
          incremental_slowest_steps: slowest(r.incremental!.rounds[0]!.incremental),
          idle_ms: r.incremental!.idle_median_ms,
          incremental_1pct_of_size: { events: r.incremental_1pct!.batch_events, ms: r.incremental_1pct!.incremental.wall_ms, evaluated: r.incremental_1pct!.incremental.evaluated },
          peak_rss_mb: r.peak_rss_mb,
          ...(r.diagnose && { diagnose: r.diagnose }),
        },
  ),
  incremental_growth: growth === null ? null : {
    from: smallest!.size,
    to: largest!.size,
    ratio: Math.round(growth * 100) / 100,
    target: INCREMENTAL_GROWTH_TARGET,
    meets_target: growth <= INCREMENTAL_GROWTH_TARGET,
    ratio_with_1pct_of_each_size: Math.round(growth1pct! * 100) / 100,
  },
};

console.log('\n' + JSON.stringify(summary, null, 2));
console.log('\nSummary (this machine: ' + summary.machine.cores + ' cores; figures are wall-clock on a shared embedded engine)');
for (const s of summary.sizes) {
  if ('error' in s) {
    console.log(`  ${s.size.toLocaleString('en')} events: FAILED at "${s.error!.stage}": ${s.error!.message}`);
    continue;
  }
  console.log(
    `  ${s.size.toLocaleString('en')} events (${s.transactions.toLocaleString('en')} transactions, ${s.history_days} days): ` +
      `full pass ${(s.full_ms / 1000).toFixed(2)} s = ${s.full_transactions_per_s.toLocaleString('en')} tx/s ` +
      `(target ≥ ${FULL_TX_PER_S_TARGET.toLocaleString('en')}: ${s.full_meets_target ? 'met' : 'NOT met'}); ` +
      `incremental after ${BATCH.toLocaleString('en')} new events ${s.incremental_ms} ms (median of ${s.incremental_samples_ms.length}, min ${s.incremental_min_ms}); idle ${s.idle_ms} ms; ` +
      `after 1% of size (${s.incremental_1pct_of_size.events.toLocaleString('en')} events) ${s.incremental_1pct_of_size.ms} ms`,
  );
}
if (summary.incremental_growth) {
  const g = summary.incremental_growth;
  console.log(
    `  incremental ${g.to.toLocaleString('en')} / ${g.from.toLocaleString('en')}: ${g.ratio}× (target ≤ ${g.target}×: ${g.meets_target ? 'met' : 'NOT met'}); ` +
      `with 1% of each size as the batch: ${g.ratio_with_1pct_of_each_size}×`,
  );
}
if (args.json) writeFileSync(args.json, JSON.stringify({ summary, runs: results }, null, 2));
if (results.some((r) => r.error)) process.exitCode = 1;
