// Streaming outlier detection over a series of buckets. A verdict depends only on its own
// bucket and earlier ones, so the same code scores a live series bucket by bucket, a CSV of
// any length, and a benchmark. Two kinds of series:
//  - rates from counts, (count, total) per bucket (e.g. 41 of 1,203 captures executed twice):
//    the evidence is a Poisson tail test of the count against total × baseline rate, quasi-
//    Poisson when the history is overdispersed, so 3 of 10 is weak and 300 of 1,000 strong;
//  - levels, a value per bucket (latency, queue depth, or a rate without counts): a robust
//    z-score against median/MAD.
// Both use a trailing baseline of buckets NOT judged anomalous (an incident does not teach
// the baseline it is normal), a seasonal baseline when enough days of history show a daily
// cycle, and a CUSUM of the standardized residuals for level shifts and slow drift. Pure.
import { log10NormalTwoSided, log10PoissonUpperTail, poissonUpperBound, robustCenter } from './stats';

export interface DetectorOptions {
  /** Buckets in a day (1440 for minutes): enables the seasonal baseline once 2 days are seen. */
  period?: number;
  /** Trailing baseline length in buckets; default 1440 (rates), 120 (levels). */
  window?: number;
  /** Buckets of history needed before a bucket is judged; default 10. */
  warmup?: number;
  /** p-value at or below which a bucket is anomalous, as log10; default −6 (one in a million). */
  log10Threshold?: number;
  /** CUSUM slack and decision threshold, in standard deviations; defaults 1 and 12 (rates), 2 and 15 (levels). */
  cusumSlack?: number;
  cusumThreshold?: number;
  /** Rates only: fewest excess counts over the expectation to call a bucket anomalous; default 3. */
  minExcess?: number;
  /** Rates only: prior rate and its weight in transactions (keeps the first buckets sane); defaults 0.001 and 200. */
  priorRate?: number;
  priorWeight?: number;
  /** Rates only: buckets with fewer transactions are reported but not judged; default 1. */
  minTotal?: number;
}

/** rule: an absolute rule from TXDRIFT_CONFIG (detection.rules) matched. */
export type AnomalyKind = 'spike' | 'shift' | 'dip' | 'rule';

export interface Verdict {
  /** Expected value: a rate (count/total) for rate series, a level for value series. */
  expected: number;
  /** Range of normal values at the threshold (rate or level). */
  lower: number;
  upper: number;
  /** Observed rate (count/total) or value. */
  observed: number;
  /** 0 = ordinary … 1 = p ≤ 1e-12; 0.5 is the default threshold (p = 1e-6). */
  score: number;
  anomalous: boolean;
  kind: AnomalyKind | null;
  /** False while warming up or below the volume guard. */
  judged: boolean;
}

const SCORE_SCALE = 12;
const scoreOf = (log10P: number) => Math.min(1, Math.max(0, -log10P / SCORE_SCALE));

interface Defaults {
  period: number;
  window: number;
  warmup: number;
  log10Threshold: number;
  cusumSlack: number;
  cusumThreshold: number;
}

function defaults(o: DetectorOptions): Defaults {
  return {
    period: o.period ?? 0,
    window: o.window ?? 1440,
    warmup: o.warmup ?? 10,
    log10Threshold: o.log10Threshold ?? -6,
    cusumSlack: o.cusumSlack ?? 1,
    cusumThreshold: o.cusumThreshold ?? 10,
  };
}

/**
 * One-sided CUSUM of standardized residuals (upward drift). Capped a little above its
 * threshold, so after an incident it clears within a few normal buckets instead of having
 * wound up for hours.
 */
class Cusum {
  private s = 0;
  constructor(private readonly slack: number, private readonly threshold: number) {}
  push(z: number): boolean {
    this.s = Math.min(this.threshold + 3 * this.slack, Math.max(0, this.s + Math.min(z, 6) - this.slack));
    return this.s > this.threshold;
  }
}

/** Sums of the last `size` pushed (count, total) pairs. */
class WindowSums {
  private readonly items: { count: number; total: number }[] = [];
  count = 0;
  total = 0;
  constructor(private readonly size: number) {}
  push(count: number, total: number): void {
    this.items.push({ count, total });
    this.count += count;
    this.total += total;
    if (this.items.length > this.size) {
      const old = this.items.shift()!;
      this.count -= old.count;
      this.total -= old.total;
    }
  }
  get length(): number {
    return this.items.length;
  }
  recent(k: number): { count: number; total: number }[] {
    return this.items.slice(-k);
  }
}

/**
 * Per time-of-day slot, the last 7 days of normal buckets: the seasonal baseline of slot s
 * pools slots s ± half over those days.
 */
