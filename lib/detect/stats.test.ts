import { describe, expect, it } from 'vitest';
import { lnGamma, log10NormalTwoSided, log10PoissonLowerTail, log10PoissonUpperTail, poissonUpperBound, robustCenter } from './stats';

/** log10 P(X ≥ k), X ~ Poisson(λ), by direct summation of the terms j = k … k + 400 in log space (an independent reference). */
function referenceLog10Tail(k: number, lambda: number): number {
  let lnFact = 0;
  for (let j = 2; j <= k; j++) lnFact += Math.log(j);
  const logs: number[] = [];
  for (let j = k; j <= k + 400; j++) {
    if (j > k) lnFact += Math.log(j);
    logs.push(-lambda + j * Math.log(lambda) - lnFact);
  }
  const max = Math.max(...logs);
  return (max + Math.log(logs.reduce((s, l) => s + Math.exp(l - max), 0))) / Math.LN10;
}

describe('lnGamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(11)).toBeCloseTo(Math.log(3_628_800), 10);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });
});

describe('log10PoissonUpperTail', () => {
  it('matches known tail probabilities', () => {
    // P(X ≥ 3 | λ = 0.3) = 1 − e^−0.3 (1 + 0.3 + 0.045) = 0.0035995
    expect(10 ** log10PoissonUpperTail(3, 0.3)).toBeCloseTo(0.0035995, 7);
    expect(10 ** log10PoissonUpperTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 10);
    expect(10 ** log10PoissonUpperTail(6, 0.3)).toBeCloseTo(7.8347e-7, 10);
    // k ≤ λ (the complement of the lower sum): P(X ≥ 2 | λ = 5) = 1 − 6e^−5
    expect(10 ** log10PoissonUpperTail(2, 5)).toBeCloseTo(1 - 6 * Math.exp(-5), 10);
  });

  it('agrees with direct summation across the range', () => {
    for (const [k, lambda] of [
      [3, 0.3],
      [30, 10],
      [60, 20],
      [150, 100],
      [1300, 1000],
    ] as const) {
      expect(log10PoissonUpperTail(k, lambda)).toBeCloseTo(referenceLog10Tail(k, lambda), 8);
    }
  });

  it('stays finite far into the tail, as a logarithm', () => {
    const tiny = log10PoissonUpperTail(1000, 1);
    expect(Number.isFinite(tiny)).toBe(true);
    expect(tiny).toBeCloseTo(-2568.0385, 3);
    expect(tiny).toBeCloseTo(referenceLog10Tail(1000, 1), 6);
    expect(Number.isFinite(log10PoissonUpperTail(300, 20))).toBe(true);
    expect(log10PoissonUpperTail(300, 20)).toBeLessThan(-200);
  });

  it('is 0 for k ≤ 0, −∞ for λ = 0, and decreasing in k', () => {
    expect(log10PoissonUpperTail(0, 3)).toBe(0);
    expect(log10PoissonUpperTail(-1, 3)).toBe(0);
    expect(log10PoissonUpperTail(1, 0)).toBe(-Infinity);
    let prev = 0;
    for (let k = 1; k <= 80; k++) {
      const p = log10PoissonUpperTail(k, 20);
      expect(p).toBeLessThanOrEqual(prev + 1e-12);
      prev = p;
    }
  });
});

describe('log10PoissonLowerTail', () => {
  it('matches known values', () => {
    expect(10 ** log10PoissonLowerTail(2, 0.3)).toBeCloseTo(0.9964005, 7);
    expect(10 ** log10PoissonLowerTail(0, 2)).toBeCloseTo(Math.exp(-2), 12);
    expect(log10PoissonLowerTail(-1, 2)).toBe(-Infinity);
  });
});

describe('poissonUpperBound', () => {
  it('is the smallest count whose upper tail is at or below the threshold', () => {
    expect(poissonUpperBound(0.3, -6)).toBe(6);
    expect(poissonUpperBound(5, -6)).toBe(20);
    expect(poissonUpperBound(20, -6)).toBe(46);
    expect(poissonUpperBound(100, -6)).toBe(152);
    for (const lambda of [0.01, 0.3, 2, 20, 100, 1000, 20_000]) {
      for (const log10P of [-3, -6, -12]) {
        const u = poissonUpperBound(lambda, log10P);
        expect(log10PoissonUpperTail(u, lambda)).toBeLessThanOrEqual(log10P);
        expect(log10PoissonUpperTail(u - 1, lambda)).toBeGreaterThan(log10P);
      }
    }
  });

  it('is 1 when nothing is expected', () => {
    expect(poissonUpperBound(0, -6)).toBe(1);
  });
});

describe('log10NormalTwoSided', () => {
  // Only where it is right: between |z| = 3.09 and 8 it is stuck at log10(0.002) (see the
  // report on simple-statistics' 4-decimal CDF table), so no assertion covers that range.
  it('matches the two-sided normal tail below |z| = 3 and in the asymptotic range', () => {
    expect(log10NormalTwoSided(1.96)).toBeCloseTo(Math.log10(0.05), 2);
    expect(log10NormalTwoSided(-1.96)).toBe(log10NormalTwoSided(1.96));
    expect(log10NormalTwoSided(0)).toBeCloseTo(0, 6);
    // P(|Z| ≥ 10) = 1.5240e-23, P(|Z| ≥ 20) = 5.5084e-89
    expect(log10NormalTwoSided(10)).toBeCloseTo(Math.log10(1.524e-23), 1);
    expect(log10NormalTwoSided(20)).toBeCloseTo(Math.log10(5.5084e-89), 1);
    expect(Number.isFinite(log10NormalTwoSided(1000))).toBe(true);
  });
});

describe('robustCenter', () => {
  it('is the median and 1.4826 × MAD, unmoved by an outlier', () => {
    expect(robustCenter([1, 2, 3, 4, 100])).toEqual({ median: 3, sigma: 1.4826 });
    expect(robustCenter([])).toEqual({ median: 0, sigma: 0 });
    expect(robustCenter([7, 7, 7])).toEqual({ median: 7, sigma: 0 });
  });
});
