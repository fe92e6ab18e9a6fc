// One analysis pass, inside ClickHouse. Incremental by watermark on `inserted_at`:
//  1. touched = transactions with rows inserted since the last committed watermark (minus a
//     small overlap, so a row whose insert was still committing is not missed), plus those
//     whose settle window has just elapsed (judged for divergence even with no new events);
//  2. every touched transaction is re-evaluated from ALL its events (late events can raise
//     or clear flags), reading only the hours each one spans, into analysis_verdicts;
//  3. signal_tx gets the signed difference between these verdicts and the ones in
//     tx_flags they replace (tx_flags holds committed verdicts only, so nothing a merge
//     does can hide the verdict being replaced);
//  4. the pass commits (one row in analysis_passes): its signal deltas now count;
//  5. the verdicts are applied to tx_flags (version = pass id), and the pass is marked applied.
// A crash before 4 leaves rows readers ignore and the next pass deletes; a crash between 4
// and 5 is finished by the next pass, which re-applies. Passes are safe to interrupt and to
// repeat. The first pass is a full one.
import 'server-only';
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import type { CompiledModel } from '@/lib/analysis/model';
import { modelParams, verdictSelect } from './analysis-sql';
import type { Db } from './client';

/** Re-read rows inserted this long before the last watermark (inserts still committing). */
export const WATERMARK_OVERLAP_US = 10_000_000;
/** A full pass evaluates the history in hash slices of about this many events (bounded memory). */
export const FULL_PASS_SLICE_EVENTS = 2_000_000;

export interface PassOptions {
  models: Map<string, CompiledModel>;
  maxClockSkewMs: number;
  /** Evaluation time, epoch µs; default: ClickHouse's clock. Tests pass it to be deterministic. */
  nowUs?: number;
  /** Re-evaluate every transaction, not only the touched ones. */
  full?: boolean;
}

export interface PassSummary {
  pass_id: number;
  full: boolean;
  /** Transactions evaluated. */
  evaluated: number;
  raised: Record<FlagName, number>;
  cleared: Record<FlagName, number>;
  duration_ms: number;
  /** Rows inserted up to this time (ISO) are covered. */
  watermark: string;
}

interface PassState {
  last_started: number | string;
  last_committed: number | string;
  last_applied: number | string;
  committed: number | string;
  watermark_us: number | string;
}

const TOUCHED = '(SELECT tx_id FROM analysis_touched WHERE pass_id = {pass:UInt64})';