class SeasonalSlots<T> {
  private readonly slots = new Map<number, { day: number; value: T }[]>();
  readonly half: number;
  constructor(readonly period: number) {
    this.half = Math.max(2, Math.round(period / 48));
  }
  add(i: number, value: T): void {
    const slot = i % this.period;
    const list = this.slots.get(slot) ?? [];
    list.push({ day: Math.floor(i / this.period), value });
    while (list.length > 7) list.shift();
    this.slots.set(slot, list);
  }
  /** Values near this time of day on the 7 previous days. */
  near(i: number): T[] {
    const day = Math.floor(i / this.period);
    const out: T[] = [];
    for (let d = -this.half; d <= this.half; d++) {
      const slot = (((i + d) % this.period) + this.period) % this.period;
      for (const e of this.slots.get(slot) ?? []) if (e.day < day && e.day >= day - 7) out.push(e.value);
    }
    return out;
  }
}

export class RateDetector {
  private readonly o: Defaults & { minExcess: number; priorRate: number; priorWeight: number; minTotal: number };
  private readonly window: WindowSums;
  private readonly seasonal: SeasonalSlots<{ count: number; total: number }> | null;
  private readonly cusum: Cusum;
  private n = 0;
  private phi = 1;

  constructor(opts: DetectorOptions = {}) {
    this.o = {
      ...defaults({ cusumThreshold: 12, ...opts }),
      minExcess: opts.minExcess ?? 3,
      priorRate: opts.priorRate ?? 0.001,
      priorWeight: opts.priorWeight ?? 200,
      minTotal: opts.minTotal ?? 1,
    };
    this.window = new WindowSums(this.o.window);
    this.seasonal = this.o.period ? new SeasonalSlots(this.o.period) : null;
    this.cusum = new Cusum(this.o.cusumSlack, this.o.cusumThreshold);
  }

  /** Scores the next bucket (count of flagged out of total), then learns from it if it is normal. */
  push(count: number, total: number): Verdict {
    const i = this.n++;
    const { priorRate, priorWeight } = this.o;
    const flat = (this.window.count + priorRate * priorWeight) / (this.window.total + priorWeight);
    const seasonalRate = this.seasonalRate(i);
    // With two days of history the same time of day is the baseline: comparing fits bucket by
    // bucket drowned in count noise and kept daily peaks looking like shifts (bench:detect).
    const useSeasonal = seasonalRate !== null && this.n > 2 * this.o.period;
    const p0 = useSeasonal ? seasonalRate : flat;
    const observed = total > 0 ? count / total : 0;
    const lambda = total * p0;
    const phi = this.phi;
    const judged = this.window.length >= this.o.warmup && total >= this.o.minTotal;
    // Quasi-Poisson: scale counts by the dispersion so overdispersed series are not over-alarmed.
    const log10P = total > 0 ? log10PoissonUpperTail(count / phi, lambda / phi) : 0;
    const upperCount = total > 0 ? poissonUpperBound(lambda / phi, this.o.log10Threshold) * phi : 0;
    const z = lambda > 0 ? (count - lambda) / Math.sqrt(phi * lambda) : count > 0 ? 6 : 0;
    const shifted = judged && this.cusum.push(z) && count > lambda;
    const spike = judged && log10P <= this.o.log10Threshold && count - lambda >= this.o.minExcess;
    const anomalous = spike || shifted;
    if (!anomalous && total > 0) {
      this.window.push(count, total);
      this.seasonal?.add(i, { count, total });
      if (i % 16 === 0) this.phi = this.dispersion(p0);
    }
    return {
      expected: p0,
      lower: 0,
      upper: total > 0 ? Math.min(1, upperCount / total) : p0,
      observed,
      score: scoreOf(log10P),
      anomalous,
      kind: spike ? 'spike' : shifted ? 'shift' : null,
      judged,
    };
  }

  private seasonalRate(i: number): number | null {
    if (!this.seasonal || this.n < 2 * this.o.period) return null;
    const near = this.seasonal.near(i);
    if (near.length < 10) return null;
    let count = 0;
    let total = 0;
    for (const p of near) {
      count += p.count;
      total += p.total;
    }
    return (count + this.o.priorRate * this.o.priorWeight) / (total + this.o.priorWeight);
  }

  /** Overdispersion of recent normal buckets around the baseline (median of z², normalised; 1 = Poisson), in [1, 25]. */
  private dispersion(p0: number): number {
    const recent = this.window.recent(240).filter((p) => p.total * p0 >= 1);
    if (recent.length < 20) return 1;
    const z2 = recent.map((p) => (p.count - p.total * p0) ** 2 / (p.total * p0)).sort((a, b) => a - b);
    return Math.min(25, Math.max(1, z2[Math.floor(z2.length / 2)]! / 0.455));
  }
}

