// SQL for the per-minute signals: events per (minute, service) from signal_events, and
// transaction counts and flag counts from the committed deltas in signal_tx. Coarser steps
// sum counts (rates are computed from the sums, never averaged). Missing buckets are zeros.
import 'server-only';
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import type { SignalsQuery } from '@/lib/domain/api';
import type { Db } from './client';

export interface SignalBucket {
  /** Bucket start, ISO 8601. */
  ts: string;
  events: number;
  transactions: number;
  /** Transactions whose divergence cannot be judged yet (inside their settle window). */
  unsettled: number;
  flagged: { count: number; rate: number };
  flags: Record<FlagName, { count: number; rate: number }>;
}

export interface SignalSeries {
  from: string;
  to: string;
  step_minutes: number;
  /** The service, or null for all services together. */
  service: string | null;
  buckets: SignalBucket[];
}

type Num = number | string;
interface TxRow { bucket_ms: Num; transactions: Num; unsettled: Num; flagged: Num; duplicate_delivery: Num; duplicate_execution: Num; ordering: Num; divergence: Num }

export async function getSignals(db: Db, q: SignalsQuery, signal?: AbortSignal): Promise<SignalSeries> {
  const stepMs = q.step * 60_000;
  const from = Math.floor(q.from / stepMs) * stepMs;
  const to = Math.ceil(q.to / stepMs) * stepMs;
  const params = { from, to, step: q.step, service: q.service ?? '' };
  const bucket = `toUnixTimestamp(toStartOfInterval(minute, INTERVAL {step:UInt32} MINUTE, 'UTC')) * 1000`;
  const range = `minute >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND minute < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`;
  const [txRows, eventRows] = await Promise.all([
    db.query<TxRow>(
      `SELECT ${bucket} AS bucket_ms, sum(transactions) AS transactions, sum(unsettled) AS unsettled, sum(flagged) AS flagged,
              ${FLAGS.map((f) => `sum(${f}) AS ${f}`).join(', ')}
       FROM signal_tx
       WHERE ${range} AND service = {service:String}
         AND pass_id <= (SELECT maxIf(pass_id, status = 'committed') FROM analysis_passes)
       GROUP BY bucket_ms`,
      params,
      signal,
    ),
    db.query<{ bucket_ms: Num; events: Num }>(
      `SELECT ${bucket} AS bucket_ms, sum(events) AS events FROM signal_events
       WHERE ${range} ${q.service ? 'AND service = {service:String}' : ''} GROUP BY bucket_ms`,
      params,
      signal,
    ),
  ]);
  const tx = new Map(txRows.map((r) => [Number(r.bucket_ms), r]));
  const ev = new Map(eventRows.map((r) => [Number(r.bucket_ms), Number(r.events)]));
  const buckets: SignalBucket[] = [];
  for (let t = from; t < to; t += stepMs) {
    const r = tx.get(t);
    const transactions = Number(r?.transactions ?? 0);
    const share = (n: Num | undefined) => ({ count: Number(n ?? 0), rate: transactions > 0 ? Number(n ?? 0) / transactions : 0 });
    buckets.push({
      ts: new Date(t).toISOString(),
      events: ev.get(t) ?? 0,
      transactions,
      unsettled: Number(r?.unsettled ?? 0),
      flagged: share(r?.flagged),
      flags: Object.fromEntries(FLAGS.map((f) => [f, share(r?.[f])])) as SignalBucket['flags'],
    });
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), step_minutes: q.step, service: q.service ?? null, buckets };
}
