// The drift charts' data: the signals of a range plus, per bucket and flag, the expected
// band of the product's detector, scored over the same whole days of minutes the worker's
// detection uses (2 days before the range's first day), so the band drawn is the band
// detection judged against.
import 'server-only';
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import type { SignalBandsQuery } from '@/lib/domain/api';
import { minuteBands, rollUpBands, type Band, type MinuteCounts } from '@/lib/format/signal-bands';
import type { Db } from './clickhouse/client';
import { getSignals, type SignalBucket, type SignalSeries } from './clickhouse/signals';

const MIN = 60_000;
const DAY = 86_400_000;

export interface BandedSeries extends SignalSeries {
  buckets: (SignalBucket & { bands: Record<FlagName, Band> })[];
}

export async function getSignalBands(db: Db, q: SignalBandsQuery, log10Threshold: number, signal?: AbortSignal): Promise<BandedSeries> {
  const stepMs = q.step * MIN;
  const historyFrom = Math.floor(q.from / DAY) * DAY - 2 * DAY;
  const to = Math.ceil(q.to / stepMs) * stepMs;
  const [minutes, series] = await Promise.all([
    getSignals(db, { from: historyFrom, to, step: 1, service: q.service }, signal),
    getSignals(db, { ...q, to }, signal),
  ]);
  const counts: MinuteCounts[] = minutes.buckets.map((b) => ({
    t: Date.parse(b.ts),
    transactions: b.transactions,
    unsettled: b.unsettled,
    counts: Object.fromEntries(FLAGS.map((f) => [f, b.flags[f].count])) as Record<FlagName, number>,
  }));
  const fromMs = Date.parse(series.from);
  const bands = rollUpBands(counts, minuteBands(counts, { log10Threshold }), fromMs, Date.parse(series.to), stepMs);
  return { ...series, buckets: series.buckets.map((b, i) => ({ ...b, bands: bands[i]! })) };
}
