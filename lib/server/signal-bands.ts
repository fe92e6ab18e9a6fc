// The drift charts' data: the signals of a range plus, per bucket and flag, the expected
// band of the product's detector, scored at the chart's step over the same whole days of
// history the worker's detection uses (from 2 days before the range's first day).
import 'server-only';
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import type { SignalBandsQuery } from '@/lib/domain/api';
import { minuteBands, type Band, type MinuteCounts } from '@/lib/format/signal-bands';
import type { Db } from './clickhouse/client';
import { getSignals, type SignalBucket, type SignalSeries } from './clickhouse/signals';

const MIN = 60_000;
const DAY = 86_400_000;

export interface BandedSeries extends SignalSeries {
  buckets: (SignalBucket & { bands: Record<FlagName, Band> })[];
}

export async function getSignalBands(db: Db, q: SignalBandsQuery, log10Threshold: number, signal?: AbortSignal): Promise<BandedSeries> {
  const stepMs = q.step * MIN;
  const from = Math.floor(q.from / stepMs) * stepMs;
  const historyFrom = Math.floor((Math.floor(q.from / DAY) * DAY - 2 * DAY) / stepMs) * stepMs;
  const to = Math.ceil(q.to / stepMs) * stepMs;
  // One read from the start of the history: its tail is the range itself.
  const series = await getSignals(db, { from: historyFrom, to, step: q.step, service: q.service }, signal);
  const counts: MinuteCounts[] = series.buckets.map((b) => ({
    t: Date.parse(b.ts),
    transactions: b.transactions,
    unsettled: b.unsettled,
    counts: Object.fromEntries(FLAGS.map((f) => [f, b.flags[f].count])) as Record<FlagName, number>,
  }));
  const bands = minuteBands(counts, { log10Threshold, stepMinutes: q.step });
  const first = Math.round((from - historyFrom) / stepMs);
  return {
    ...series,
    from: new Date(from).toISOString(),
    buckets: series.buckets.slice(first).map((b, i) => ({ ...b, bands: rounded(bands[first + i]!) })),
  };
}

/** Four significant digits are plenty for a chart and cut the page's payload by half. */
function rounded(bands: Record<FlagName, Band>): Record<FlagName, Band> {
  const r = (x: number) => Number(x.toPrecision(4));
  return Object.fromEntries(FLAGS.map((f) => [f, { ...bands[f], expected: r(bands[f].expected), lower: r(bands[f].lower), upper: r(bands[f].upper) }])) as Record<FlagName, Band>;
}
