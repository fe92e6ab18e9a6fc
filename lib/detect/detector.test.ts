import { describe, expect, it } from 'vitest';
import { prng } from '@/test/support/prng';
import { RateDetector, ValueDetector, type Verdict } from './detector';


const DAY = 1440;
const finite = (v: Verdict) => [v.expected, v.lower, v.upper, v.observed, v.score].every(Number.isFinite);

describe('RateDetector', () => {
  /** A detector that has seen `n` buckets of exactly 2 % of 1,000. */
  const onTwoPercent = (n = 60) => {
    const d = new RateDetector();
    for (let i = 0; i < n; i++) d.push(20, 1000);
    return d;
  };

  it('weighs the evidence by volume: 3 of 10 on a 2 % baseline is not anomalous, 300 of 1,000 is', () => {
    const small = onTwoPercent().push(3, 10);
    expect(small.judged).toBe(true);
    expect(small.observed).toBeCloseTo(0.3);
    expect(small.expected).toBeCloseTo(0.02, 3);
    expect(small.anomalous).toBe(false);
    expect(small.score).toBeLessThan(0.5);

    const large = onTwoPercent().push(300, 1000);
    expect(large.anomalous).toBe(true);
    expect(large.kind).toBe('spike');
    expect(large.score).toBe(1);
    expect(large.upper).toBeGreaterThan(0.02);
    expect(large.upper).toBeLessThan(0.05);
  });

  it('does not judge the warm-up buckets, however extreme', () => {
    const d = new RateDetector();
    const verdicts = [d.push(900, 1000), ...Array.from({ length: 9 }, () => d.push(20, 1000))];
    expect(verdicts.map((v) => v.judged)).toEqual(Array(10).fill(false));
    expect(verdicts.some((v) => v.anomalous)).toBe(false);
    expect(d.push(20, 1000).judged).toBe(true);
  });

  it('does not judge an empty bucket', () => {
    const v = onTwoPercent().push(0, 0);
    expect(v).toMatchObject({ judged: false, anomalous: false, observed: 0 });
  });

  it('raises no anomalous bucket on a clean binomial week, with or without the daily period', () => {
    for (const period of [0, DAY]) {
      const r = prng(11);
      const d = new RateDetector({ period });
      let anomalous = 0;
      for (let i = 0; i < 7 * DAY; i++) {
        const total = Math.round(600 + 400 * Math.sin((2 * Math.PI * i) / DAY) + 20 * r.gauss());
        const v = d.push(r.binomial(total, 0.02), total);
        if (v.anomalous) anomalous++;
        expect(finite(v)).toBe(true);
      }
      expect(anomalous, `period ${period}`).toBe(0);
    }
  });

  it('catches a sustained small rise with the CUSUM although no single bucket is a spike', () => {
    const r = prng(5);
    const d = new RateDetector();
    for (let i = 0; i < 600; i++) expect(d.push(r.binomial(1000, 0.02), 1000).anomalous).toBe(false);
    // 2 % → 2.8 %: about +1.8 σ a bucket, p ≈ 0.05 each.
    const shifted = Array.from({ length: 120 }, () => d.push(r.binomial(1000, 0.028), 1000));
    expect(shifted.some((v) => v.kind === 'spike')).toBe(false);
    expect(shifted.every((v) => v.score < 0.5)).toBe(true);
    const first = shifted.findIndex((v) => v.kind === 'shift');
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(60);
    expect(shifted.slice(first).filter((v) => v.anomalous).length).toBeGreaterThan(0.5 * (120 - first));
  });

  it('does not learn from anomalous buckets: the expectation stays put through a long incident', () => {
    const r = prng(9);
    const d = new RateDetector();
    for (let i = 0; i < 300; i++) d.push(r.binomial(1000, 0.02), 1000);
    const incident = Array.from({ length: 500 }, () => d.push(r.binomial(1000, 0.1), 1000));
    expect(incident.every((v) => v.anomalous && v.kind === 'spike')).toBe(true);
    expect(incident[0]!.expected).toBeCloseTo(0.02, 3);
    for (const v of incident) expect(v.expected).toBe(incident[0]!.expected);
  });
});

