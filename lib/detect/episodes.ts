// Anomaly episodes over a stream of bucket verdicts of one signal × service: an episode
// opens when N of the last M buckets are anomalous (against flapping), or at once on one
// very strong bucket, and resolves after K consecutive normal buckets. It keeps the
// evidence an SRE asks for: peak score, observed vs expected at the peak, the normal range,
// and the sample size. Pure.
import type { Verdict } from './detector';

export interface EpisodeOptions {
  /** Open when `openN` of the last `openM` buckets are anomalous; defaults 2 of 3. */
  openN?: number;
  openM?: number;
  /** One bucket at or above this score opens at once; default 0.9 (p ≤ 1e-10.8). */
  strongScore?: number;
  /** Resolve after this many consecutive normal buckets; default 5. */
  resolveAfter?: number;
}

export interface Episode {
  /** Start of the first anomalous bucket, epoch ms. */
  startMs: number;
  /** Start of the last anomalous bucket (the episode covers it), epoch ms. */
  lastAnomalousMs: number;
  /** Set once resolved: start of the bucket that confirmed the recovery. */
  resolvedMs: number | null;
  peakScore: number;
  /** At the peak bucket. */
  observed: number;
  expected: number;
  lower: number;
  upper: number;
  /** Totals over the episode's anomalous buckets (transactions, flagged). */
  sampleSize: number;
  count: number;
  anomalousBuckets: number;
}

export type EpisodeEvent = { type: 'opened' | 'resolved'; episode: Episode };

interface Recent {
  tsMs: number;
  verdict: Verdict;
  count: number;
  total: number;
}

export class EpisodeTracker {
  private readonly o: Required<EpisodeOptions>;
  private recent: Recent[] = [];
  private open: Episode | null = null;
  private normalStreak = 0;

  constructor(opts: EpisodeOptions = {}) {
    this.o = { openN: opts.openN ?? 2, openM: opts.openM ?? 3, strongScore: opts.strongScore ?? 0.9, resolveAfter: opts.resolveAfter ?? 5 };
  }

  get current(): Episode | null {
    return this.open;
  }

  /** Feeds the next bucket; answers the episode that opened or resolved with it, if any. */
  push(tsMs: number, verdict: Verdict, count = 0, total = 0): EpisodeEvent | null {
    this.recent.push({ tsMs, verdict, count, total });
    if (this.recent.length > this.o.openM) this.recent.shift();

    if (this.open) {
      if (verdict.anomalous) {
        this.normalStreak = 0;
        absorb(this.open, { tsMs, verdict, count, total });
        return null;
      }
      this.normalStreak += 1;
      if (this.normalStreak < this.o.resolveAfter) return null;
      const done = { ...this.open, resolvedMs: tsMs };
      this.open = null;
      this.normalStreak = 0;
      return { type: 'resolved', episode: done };
    }

    const anomalous = this.recent.filter((r) => r.verdict.anomalous);
    const strong = verdict.anomalous && verdict.score >= this.o.strongScore;
    if (!strong && anomalous.length < this.o.openN) return null;
    const first = strong && anomalous.length < this.o.openN ? this.recent.at(-1)! : anomalous[0]!;
    const episode: Episode = {
      startMs: first.tsMs,
      lastAnomalousMs: first.tsMs,
      resolvedMs: null,
      peakScore: -1,
      observed: 0,
      expected: 0,
      lower: 0,
      upper: 0,
      sampleSize: 0,
      count: 0,
      anomalousBuckets: 0,
    };
    for (const r of anomalous) if (r.tsMs >= first.tsMs) absorb(episode, r);
    this.open = episode;
    this.normalStreak = verdict.anomalous ? 0 : 1;
    return { type: 'opened', episode: { ...episode } };
  }
}

function absorb(e: Episode, r: Recent): void {
  e.lastAnomalousMs = Math.max(e.lastAnomalousMs, r.tsMs);
  e.sampleSize += r.total;
  e.count += r.count;
  e.anomalousBuckets += 1;
  if (r.verdict.score > e.peakScore) {
    e.peakScore = r.verdict.score;
    e.observed = r.verdict.observed;
    e.expected = r.verdict.expected;
    e.lower = r.verdict.lower;
    e.upper = r.verdict.upper;
  }
}
