// Shaping the signals API for the overview: chart series per flag (observed rate against
// the detector's band), the tiles' "now vs baseline" figures, and evidence in sentences.
// Pure.
import { FLAGS, type FlagName } from '@/lib/analysis/flags';
import { formatCount, formatPercent } from './number';

export interface BandRate { expected: number; lower: number; upper: number; anomalous: boolean; judged?: boolean }
export interface ApiBucket {
  ts: string;
  events: number;
  transactions: number;
  unsettled: number;
  flags: Record<FlagName, { count: number; rate: number }>;
  bands?: Record<FlagName, BandRate>;
}

export const FLAG_LABEL: Record<FlagName, string> = {
  duplicate_delivery: 'Duplicate delivery',
  duplicate_execution: 'Duplicate execution',
  ordering: 'Ordering',
  divergence: 'Divergence',
};

const FLAG_VERB: Record<FlagName, string> = {
  duplicate_delivery: 'had an event delivered more than once',
  duplicate_execution: 'were executed twice',
  ordering: 'had steps out of order or on stale state',
  divergence: 'ended with services disagreeing',
};

export interface RatePoint {
  t: number;
  /** Observed rate, null where no transaction was judged. */
  observed: number | null;
  expected: number;
  /** [lower, upper] of the normal range. */
  band: [number, number];
  count: number;
  total: number;
  anomalous: boolean;
}

const judged = (flag: FlagName, b: ApiBucket) => Math.max(0, b.transactions - (flag === 'divergence' ? b.unsettled : 0));

export function toRateSeries(buckets: ApiBucket[], flag: FlagName): RatePoint[] {
  return buckets.map((b) => {
    const total = judged(flag, b);
    const band = b.bands?.[flag];
    const count = b.flags[flag].count;
    return {
      t: Date.parse(b.ts),
      observed: total > 0 ? count / total : null,
      expected: band?.expected ?? 0,
      band: [band?.lower ?? 0, band?.upper ?? 0],
      count,
      total,
      anomalous: band?.anomalous ?? false,
    };
  });
}

export interface VolumePoint { t: number; events: number; transactions: number }

export function toVolumeSeries(buckets: ApiBucket[]): VolumePoint[] {
  return buckets.map((b) => ({ t: Date.parse(b.ts), events: b.events, transactions: b.transactions }));
}

export interface Tile { label: string; value: number; baseline: number; kind: 'per_min' | 'rate'; flag?: FlagName; detail: string; count?: number; expectedCount?: number }

/**
 * The tiles: the last ~15 minutes of complete buckets (the newest, still filling, is left
 * out) against the rest of the range (volumes) or the detector's expectation (flag rates).
 */
export function toTiles(buckets: ApiBucket[], stepMinutes: number): Tile[] {
  const complete = buckets.length > 1 ? buckets.slice(0, -1) : buckets;
  const k = Math.max(1, Math.ceil(15 / stepMinutes));
  const recent = complete.slice(-k);
  const older = complete.length > k ? complete.slice(0, -k) : complete;
  // The volume baseline starts where data starts: empty hours before the first event are not "normal".
  const firstData = older.findIndex((b) => b.events > 0);
  const before = firstData > 0 ? older.slice(firstData) : older;
  const sum = (xs: ApiBucket[], f: (b: ApiBucket) => number) => xs.reduce((s, b) => s + f(b), 0);
  const perMin = (xs: ApiBucket[], f: (b: ApiBucket) => number) => (xs.length ? sum(xs, f) / (xs.length * stepMinutes) : 0);
  const minutes = recent.length * stepMinutes;
  const tiles: Tile[] = [
    { label: 'Events / min', kind: 'per_min', value: perMin(recent, (b) => b.events), baseline: perMin(before, (b) => b.events), detail: `last ${minutes} min vs the rest of the range` },
    { label: 'Transactions / min', kind: 'per_min', value: perMin(recent, (b) => b.transactions), baseline: perMin(before, (b) => b.transactions), detail: `last ${minutes} min vs the rest of the range` },
  ];
  for (const flag of FLAGS) {
    const total = sum(recent, (b) => judged(flag, b));
    const count = sum(recent, (b) => b.flags[flag].count);
    const expectedCount = sum(recent, (b) => judged(flag, b) * (b.bands?.[flag].expected ?? 0));
    tiles.push({
      label: FLAG_LABEL[flag],
      flag,
      kind: 'rate',
      value: total > 0 ? count / total : 0,
      baseline: total > 0 ? expectedCount / total : 0,
      detail: `${formatCount(count)} of ${formatCount(total)} transactions in the last ${minutes} min`,
      count,
      expectedCount,
    });
  }
  return tiles;
}

/** "41 of 1,203 transactions on payments were executed twice, expected about 1 (0.083%)." */
export function evidenceSentence(a: { signal: FlagName; service: string; flagged: number; sample_size: number; expected: number }): string {
  const where = a.service ? ` on ${a.service}` : '';
  const expectedCount = a.expected * a.sample_size;
  const expected = expectedCount >= 0.5 ? `about ${formatCount(Math.round(expectedCount))}` : expectedCount > 0 ? 'fewer than 1' : 'none';
  return `${formatCount(a.flagged)} of ${formatCount(a.sample_size)} transactions${where} ${FLAG_VERB[a.signal]}, expected ${expected} (${formatPercent(a.expected)}).`;
}

/**
 * A tile's change in words. Flag rates are judged on counts: a count within Poisson noise of
 * its expectation (|count − expected| ≤ 2·√expected + 1) is "at baseline", so 0 of 240 where
 * 0.15 were expected is not "100% below".
 */
export function tileChange(t: Tile, ratioWords: (value: number, baseline: number) => string): string {
  if (t.kind === 'rate' && t.count !== undefined && t.expectedCount !== undefined) {
    if (Math.abs(t.count - t.expectedCount) <= 2 * Math.sqrt(t.expectedCount) + 1) return 'at baseline';
  }
  return ratioWords(t.value, t.baseline);
}

/**
 * Top of a rate chart's y axis: the highest observed rate or expectation, and the band only
 * where enough transactions were judged (the normal range of a bucket with 1 transaction
 * reaches 100% and would flatten everything else). At least 1%.
 */
export function rateAxisMax(points: RatePoint[], minTotal = 20): number {
  let max = 0.01;
  for (const p of points) {
    max = Math.max(max, p.observed ?? 0, p.expected);
    if (p.total >= minTotal) max = Math.max(max, p.band[1]);
  }
  return max * 1.1;
}
