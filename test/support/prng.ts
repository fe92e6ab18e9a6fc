// Seeded randomness for tests and benchmarks (mulberry32, Box–Muller): the same series on
// every run, so results are comparable and failures reproducible.
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
