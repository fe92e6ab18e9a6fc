// Helper process of bench/analysis.ts: one history size in one fresh embedded engine.
//   analysis-run.ts --size N --data DIR --batch B [--repeat R] [--tx-ids random|sequential] [--no-optimize]
// Migrates, generates a history of ~N events inside the engine, times the first (full)
// analysis pass, then R times: waits for background merges to end, inserts B new events (new
// transactions and late events of recent ones), waits out the watermark overlap and any merge,
// times an incremental pass, and times an idle pass (nothing new); finally the same with 1 % of
// N new events. Then it times the per-transaction lookups of an incremental pass apart, and
// with --diagnose the layers of the verdict query over the whole history. Every pass runs through a Db wrapper that times each
// statement of runAnalysisPass (and the process's peak RSS during it). Progress goes to
// stderr; the result is one JSON line on stdout (also on failure: { error, … }).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compileModels } from '@/lib/analysis/model';
import { paymentConfig } from '@/test/support/models';
import { WATERMARK_OVERLAP_US, runAnalysisPass, type PassSummary } from '@/lib/server/clickhouse/analysis-pass';
import { modelParams, verdictSelect } from '@/lib/server/clickhouse/analysis-sql';
import { openDb, type Db } from '@/lib/server/clickhouse/client';
import { migrate } from '@/lib/server/clickhouse/migrations';
import { loadEnv } from '@/lib/server/env';
import { AVG_EVENTS_PER_TX, TX_INTERVAL_US, lateEventsInsert, transactionsInsert, type TxIds } from './analysis-history';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string' },
    data: { type: 'string' },
    batch: { type: 'string' },
    repeat: { type: 'string', default: '5' },
    'tx-ids': { type: 'string', default: 'random' },
    'no-optimize': { type: 'boolean', default: false },
    diagnose: { type: 'boolean', default: false },
  },
});
const SIZE = Number(args.size);
const BATCH = Number(args.batch);
const REPEAT = Number(args.repeat);
const IDS = args['tx-ids'] as TxIds;
if (!(SIZE > 0) || !(BATCH > 0) || !args.data || !['random', 'sequential'].includes(IDS)) {
  throw new Error('usage: analysis-run.ts --size N --data DIR --batch B [--repeat R] [--tx-ids random|sequential]');
}
const SEED = 20261127;
const HOUR_US = 3_600_000_000;

// DESIGN.md's payment model.
const config = paymentConfig({ settleAfter: '5m', maxClockSkew: '0ms' });
const models = compileModels(config);