/** The last `size` values, kept sorted for O(size) median and MAD. */
class SortedWindow {
  private readonly order: number[] = [];
  private readonly sorted: number[] = [];
  constructor(private readonly size: number) {}
  push(v: number): void {
    this.order.push(v);
    this.sorted.splice(lowerBound(this.sorted, v), 0, v);
    if (this.order.length > this.size) this.sorted.splice(lowerBound(this.sorted, this.order.shift()!), 1);
  }
  get length(): number {
    return this.sorted.length;
  }
  center(): { median: number; sigma: number } {
    const a = this.sorted;
    if (a.length === 0) return { median: 0, sigma: 0 };
    const med = medianOfSorted(a);
    // MAD: the median of |x − med|, merged from both sides of the median without sorting.
    let lo = lowerBound(a, med) - 1;
    let hi = lo + 1;
    const devs: number[] = [];
    while (devs.length < a.length) {
      const dl = lo >= 0 ? med - a[lo]! : Infinity;
      const dh = hi < a.length ? a[hi]! - med : Infinity;
      if (dl <= dh) {
        devs.push(dl);
        lo--;
      } else {
        devs.push(dh);
        hi++;
      }
    }
    return { median: med, sigma: 1.4826 * medianOfSorted(devs) };
  }
}

function lowerBound(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function medianOfSorted(a: number[]): number {
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

export class ValueDetector {
  private readonly o: Defaults;
  private readonly window: SortedWindow;
  private readonly seasonal: SeasonalSlots<number> | null;
  private readonly cusumUp: Cusum;
  private readonly cusumDown: Cusum;
  private n = 0;

  constructor(opts: DetectorOptions = {}) {
    // A short window (the flat baseline must follow a daily cycle until seasonality takes over)
    // and a CUSUM for clear shifts only: measured best on bench:detect's level series.
    this.o = defaults({ window: 120, cusumSlack: 2, cusumThreshold: 15, ...opts });
    this.window = new SortedWindow(this.o.window);
    this.seasonal = this.o.period ? new SeasonalSlots(this.o.period) : null;
    this.cusumUp = new Cusum(this.o.cusumSlack, this.o.cusumThreshold);
    this.cusumDown = new Cusum(this.o.cusumSlack, this.o.cusumThreshold);
  }

  /** Scores the next value, then learns from it if it is normal. */
  push(value: number): Verdict {
    const i = this.n++;
    const base = this.baseline(i);
    const judged = this.window.length >= this.o.warmup && Number.isFinite(value);
    // A floor on σ: a flat series would otherwise call any wobble infinitely surprising.
    const sigma = Math.max(base.sigma, 1e-9, Math.abs(base.median) * 0.001);
    const z = (value - base.median) / sigma;
    const log10P = judged ? log10NormalTwoSided(z) : 0;
    const up = judged && this.cusumUp.push(z);
    const down = judged && this.cusumDown.push(-z);
    const spike = judged && log10P <= this.o.log10Threshold;
    const anomalous = spike || up || down;
    // Point outliers never enter the baseline. Buckets flagged only by the CUSUM do: a level
    // series legitimately moves (load, daily cycles), and refusing every shifted value would
    // freeze the baseline and flag everything after it.
    if (!spike && Number.isFinite(value)) {
      this.window.push(value);
      this.seasonal?.add(i, value);
    }
    const zThr = zForLog10TwoSided(this.o.log10Threshold);
    return {
      expected: base.median,
      lower: base.median - zThr * sigma,
      upper: base.median + zThr * sigma,
      observed: value,
      score: judged ? scoreOf(log10P) : 0,
      anomalous,
      kind: spike ? (z > 0 ? 'spike' : 'dip') : up || down ? 'shift' : null,
      judged,
    };
  }

  private baseline(i: number): { median: number; sigma: number } {
    const flat = this.window.center();
    if (!this.seasonal || this.n < 2 * this.o.period) return flat;
    const near = this.seasonal.near(i);
    if (near.length < 10) return flat;
    const seasonal = robustCenter(near);
    // Seasonal when same-time-of-day values are tighter than the recent window.
    return seasonal.sigma < 0.8 * flat.sigma ? seasonal : flat;
  }
}

const Z_CACHE = new Map<number, number>();

function zForLog10TwoSided(log10P: number): number {
  const cached = Z_CACHE.get(log10P);
  if (cached !== undefined) return cached;
  let lo = 0;
  let hi = 40;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (log10NormalTwoSided(mid) > log10P) lo = mid;
    else hi = mid;
  }
  Z_CACHE.set(log10P, hi);
  return hi;
}