export async function runAnalysisPass(db: Db, opts: PassOptions): Promise<PassSummary> {
  const started = performance.now();
  const [state] = await db.query<PassState>(
    `SELECT max(pass_id) AS last_started, maxIf(pass_id, status = 'committed') AS last_committed,
            maxIf(pass_id, status = 'applied') AS last_applied,
            countIf(status = 'committed') AS committed,
            toUnixTimestamp64Micro(argMaxIf(watermark, pass_id, status = 'committed')) AS watermark_us
     FROM analysis_passes`,
  );
  const lastStarted = Number(state?.last_started ?? 0);
  const lastCommitted = Number(state?.last_committed ?? 0);
  const full = opts.full === true || Number(state?.committed ?? 0) === 0;
  if (Number(state?.last_applied ?? 0) < lastCommitted) await apply(db, lastCommitted); // finish a pass cut off after commit
  if (lastStarted > lastCommitted) {
    // Debris of a pass that did not commit: its signal deltas must never count.
    await db.command(`DELETE FROM signal_tx WHERE pass_id > {lc:UInt64}`, { lc: lastCommitted });
  }
  const pass = lastStarted + 1;
  const nowUs = opts.nowUs ?? Number((await db.query<{ us: number | string }>('SELECT toUnixTimestamp64Micro(now64(6)) AS us'))[0]!.us);
  await db.command(
    `INSERT INTO analysis_passes (pass_id, status, watermark, full) VALUES ({pass:UInt64}, 'started', fromUnixTimestamp64Micro({now:Int64}, 'UTC'), {full:UInt8})`,
    { pass, now: nowUs, full: full ? 1 : 0 },
  );

  const touched = await collectTouched(db, pass, full, Number(state?.watermark_us ?? 0), nowUs, opts.models);
  const params = {
    ...modelParams(opts.models),
    pass,
    version: pass,
    now_us: nowUs,
    skew_us: Math.round(opts.maxClockSkewMs * 1000),
  };
  let summary: Pick<PassSummary, 'evaluated' | 'raised' | 'cleared'> = { evaluated: 0, raised: zeroFlags(), cleared: zeroFlags() };
  if (touched > 0) {
    if (full) {
      // Bounded memory: the whole history in hash slices of about FULL_PASS_SLICE_EVENTS events.
      const slices = Math.max(1, Math.ceil(Number((await db.query<{ n: number | string }>('SELECT count() AS n FROM events'))[0]!.n) / FULL_PASS_SLICE_EVENTS));
      for (let slice = 0; slice < slices; slice++) {
        await evaluate(db, `cityHash64(tx_id) % {slices:UInt32} = {slice:UInt32}`, { ...params, slices, slice });
      }
    } else {
      await evaluate(db, `tx_id IN ${TOUCHED} AND toStartOfHour(ts) IN (${HOURS_OF_TOUCHED})`, params);
    }
    // The verdicts being replaced, read once from tx_flags (committed verdicts only).
    await db.command(
      `INSERT INTO analysis_verdicts (pass_id, replaced, ${VERDICT_COLUMNS})
       SELECT {pass:UInt64}, 1, ${VERDICT_COLUMNS} FROM tx_flags FINAL WHERE tx_id IN ${TOUCHED}`,
      params,
    );
    await db.command(SIGNAL_DELTAS, params);
    summary = await summarize(db, params);
  }

  const duration_ms = Math.round(performance.now() - started);
  await db.command(
    `INSERT INTO analysis_passes (pass_id, status, watermark, full, evaluated, raised, cleared, duration_ms)
     VALUES ({pass:UInt64}, 'committed', fromUnixTimestamp64Micro({now:Int64}, 'UTC'), {full:UInt8}, {evaluated:UInt64}, {raised:String}, {cleared:String}, {ms:UInt32})`,
    { pass, now: nowUs, full: full ? 1 : 0, evaluated: summary.evaluated, raised: JSON.stringify(summary.raised), cleared: JSON.stringify(summary.cleared), ms: duration_ms },
  );
  await apply(db, pass);
  return { pass_id: pass, full, ...summary, duration_ms, watermark: new Date(nowUs / 1000).toISOString() };
}

/** Step 5: the committed pass's verdicts become the current ones. Idempotent. */
async function apply(db: Db, pass: number): Promise<void> {
  await db.command(`INSERT INTO tx_flags (${VERDICT_COLUMNS}) SELECT ${VERDICT_COLUMNS} FROM analysis_verdicts WHERE pass_id = {pass:UInt64} AND replaced = 0`, { pass });
  await db.command(
    `INSERT INTO analysis_passes (pass_id, status, watermark) SELECT pass_id, 'applied', watermark FROM analysis_passes WHERE pass_id = {pass:UInt64} AND status = 'committed'`,
    { pass },
  );
}

/** Fills analysis_touched for this pass; returns how many transactions it holds. */
async function collectTouched(db: Db, pass: number, full: boolean, watermarkUs: number, nowUs: number, models: Map<string, CompiledModel>): Promise<number> {
  if (full) {
    await db.command(`INSERT INTO analysis_touched (pass_id, tx_id) SELECT DISTINCT {pass:UInt64}, tx_id FROM events`, { pass });
    return countTouched(db, pass);
  }
  // New rows since the watermark, and rows whose transactions' settle windows elapse now.
  const windows: [number, number][] = [[watermarkUs - WATERMARK_OVERLAP_US, nowUs]];
  for (const settleUs of new Set([...models.values()].map((m) => m.settleAfterMs * 1000))) {
    windows.push([watermarkUs - settleUs - WATERMARK_OVERLAP_US, nowUs - settleUs]);
  }
  const params: Record<string, number> = { pass };
  const conditions = windows.map(([lo, hi], i) => {
    params[`lo${i}`] = lo;
    params[`hi${i}`] = hi;
    return `(inserted_at > fromUnixTimestamp64Micro({lo${i}:Int64}, 'UTC') AND inserted_at <= fromUnixTimestamp64Micro({hi${i}:Int64}, 'UTC'))`;
  });
  await db.command(
    `INSERT INTO analysis_touched (pass_id, tx_id) SELECT DISTINCT {pass:UInt64}, tx_id FROM events WHERE ${conditions.join(' OR ')}`,
    params,
  );
  return countTouched(db, pass);
}

