// Tail probabilities and robust summaries used by detection. Pure; `simple-statistics`
// supplies the median and MAD; the Poisson and normal tails are computed here in log space
// (its Poisson helpers tabulate the whole distribution and its normal CDF is a coarse table).
import { median, medianAbsoluteDeviation } from 'simple-statistics';

const LN10 = Math.log(10);

/** ln Γ(x) (Lanczos, |error| < 1e-13 for x > 0). */
export function lnGamma(x: number): number {
  const g = [676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  let a = 0.9999999999998099;
  const t = x + 6.5;
  for (let i = 0; i < g.length; i++) a += g[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x - 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * log10 P(X ≥ k) for X ~ Poisson(λ), accurate far into the tail (to 1e-300 and beyond,
 * as a logarithm). k may be fractional (quasi-Poisson scaling); k ≤ 0 gives 0.
 */
export function log10PoissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return -Infinity;
  if (k <= lambda) {
    // Not in the upper tail: 1 − P(X < k), via the lower sum (small, stable).
    const lower = Math.exp(log10PoissonLowerTail(Math.ceil(k) - 1, lambda) * LN10);
    return Math.log10(Math.max(1e-300, 1 - lower));
  }
  // Σ_{j ≥ k} e^{-λ} λ^j / j!, summed from the first term in log space.
  const first = -lambda + k * Math.log(lambda) - lnGamma(k + 1);
  let sum = 1;
  let term = 1;
  for (let j = 1; j < 10_000; j++) {
    term *= lambda / (k + j);
    sum += term;
    if (term < 1e-16 * sum) break;
  }
  return (first + Math.log(sum)) / LN10;
}

/** log10 P(X ≤ k) for X ~ Poisson(λ). */
export function log10PoissonLowerTail(k: number, lambda: number): number {
  if (k < 0) return -Infinity;
  const n = Math.floor(k);
  let logTerm = -lambda; // j = 0
  let maxLog = logTerm;
  const logs = [logTerm];
  for (let j = 1; j <= n; j++) {
    logTerm += Math.log(lambda) - Math.log(j);
    logs.push(logTerm);
    if (logTerm > maxLog) maxLog = logTerm;
  }
  const sum = logs.reduce((s, l) => s + Math.exp(l - maxLog), 0);
  return Math.min(0, (maxLog + Math.log(sum)) / LN10);
}

/**
 * log10 of the two-sided normal tail P(|Z| ≥ |z|) = erfc(|z|/√2), accurate in relative terms
 * far into the tail (simple-statistics' CDF is a 4-decimal table that saturates at z ≈ 3.1).
 */
export function log10NormalTwoSided(z: number): number {
  return log10Erfc(Math.abs(z) / Math.SQRT2);
}

/**
 * log10 erfc(x) for x ≥ 0: Chebyshev fit of Numerical Recipes (erfcc, relative error
 * < 1.2e-7 everywhere), evaluated in log space so large x does not underflow.
 */
export function log10Erfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return (Math.log(t) + poly) / LN10;
}

/** Median and MAD scaled to σ for normal data (1.4826 · MAD). */
export function robustCenter(values: number[]): { median: number; sigma: number } {
  if (values.length === 0) return { median: 0, sigma: 0 };
  return { median: median(values), sigma: 1.4826 * medianAbsoluteDeviation(values) };
}

/** The smallest integer count u with P(X ≥ u) ≤ 10^log10P, X ~ Poisson(λ): the upper bound of normal counts. */
export function poissonUpperBound(lambda: number, log10P: number): number {
  let lo = Math.floor(lambda);
  let hi = Math.max(1, Math.ceil(lambda + 10 * Math.sqrt(lambda + 1) + 10));
  while (log10PoissonUpperTail(hi, lambda) > log10P) hi *= 2;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (log10PoissonUpperTail(mid, lambda) <= log10P) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
