// Seeded randomness for tests and benchmarks: the simulator's generator (lib/sim/prng.ts),
// re-exported where tests and benchmarks have always imported it.
export { prng, rng, type Prng } from '../../lib/sim/prng';