describe('ValueDetector', () => {
  const noisy = (seed: number, n: number, level = 100, sd = 5) => {
    const r = prng(seed);
    const d = new ValueDetector();
    for (let i = 0; i < n; i++) d.push(level + sd * r.gauss());
    return d;
  };

  it('flags a spike and a dip on a noisy level, and not the ordinary values around them', () => {
    const r = prng(2);
    const d = new ValueDetector();
    const verdicts: Verdict[] = [];
    for (let i = 0; i < 600; i++) {
      const value = i === 400 ? 250 : i === 500 ? -50 : 100 + 5 * r.gauss();
      verdicts.push(d.push(value));
    }
    expect(verdicts[400]).toMatchObject({ anomalous: true, kind: 'spike', score: 1 });
    expect(verdicts[500]).toMatchObject({ anomalous: true, kind: 'dip', score: 1 });
    expect(verdicts.filter((v) => v.anomalous)).toHaveLength(2);
    expect(Math.abs(verdicts[400]!.expected - 100)).toBeLessThan(2); // median of a 60-bucket window: standard error ~0.8
    expect(verdicts[400]!.lower).toBeLessThan(100);
    expect(verdicts[400]!.upper).toBeGreaterThan(100);
  });

  it('does not judge the warm-up values', () => {
    const d = new ValueDetector();
    const verdicts = [1, 2, 1000, 2, 1, 2, 1, 2, 1, 2].map((v) => d.push(v));
    expect(verdicts.every((v) => !v.judged && !v.anomalous && v.score === 0)).toBe(true);
    expect(d.push(1.5).judged).toBe(true);
  });

  it('learns nothing from a spike: the baseline afterwards is as if it had not happened', () => {
    const [a, b] = [noisy(4, 300), noisy(4, 300)];
    expect(a.push(10_000).anomalous).toBe(true);
    const after = [101, 99, 103].map((v) => [a.push(v), b.push(v)]);
    for (const [va, vb] of after) expect(va!.expected).toBe(vb!.expected);
  });

  it('does not explode on a flat series', () => {
    for (const level of [0, 100, -3.5]) {
      const d = new ValueDetector();
      const verdicts = Array.from({ length: 500 }, () => d.push(level));
      expect(verdicts.some((v) => v.anomalous)).toBe(false);
      expect(verdicts.every(finite)).toBe(true);
      expect(verdicts.every((v) => v.score === 0)).toBe(true);
      // A wobble of 0.01 % of the level is ordinary; the σ floor keeps z finite.
      const wobble = d.push(level + Math.abs(level) * 1e-4);
      expect(finite(wobble)).toBe(true);
      expect(wobble.anomalous).toBe(false);
    }
  });

  it('passes missing values through without judging or learning them', () => {
    const [a, b] = [noisy(6, 200), noisy(6, 200)];
    expect(a.push(NaN)).toMatchObject({ judged: false, anomalous: false, score: 0 });
    expect(a.push(100).expected).toBe(b.push(100).expected);
  });

  // The CUSUM is off here (cusumThreshold: Infinity) to test the seasonal baseline on its own:
  // with the default CUSUM, a daily cycle of more than about 2 σ of noise trips the level-shift
  // alarm on the first day, and as anomalous values are not learned the detector then flags
  // nearly every later value, so the seasonal baseline never gets its two days of history
  // (reported as a detector bug).
  it('with a daily period, accepts the daily peak once 2 days are seen and flags the same excursion off-cycle', () => {
    const r = prng(3);
    const d = new ValueDetector({ period: DAY, cusumThreshold: Infinity });
    const level = (i: number) => 100 + 20 * Math.sin((2 * Math.PI * i) / DAY);
    let anomalous = 0;
    for (let i = 0; i < 3 * DAY; i++) if (d.push(level(i) + 2 * r.gauss()).anomalous) anomalous++;
    expect(anomalous).toBe(0);
    const peakAt = 3 * DAY + DAY / 4;
    const troughAt = 3 * DAY + (3 * DAY) / 4;
    let peak: Verdict | undefined;
    let offCycle: Verdict | undefined;
    for (let i = 3 * DAY; i <= troughAt; i++) {
      if (i === peakAt) peak = d.push(120);
      else if (i === troughAt) offCycle = d.push(120);
      else d.push(level(i) + 2 * r.gauss());
    }
    expect(peak!).toMatchObject({ anomalous: false });
    expect(peak!.expected).toBeCloseTo(120, -1);
    expect(offCycle!).toMatchObject({ anomalous: true, kind: 'spike' });
    expect(offCycle!.expected).toBeCloseTo(80, -1);
  });
});
