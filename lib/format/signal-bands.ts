// Expected bands for the UI's drift charts: the product's RateDetector (the same one the
// worker's detection runs, with the same threshold) is pushed every bucket of history at the
// chart's own step, so the band drawn is the normal range of the rate actually plotted (a
// 5-minute bucket pools five minutes of transactions, and its normal range is narrower than
// a minute's). Detection itself keeps judging minutes; episodes come from the anomalies API.
// Pure: arrays in, arrays out.
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import { RateDetector } from '@/lib/detect/detector';

export interface MinuteCounts {
  /** Bucket start, epoch ms. */
  t: number;
  transactions: number;
  /** Transactions whose divergence cannot be judged yet. */
  unsettled: number;
  counts: Record<FlagName, number>;
}

export interface Band {
  /** Expected rate, and the normal range at the detection threshold (rates, 0..1). */
  expected: number;
  lower: number;
  upper: number;
  /** At least one minute of the bucket was judged anomalous. */
  anomalous: boolean;
  /** False while the detector warms up over every minute of the bucket. */
  judged: boolean;
}

export interface BandOptions {
  log10Threshold: number;
  /** Bucket size in minutes; default 1. Sets the seasonal period and the one-day trailing window. */
  stepMinutes?: number;
}

/** Divergence is judged on settled transactions only, as detection does. */
export function judgedTotal(flag: FlagName, m: MinuteCounts): number {
  return Math.max(0, m.transactions - (flag === 'divergence' ? m.unsettled : 0));
}

/** Per bucket and flag, the detector's verdict. `minutes` (buckets) must be contiguous and ascending. */
export function minuteBands(minutes: MinuteCounts[], o: BandOptions): Record<FlagName, Band>[] {
  const perDay = Math.max(1, Math.round(1440 / (o.stepMinutes ?? 1)));
  // A daily cycle needs enough buckets a day to mean anything; one day of trailing baseline, as detection has.
  const opts = { period: perDay >= 24 ? perDay : 0, window: Math.max(perDay, 48), log10Threshold: o.log10Threshold };
  const out: Record<FlagName, Band>[] = minutes.map(() => ({}) as Record<FlagName, Band>);
  for (const flag of FLAGS) {
    const detector = new RateDetector(opts);
    minutes.forEach((m, i) => {
      const v = detector.push(m.counts[flag], judgedTotal(flag, m));
      out[i]![flag] = { expected: v.expected, lower: v.lower, upper: v.upper, anomalous: v.anomalous, judged: v.judged };
    });
  }
  return out;
}