const t0 = performance.now();
const log = (msg: string) => process.stderr.write(`[${SIZE.toLocaleString('en')} events +${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

// ---- statement timing -------------------------------------------------------------------

// Names for the statements of runAnalysisPass, matched on the SQL text (by the table a
// statement writes or reads), so the breakdown survives changes to the pass's SQL.
const STEPS: [RegExp, string][] = [
  [/^\s*SELECT[\s\S]*FROM analysis_passes\s*$/, 'read pass state'],
  [/toUnixTimestamp64Micro\(now64/, 'read clock'],
  [/^\s*INSERT INTO analysis_passes[\s\S]*'started'/, 'record pass started'],
  [/^\s*INSERT INTO analysis_passes[\s\S]*'committed'/, 'commit pass'],
  [/^\s*INSERT INTO analysis_passes[\s\S]*'applied'/, 'mark pass applied'],
  [/^\s*INSERT INTO analysis_touched/, 'collect touched → analysis_touched'],
  [/^\s*INSERT INTO analysis_verdicts/, 'evaluate verdicts → analysis_verdicts'],
  [/^\s*INSERT INTO tx_flags[\s\S]*FROM events/, 'evaluate verdicts → tx_flags'],
  [/^\s*INSERT INTO tx_flags/, 'apply verdicts → tx_flags'],
  [/^\s*INSERT INTO signal_tx/, 'signal deltas → signal_tx'],
  [/^\s*SELECT (count\(\)|countIf\(evaluated\)) AS evaluated/, 'summarize raised/cleared'],
];
const stepOf = (sql: string) =>
  STEPS.find(([re]) => re.test(sql))?.[1] ??
  (/^\s*(INSERT INTO|DELETE FROM|ALTER TABLE|OPTIMIZE TABLE)\s+(\w+)/.exec(sql)?.slice(1).join(' ') ?? sql.trim().replace(/\s+/g, ' ').slice(0, 60));

interface StepTiming {
  step: string;
  ms: number;
  peak_rss_mb: number;
}

let processPeakMb = 0;
/** Resets the process's peak RSS (VmHWM), keeping the overall peak; false where the kernel does not allow it. */
function resetPeakRss(): boolean {
  processPeakMb = Math.max(processPeakMb, peakRssMb());
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

let current = '';
/** A Db whose query/command record one StepTiming each into `into`. */
function timed(db: Db, into: StepTiming[]): Db {
  const time = async <R>(sql: string, run: () => Promise<R>): Promise<R> => {
    current = stepOf(sql);
    resetPeakRss();
    const started = performance.now();
    const r = await run();
    into.push({ step: current, ms: round(performance.now() - started, 1), peak_rss_mb: peakRssMb() });
    current = '';
    return r;
  };
  return {
    ...db,
    query: <T>(sql: string, params?: Record<string, unknown>, signal?: AbortSignal) => time(sql, () => db.query<T>(sql, params, signal)),
    command: (sql: string, params?: Record<string, unknown>) => time(sql, () => db.command(sql, params)),
  };
}

// ---- helpers ----------------------------------------------------------------------------

async function scalar(db: Db, sql: string, params?: Record<string, unknown>): Promise<number> {
  const [row] = await db.query<{ v: number | string }>(sql, params);
  return Number(row?.v ?? 0);
}

/** Waits (at most `maxMs`) until no background merge runs; returns the ms waited. */
async function quiesce(db: Db, maxMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < maxMs) {
    if ((await scalar(db, 'SELECT count() AS v FROM system.merges')) === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return Math.round(performance.now() - started);
}

interface PassResult {
  pass_id: number;
  /** Tables with a background merge running when the pass started. */
  merges_at_start: string[];
  wall_ms: number;
  /** CPU seconds per wall second of the whole process (engine included) during the pass. */
  cpu_cores: number;
  evaluated: number;
  raised: PassSummary['raised'];
  cleared: PassSummary['cleared'];
  steps: StepTiming[];
  peak_rss_mb: number;
}

async function pass(db: Db, label: string): Promise<PassResult> {
  const merging = await db.query<{ table: string }>('SELECT table FROM system.merges');
  const steps: StepTiming[] = [];
  current = label;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const s = await runAnalysisPass(timed(db, steps), { models, maxClockSkewMs: config.max_clock_skew });
  const wall_ms = round(performance.now() - started, 1);
  const used = process.cpuUsage(cpu);
  // The engine runs in this process: its threads' CPU time is in process.cpuUsage().
  const cpu_cores = round((used.user + used.system) / 1000 / wall_ms, 2);
  log(`${label}: ${s.full ? 'full' : 'incremental'} pass ${s.pass_id}, ${s.evaluated.toLocaleString('en')} transactions in ${wall_ms} ms ` +
    `(${steps.map((x) => `${x.step} ${Math.round(x.ms)}`).join(', ')})`);
  return { pass_id: s.pass_id, merges_at_start: merging.map((m) => m.table), wall_ms, cpu_cores, evaluated: s.evaluated, raised: s.raised, cleared: s.cleared, steps, peak_rss_mb: Math.max(0, ...steps.map((x) => x.peak_rss_mb)) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// ---- diagnosis: the layers of the verdict query, timed apart ----------------------------

/** The subquery starting at `from` (a SELECT inside `FROM ( … )`): up to its closing parenthesis. */
function subqueryAt(sql: string, from: number): string {
  let depth = 0;
  for (let i = from; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth < 0) return sql.slice(from, i);
  }
  return sql.slice(from);
}

/**
 * Times the layers of lib's own verdict query over the whole events table (as a full pass
 * reads it), each as `… FORMAT Null` so every column is computed and nothing is sent:
 * planning alone (WHERE 0), the copy folding (GROUP BY tx_id, event_id), the per-transaction
 * arrays (GROUP BY tx_id), the sorted timelines, and the whole verdict (the rules).
 */
async function diagnose(db: Db): Promise<Record<string, unknown>> {
  const params = { ...modelParams(models), version: 1, now_us: Date.now() * 1000, skew_us: Math.round(config.max_clock_skew * 1000) };
  const full = verdictSelect('1');
  const at = (marker: string, before = false) => {
    const i = full.indexOf(marker);
    if (i < 0) return null;
    const select = before ? full.lastIndexOf('SELECT', i) : full.indexOf('SELECT', i);
    return subqueryAt(full, select);
  };
  const layers: [string, string | null][] = [
    ['1. copy folding: GROUP BY tx_id, event_id (scan + argMin)', at('-- copies of one event_id')],
    ['2. + per-transaction arrays: GROUP BY tx_id (groupArray)', at('groupArray(event_id)', true)],
    ['3. + sorted timelines (arraySort, arrayMap)', at('-- one timeline per transaction')],
    ['4. + the rules: the whole verdict SELECT', full],
  ];
  const timeIt = async (sql: string) => {
    resetPeakRss();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await db.command(`${sql}\nFORMAT Null`, params);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return { ms: Math.round(ms), cpu_cores: round((used.user + used.system) / 1000 / ms, 2), peak_rss_mb: peakRssMb() };
  };
  const out: Record<string, unknown> = { events: await scalar(db, 'SELECT count() AS v FROM events') };
  const plan: number[] = [];
  for (let i = 0; i < 3; i++) plan.push((await timeIt(verdictSelect('0'))).ms);
  out['0. planning only: verdict SELECT with WHERE 0 (min of 3)'] = Math.min(...plan);
  log(`diagnose: planning only ${Math.min(...plan)} ms`);
  for (const [name, sql] of layers) {
    if (!sql) {
      out[name] = 'marker not found in analysis-sql.ts';
      continue;
    }
    const t = await timeIt(sql);
    out[name] = t;
    log(`diagnose: ${name}: ${t.ms} ms, ${t.cpu_cores} cores, peak RSS ${t.peak_rss_mb} MB`);
  }
  return out;
}

/**
 * The per-transaction lookups an incremental pass makes, timed apart for the transactions
 * one fixed-size batch touched (pass `pass`): copies of lib's subqueries, each tx_id-keyed
 * table probed with the touched set (min of 3 runs).
 */
async function lookups(db: Db, pass: number): Promise<Record<string, unknown>> {
  const touched = `(SELECT tx_id FROM analysis_touched WHERE pass_id = ${pass})`;
  const probes: [string, string][] = [
    ['verdict SELECT planning only (WHERE 0)', verdictSelect('0')],
    ['tx_index: span of each touched transaction', `SELECT tx_id, min(min_ts), max(max_ts) FROM tx_index WHERE tx_id IN ${touched} GROUP BY tx_id`],
    ['tx_flags FINAL: verdicts of the touched transactions', `SELECT * FROM tx_flags FINAL WHERE tx_id IN ${touched}`],
    ['events: rows of the touched transactions, all hours', `SELECT * FROM events WHERE tx_id IN ${touched}`],
  ];
  const params = { ...modelParams(models), version: 1, now_us: Date.now() * 1000, skew_us: 0 };
  const out: Record<string, unknown> = {
    pass_id: pass,
    touched: await scalar(db, `SELECT count() AS v FROM analysis_touched WHERE pass_id = ${pass}`),
    tx_index_rows: await scalar(db, 'SELECT count() AS v FROM tx_index'),
    tx_flags_rows: await scalar(db, 'SELECT count() AS v FROM tx_flags'),
  };
  for (const [name, sql] of probes) {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await db.command(`${sql}\nFORMAT Null`, params);
      ms.push(performance.now() - started);
    }
    out[name] = Math.round(Math.min(...ms));
    log(`lookup: ${name}: ${out[name]} ms`);
  }
  return out;
}

// ---- the run ----------------------------------------------------------------------------

let stage = 'open';
// Which version of the pass this run measured (lib/ may change between runs).
const code = createHash('sha256');
for (const f of ['analysis-pass.ts', 'analysis-sql.ts', 'ddl.ts']) code.update(readFileSync(path.join(import.meta.dirname, '../lib/server/clickhouse', f)));
const result: Record<string, unknown> = { size: SIZE, batch_fixed: BATCH, tx_ids: IDS, code_sha256: code.digest('hex').slice(0, 12) };
try {
  const env = loadEnv({ DATA_DIR: args.data, LOG_LEVEL: 'warn' });
  const db = await openDb(env);
  await migrate(db, env.RETENTION_DAYS);

  // History: transactions at a constant rate, ending 75 min ago (their in-transaction spread
  // is at most ~9 min, so every history event is older than 1 h); inserted a few seconds after
  // each event, never later than 1 h ago.
  stage = 'generate history';
  const nowUs = Date.now() * 1000;
  const txCount = Math.round(SIZE / AVG_EVENTS_PER_TX);
  const historyEndUs = nowUs - 75 * 60_000_000;
  const historyStartUs = historyEndUs - txCount * TX_INTERVAL_US;
  let started = performance.now();
  await db.command(transactionsInsert({ history: true, ids: IDS }), {
    first: 0, count: txCount, start_us: historyStartUs, interval_us: TX_INTERVAL_US, cap_us: nowUs - HOUR_US, seed: SEED,
  });
  const generateMs = performance.now() - started;
  const events = await scalar(db, 'SELECT count() AS v FROM events');
  const [span] = await db.query<{ first: string; last: string; last_inserted: string; parts: number | string; partitions: number | string }>(
    `SELECT toString(min(ts)) AS first, toString(max(ts)) AS last, toString(max(inserted_at)) AS last_inserted,
            (SELECT count() FROM system.parts WHERE active AND database = currentDatabase() AND table = 'events') AS parts,
            (SELECT uniqExact(partition) FROM system.parts WHERE active AND database = currentDatabase() AND table = 'events') AS partitions
     FROM events`,
  );
  log(`generated ${events.toLocaleString('en')} events of ${txCount.toLocaleString('en')} transactions in ${Math.round(generateMs)} ms ` +
    `(${span?.first} … ${span?.last}, ${span?.partitions} day partitions, ${span?.parts} parts)`);
  result.history = {
    events,
    transactions: txCount,
    days: round((txCount * TX_INTERVAL_US) / 86_400e6, 2),
    events_per_hour: Math.round((events / (txCount * TX_INTERVAL_US)) * HOUR_US),
    first_ts: span?.first,
    last_ts: span?.last,
    last_inserted_at: span?.last_inserted,
    generate_ms: Math.round(generateMs),
    generate_events_per_s: Math.round(events / (generateMs / 1000)),
    parts_after_insert: Number(span?.parts ?? 0),
  };

  // A history that has been there a while is merged: merge it now rather than during the passes.
  stage = 'optimize';
  started = performance.now();
  if (!args['no-optimize']) {
    for (const t of ['events', 'tx_index', 'signal_events']) await db.command(`OPTIMIZE TABLE ${t} FINAL`);
  }
  const optimizeMs = Math.round(performance.now() - started);
  (result.history as Record<string, unknown>).optimize_ms = optimizeMs;
  (result.history as Record<string, unknown>).parts = await scalar(db, `SELECT count() AS v FROM system.parts WHERE active AND database = currentDatabase() AND table = 'events'`);
  (result.history as Record<string, unknown>).bytes_on_disk = await scalar(db, `SELECT sum(bytes_on_disk) AS v FROM system.parts WHERE active AND database = currentDatabase() AND table = 'events'`);
  log(`optimized in ${optimizeMs} ms; waited ${await quiesce(db, 120_000)} ms for merges`);

  stage = 'full pass';
  const full = await pass(db, 'full pass');
  result.full = { ...full, transactions_per_s: Math.round(full.evaluated / (full.wall_ms / 1000)) };

  // Later batches: new transactions over the last hour (started 60 to 10 min ago, so even
  // their settlements are in the past) and late events of the most recent history ones.
  let nextTx = txCount;
  let lateSkip = 0;
  async function insertBatch(eventsWanted: number): Promise<{ events: number; new_transactions: number; late_transactions: number; insert_ms: number }> {
    const lateTx = Math.round((eventsWanted * 0.2) / 2);
    const newTx = Math.round((eventsWanted - lateTx * 2) / AVG_EVENTS_PER_TX);
    if (lateSkip + lateTx > txCount) throw new Error('not enough history for the late events');
    const before = await scalar(db, 'SELECT count() AS v FROM events');
    const now = Date.now() * 1000;
    const ins = performance.now();
    await db.command(transactionsInsert({ history: false, ids: IDS }), {
      first: nextTx, count: newTx, start_us: now - HOUR_US, interval_us: Math.floor((50 * 60_000_000) / newTx), seed: SEED,
    });
    await db.command(lateEventsInsert({ ids: IDS }), { last: txCount - 1, skip: lateSkip, count: lateTx, now_us: now, seed: SEED });
    const insert_ms = Math.round(performance.now() - ins);
    nextTx += newTx;
    lateSkip += lateTx;
    const added = (await scalar(db, 'SELECT count() AS v FROM events')) - before;
    return { events: added, new_transactions: newTx, late_transactions: lateTx, insert_ms };
  }

  // A pass re-reads rows inserted up to WATERMARK_OVERLAP_US before the previous watermark.
  // Waiting that long after a batch makes the next pass see exactly this batch, and the idle
  // pass after it see nothing (in live operation a batch is re-read by every pass of the overlap).
  const pastOverlap = () => new Promise((r) => setTimeout(r, WATERMARK_OVERLAP_US / 1000 + 1000));
  const checkTouched = (p: PassResult, b: { new_transactions: number; late_transactions: number }) => {
    const expected = b.new_transactions + b.late_transactions;
    if (p.evaluated !== expected) log(`note: the pass evaluated ${p.evaluated} transactions, the batch touched ${expected}`);
  };

  const rounds: Record<string, unknown>[] = [];
  for (let r = 0; r < REPEAT; r++) {
    stage = `incremental ${r + 1}`;
    const merges_wait_ms = await quiesce(db, 60_000);
    const batch = await insertBatch(BATCH);
    log(`batch ${r + 1}: +${batch.events.toLocaleString('en')} events (${batch.new_transactions} new transactions, ${batch.late_transactions} with late events) in ${batch.insert_ms} ms`);
    await pastOverlap();
    const merges_before_pass_wait_ms = await quiesce(db, 60_000);
    const incremental = await pass(db, `incremental ${r + 1}`);
    checkTouched(incremental, batch);
    stage = `idle ${r + 1}`;
    const idle = await pass(db, `idle ${r + 1}`);
    rounds.push({ merges_wait_ms, merges_before_pass_wait_ms, batch, incremental, idle });
  }
  const incMs = rounds.map((x) => (x.incremental as PassResult).wall_ms);
  const idleMs = rounds.map((x) => (x.idle as PassResult).wall_ms);
  result.incremental = { batch_events: BATCH, median_ms: round(median(incMs), 1), samples_ms: incMs, idle_median_ms: round(median(idleMs), 1), idle_samples_ms: idleMs, rounds };

  // 1 % of this history's own size (the same as the fixed batch for the smallest size).
  stage = 'incremental 1% of size';
  const onePct = Math.round(SIZE / 100);
  const merges_wait_ms = await quiesce(db, 60_000);
  const batch = await insertBatch(onePct);
  log(`batch 1% of size: +${batch.events.toLocaleString('en')} events in ${batch.insert_ms} ms`);
  await pastOverlap();
  const merges_before_pass_wait_ms = await quiesce(db, 60_000);
  const incremental = await pass(db, 'incremental 1% of size');
  checkTouched(incremental, batch);
  stage = 'idle after 1% of size';
  const idle = await pass(db, 'idle after 1% of size');
  result.incremental_1pct = { batch_events: onePct, merges_wait_ms, merges_before_pass_wait_ms, batch, incremental, idle };

  stage = 'lookups';
  result.lookups = await lookups(db, (rounds.at(-1)!.incremental as PassResult).pass_id);
  if (args.diagnose) {
    stage = 'diagnose';
    result.diagnose = await diagnose(db);
  }

  stage = 'final counts';
  result.final = {
    events: await scalar(db, 'SELECT count() AS v FROM events'),
    tx_flags_rows: await scalar(db, 'SELECT count() AS v FROM tx_flags'),
    tx_index_rows: await scalar(db, 'SELECT count() AS v FROM tx_index'),
    flagged_now: await db.query(
      `SELECT sum(duplicate_delivery) AS duplicate_delivery, sum(duplicate_execution) AS duplicate_execution, sum(ordering) AS ordering,
              sum(divergence) AS divergence, countIf(NOT settled) AS unsettled, count() AS transactions
       FROM tx_flags FINAL`,
    ),
  };
  result.peak_rss_mb = Math.max(processPeakMb, peakRssMb());
  await db.close();
  result.total_s = round((performance.now() - t0) / 1000, 1);
  console.log(JSON.stringify(result));
} catch (err) {
  result.error = { stage, statement: current || null, message: err instanceof Error ? err.message : String(err) };
  result.total_s = round((performance.now() - t0) / 1000, 1);
  console.log(JSON.stringify(result));
  process.exitCode = 1;
}
