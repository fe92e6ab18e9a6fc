// Expected bands for the UI's drift charts: the product's RateDetector (the same one the
// worker's detection runs) is pushed every minute of history, and its expected rate and
// normal range are rolled up to the chart's step. Rolling up weighs each minute by its
// transactions, so a coarse bucket's band is the band of its pooled minutes, not an
// average of rates. Pure: arrays in, arrays out.
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
  /** Buckets in a day for the seasonal baseline (1440 for minutes). */
  period?: number;
}

/** Divergence is judged on settled transactions only, as detection does. */
export function judgedTotal(flag: FlagName, m: MinuteCounts): number {
  return Math.max(0, m.transactions - (flag === 'divergence' ? m.unsettled : 0));
}

/** Per minute and flag, the detector's verdict. `minutes` must be contiguous and ascending. */
export function minuteBands(minutes: MinuteCounts[], o: BandOptions): Record<FlagName, Band>[] {
  const out: Record<FlagName, Band>[] = minutes.map(() => ({}) as Record<FlagName, Band>);
  for (const flag of FLAGS) {
    const detector = new RateDetector({ period: o.period ?? 1440, log10Threshold: o.log10Threshold });
    minutes.forEach((m, i) => {
      const v = detector.push(m.counts[flag], judgedTotal(flag, m));
      out[i]![flag] = { expected: v.expected, lower: v.lower, upper: v.upper, anomalous: v.anomalous, judged: v.judged };
    });
  }
  return out;
}

/**
 * Rolls per-minute bands up to buckets of `stepMs` starting at `fromMs` (up to `toMs`):
 * transaction-weighted expected rate and range; a bucket without transactions takes the
 * plain mean of its minutes' bands.
 */
export function rollUpBands(minutes: MinuteCounts[], bands: Record<FlagName, Band>[], fromMs: number, toMs: number, stepMs: number): Record<FlagName, Band>[] {
  const n = Math.max(0, Math.ceil((toMs - fromMs) / stepMs));
  const acc = Array.from({ length: n }, () => Object.fromEntries(FLAGS.map((f) => [f, { w: 0, e: 0, l: 0, u: 0, k: 0, pe: 0, pl: 0, pu: 0, anomalous: false, judged: false }])) as Record<FlagName, Acc>);
  minutes.forEach((m, i) => {
    const b = Math.floor((m.t - fromMs) / stepMs);
    if (b < 0 || b >= n) return;
    for (const flag of FLAGS) {
      const v = bands[i]![flag];
      const a = acc[b]![flag];
      const w = judgedTotal(flag, m);
      a.w += w; a.e += w * v.expected; a.l += w * v.lower; a.u += w * v.upper;
      a.k += 1; a.pe += v.expected; a.pl += v.lower; a.pu += v.upper;
      a.anomalous ||= v.anomalous;
      a.judged ||= v.judged;
    }
  });
  return acc.map((bucket) => Object.fromEntries(FLAGS.map((f) => [f, finish(bucket[f])])) as Record<FlagName, Band>);
}

interface Acc { w: number; e: number; l: number; u: number; k: number; pe: number; pl: number; pu: number; anomalous: boolean; judged: boolean }

function finish(a: Acc): Band {
  if (a.w > 0) return { expected: a.e / a.w, lower: a.l / a.w, upper: a.u / a.w, anomalous: a.anomalous, judged: a.judged };
  const k = Math.max(1, a.k);
  return { expected: a.pe / k, lower: a.pl / k, upper: a.pu / k, anomalous: a.anomalous, judged: a.judged };
}
