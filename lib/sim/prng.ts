// Seeded randomness (mulberry32; Box–Muller for normals): the same series on every run, so
// simulated traffic, tests and benchmarks are reproducible. Pure.
export interface Prng {
  /** Uniform in [0, 1). */
  rand: () => number;
  /** Standard normal. */
  gauss: () => number;
  /** Binomial(n, p), by counting. */
  binomial: (n: number, p: number) => number;
}

/** The bare mulberry32 generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function prng(seed: number): Prng {
  const rand = rng(seed);
  return {
    rand,
    gauss: () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()),
    binomial: (n, p) => {
      let c = 0;
      for (let k = 0; k < n; k++) if (rand() < p) c++;
      return c;
    },
  };
}

/** Poisson(mean) by inversion for small means, normal approximation above 60. */
export function poisson(r: Prng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * r.gauss()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = r.rand();
  while (p > limit) {
    k++;
    p *= r.rand();
  }
  return k;
}

/** Uniform in [lo, hi). */
export const uniform = (r: Prng, lo: number, hi: number): number => lo + (hi - lo) * r.rand();

/** One item, chosen with the given weights. */
export function weighted<T>(r: Prng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r.rand() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}