async function countTouched(db: Db, pass: number): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(`SELECT count() AS n FROM analysis_touched WHERE pass_id = {pass:UInt64}`, { pass });
  return Number(row?.n ?? 0);
}

/** Step 2: verdicts of the transactions whose events match `where`, into analysis_verdicts. */
async function evaluate(db: Db, where: string, params: Record<string, unknown>): Promise<void> {
  await db.command(`INSERT INTO analysis_verdicts (pass_id, replaced, ${VERDICT_COLUMNS}) SELECT {pass:UInt64}, 0, * FROM (${verdictSelect(where)})`, params);
}

const zeroFlags = () => Object.fromEntries(FLAGS.map((f) => [f, 0])) as Record<FlagName, number>;

/** Every hour spanned by a touched transaction: the events table's primary key narrows reads to them. */
const HOURS_OF_TOUCHED = `
  SELECT DISTINCT arrayJoin(arrayMap(h -> toStartOfHour(lo + toIntervalHour(h)),
                                     range(toUInt64(dateDiff('hour', toStartOfHour(lo), toStartOfHour(hi)) + 1))))
  FROM (SELECT min(min_ts) AS lo, max(max_ts) AS hi FROM tx_index WHERE tx_id IN ${TOUCHED} GROUP BY tx_id)`;

const VERDICT_COLUMNS =
  'tx_id, version, tx_type, first_ts, last_ts, last_inserted_at, received, services, counted_services, ' +
  'duplicate_delivery, duplicate_execution, ordering, divergence, settled, reasons';

/** A flag counts for a service when one of its reasons is attributed to that service; '' is all services. */
const attributed = (flag: FlagName) =>
  `if(service = '', ${flag}, has(arrayMap(r -> r.service, arrayFilter(r -> r.flag = '${flag}', reasons)), service))`;

const DELTA_COLUMNS = ['transactions', 'unsettled', 'flagged', ...FLAGS] as const;

const SIGNAL_DELTAS = `
INSERT INTO signal_tx (minute, service, pass_id, ${DELTA_COLUMNS.join(', ')})
SELECT minute, service, {pass:UInt64},
       sum(sign) AS d_transactions,
       sum(sign * unsettled) AS d_unsettled,
       sum(sign * (${FLAGS.map((f) => `f_${f}`).join(' OR ')})) AS d_flagged,
       ${FLAGS.map((f) => `sum(sign * f_${f}) AS d_${f}`).join(',\n       ')}
FROM
(
  SELECT sign, toStartOfMinute(first_ts) AS minute, arrayJoin(arrayConcat([''], counted_services)) AS service,
         NOT settled AS unsettled, ${FLAGS.map((f) => `${attributed(f)} AS f_${f}`).join(', ')}
  FROM
  (
    SELECT if(replaced, -1, 1) AS sign, first_ts, counted_services, settled, reasons, ${FLAGS.join(', ')}
    FROM analysis_verdicts WHERE pass_id = {pass:UInt64}
  )
)
GROUP BY minute, service
HAVING ${DELTA_COLUMNS.map((c) => `d_${c} != 0`).join(' OR ')}`;

async function summarize(db: Db, params: Record<string, unknown>): Promise<Pick<PassSummary, 'evaluated' | 'raised' | 'cleared'>> {
  const cols = FLAGS.map((f) => `sum(n_${f} > p_${f}) AS raised_${f}, sum(n_${f} < p_${f}) AS cleared_${f}`).join(', ');
  const [row] = await db.query<Record<string, number | string>>(
    `SELECT count() AS evaluated, ${cols}
     FROM (SELECT tx_id, ${FLAGS.map((f) => `${f} AS n_${f}`).join(', ')} FROM analysis_verdicts WHERE pass_id = {pass:UInt64} AND replaced = 0) AS n
     LEFT JOIN (SELECT tx_id, ${FLAGS.map((f) => `${f} AS p_${f}`).join(', ')} FROM analysis_verdicts WHERE pass_id = {pass:UInt64} AND replaced = 1) AS p USING (tx_id)`,
    params,
  );
  const pick = (prefix: string) => Object.fromEntries(FLAGS.map((f) => [f, Number(row?.[`${prefix}_${f}`] ?? 0)])) as Record<FlagName, number>;
  return { evaluated: Number(row?.evaluated ?? 0), raised: pick('raised'), cleared: pick('cleared') };
}
