import { describe, expect, it } from 'vitest';
import type { Verdict } from './detector';
import { EpisodeTracker, type EpisodeEvent } from './episodes';

const v = (anomalous: boolean, score = anomalous ? 0.6 : 0.01, observed = anomalous ? 0.1 : 0.01): Verdict => ({
  expected: 0.01, lower: 0, upper: 0.03, observed, score, anomalous, kind: anomalous ? 'spike' : null, judged: true,
});
const MIN = 60_000;

function run(pattern: string, scores: Record<number, number> = {}): (EpisodeEvent & { at: number })[] {
  const t = new EpisodeTracker();
  const out: (EpisodeEvent & { at: number })[] = [];
  [...pattern].forEach((c, i) => {
    const ev = t.push(i * MIN, v(c === 'x', scores[i]), c === 'x' ? 10 : 1, 100);
    if (ev) out.push({ ...ev, at: i });
  });
  return out;
}

describe('EpisodeTracker', () => {
  it('does not open on one ordinary anomalous bucket (anti-flapping)', () => {
    expect(run('....x.....x.....')).toEqual([]);
  });

  it('opens on 2 of 3 anomalous buckets, starting at the first, and resolves after 5 normal ones', () => {
    const events = run('...x.xx.......');
    expect(events.map((e) => [e.type, e.at])).toEqual([['opened', 5], ['resolved', 11]]);
    const resolved = events[1]!.episode;
    expect(resolved.startMs).toBe(3 * MIN);
    expect(resolved.lastAnomalousMs).toBe(6 * MIN);
    expect(resolved.resolvedMs).toBe(11 * MIN);
    expect(resolved.anomalousBuckets).toBe(3);
    expect([resolved.count, resolved.sampleSize]).toEqual([30, 300]);
  });

  it('opens at once on one very strong bucket', () => {
    expect(run('...x......', { 3: 0.95 }).map((e) => [e.type, e.at])).toEqual([['opened', 3], ['resolved', 8]]);
  });

  it('keeps one episode through short gaps and reports the peak evidence', () => {
    const t = new EpisodeTracker();
    const events: EpisodeEvent[] = [];
    const pattern = 'xx..x.xx.......';
    [...pattern].forEach((c, i) => {
      const ev = t.push(i * MIN, v(c === 'x', i === 6 ? 0.8 : c === 'x' ? 0.6 : 0.01, i === 6 ? 0.25 : 0.1));
      if (ev) events.push(ev);
    });
    expect(events.map((e) => e.type)).toEqual(['opened', 'resolved']);
    expect(events[1]!.episode).toMatchObject({ peakScore: 0.8, observed: 0.25, anomalousBuckets: 5, startMs: 0, lastAnomalousMs: 7 * MIN });
  });

  it('shows the open episode while it lasts', () => {
    const t = new EpisodeTracker();
    t.push(0, v(true));
    expect(t.current).toBeNull();
    t.push(MIN, v(true));
    expect(t.current).toMatchObject({ startMs: 0, resolvedMs: null });
  });
});
