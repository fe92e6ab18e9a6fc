// Labelled synthetic series for the detection benchmark (bench/detect.ts). Deterministic: each
// series is seeded (mulberry32) from its name and the run's seed, so the same flags always yield
// the same buckets, and adding a series does not change the others.
//
// Rate series are 1-minute buckets of (count, total): `total` transactions a minute follow a
// daily volume cycle (trough … peak), each is flagged with a base rate that may have its own
// daily cycle and jitters ±30 % minute to minute (overdispersion), times the multiplier of any
// injected anomaly. Profiles (PROFILES): 1,000 a minute at peak with 3 %, 2 % (± 40 % daily
// rate cycle), 0.5 % (± 30 %) and 0.1 %; 200 and 100 a minute with 1 % (± 40 %) and 2 %; low
// volume with 5–20 a minute at 0.5 %–3 %. Level series are a latency in ms with a daily cycle
// and log-normal noise.
//
// Injected anomalies are labelled [start, end) in buckets:
//  - spike: rate × 3–20 for 1–5 buckets;
//  - shift: rate × 2–4 for 30–180 buckets;
//  - drift: rate ramping linearly from × 1 to × 3 over 2–6 hours, then held 30–60 minutes;
//  - burst (low volume): 5–12 extra flagged transactions in one or two minutes;
//  - sustained (low volume): rate × 5 for 60–240 buckets.
// An anomaly the counts cannot prove is no test of a detector: spikes and low-volume sustained
// anomalies are made larger (factor, then duration, within the ranges above) until their
// EXPECTED counts would be significant at p ≤ 1e-8 against the true baseline; every anomaly also
// records whether its REALISED counts were significant at p ≤ 1e-6 (`provable`).
import { rng } from '../test/support/prng';
import { log10PoissonUpperTail } from '@/lib/detect/stats';

export const DAY = 1440;
export const WEEK = 7 * DAY;

class Random {
  private readonly next: () => number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }
  int(lo: number, hi: number): number {
    return Math.floor(this.uniform(lo, hi + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = Math.max(1e-12, this.next());
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > l) {
      k++;
      p *= this.next();
    }
    return k;
  }
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n <= 40) {
      let x = 0;
      for (let i = 0; i < n; i++) if (this.next() < p) x++;
      return x;
    }
    const q = Math.min(p, 1 - p);
    let x: number;
    if (n * q < 30) {
      // Waiting times between successes (geometric skips): O(n·q).
      const lq = Math.log(1 - q);
      x = 0;
      let pos = 0;
      for (;;) {
        pos += Math.floor(Math.log(Math.max(1e-300, this.next())) / lq) + 1;
        if (pos > n) break;
        x++;
      }
    } else {
      x = Math.min(n, Math.max(0, Math.round(n * q + Math.sqrt(n * q * (1 - q)) * this.normal())));
    }
    return q === p ? x : n - x;
  }
}

export type Scenario = 'spike' | 'shift' | 'drift' | 'low-volume' | 'first-hour' | 'level' | 'clean';
export type AnomalyType = 'spike' | 'shift' | 'drift' | 'burst' | 'sustained';

export interface Anomaly {
  type: AnomalyType;
  /** First bucket of the anomaly. */
  start: number;
  /** One past its last bucket. */
  end: number;
  /** Rate (or level) multiplier at full strength; 1 for bursts. */
  factor: number;
  /** Drift: buckets of the ramp (then held at `factor` until `end`). */
  ramp?: number;
  /** Burst: extra flagged transactions in each bucket of the window. */
  extra?: number;
  /** Realised counts in the window significant at p ≤ 1e-6 against the true baseline (rates only). */
  provable?: boolean;
}

export interface RateProfile {
  name: string;
  /** Transactions a minute at the daily peak, and at the trough as a fraction of the peak. */
  peak: number;
  trough: number;
  /** Base flag rate (daily mean). */
  rate: number;
  /** Amplitude of the daily cycle of the rate (0.4: 60 %–140 % of `rate`). */
  rateCycle: number;
  /** Minute-to-minute jitter of the rate (0.3: uniform × 0.7–1.3). */
  jitter: number;
}

export interface LevelProfile {
  name: string;
  /** Daily mean in ms, amplitude of the daily cycle (fraction) and noise (σ of the log). */
  level: number;
  cycle: number;
  noise: number;
}

export interface RateSeries {
  kind: 'rate';
  name: string;
  scenario: Scenario;
  profile: RateProfile;
  count: number[];
  total: number[];
  anomalies: Anomaly[];
}

export interface ValueSeries {
  kind: 'value';
  name: string;
  scenario: Scenario;
  profile: LevelProfile;
  values: number[];
  anomalies: Anomaly[];
}

export type Series = RateSeries | ValueSeries;

export const PROFILES = {
  'hi-3': { name: 'hi-3', peak: 1000, trough: 0.3, rate: 0.03, rateCycle: 0, jitter: 0.3 },
  'hi-0.5': { name: 'hi-0.5', peak: 1000, trough: 0.3, rate: 0.005, rateCycle: 0.3, jitter: 0.3 },
  'hi-2c': { name: 'hi-2c', peak: 1000, trough: 0.3, rate: 0.02, rateCycle: 0.4, jitter: 0.3 },
  'hi-0.1': { name: 'hi-0.1', peak: 1000, trough: 0.3, rate: 0.001, rateCycle: 0, jitter: 0.3 },
  'mid-1': { name: 'mid-1', peak: 200, trough: 0.3, rate: 0.01, rateCycle: 0.4, jitter: 0.3 },
  'mid-2': { name: 'mid-2', peak: 100, trough: 0.3, rate: 0.02, rateCycle: 0, jitter: 0.3 },
  'low-20': { name: 'low-20', peak: 20, trough: 0.3, rate: 0.03, rateCycle: 0, jitter: 0.3 },
  'low-10': { name: 'low-10', peak: 10, trough: 0.5, rate: 0.01, rateCycle: 0, jitter: 0.3 },
  'low-15': { name: 'low-15', peak: 15, trough: 0.4, rate: 0.005, rateCycle: 0.3, jitter: 0.3 },
  'low-5': { name: 'low-5', peak: 20, trough: 0.25, rate: 0.02, rateCycle: 0.4, jitter: 0.3 },
} as const satisfies Record<string, RateProfile>;
export type ProfileName = keyof typeof PROFILES;

export const LEVEL_PROFILES = {
  'latency-api': { name: 'latency-api', level: 120, cycle: 0.3, noise: 0.08 },
  'latency-db': { name: 'latency-db', level: 15, cycle: 0.15, noise: 0.15 },
} as const satisfies Record<string, LevelProfile>;
export type LevelProfileName = keyof typeof LEVEL_PROFILES;

/** Daily shape in [0, 1], 0 at the trough; `phase` shifts the peak (fraction of a day). */
const daily = (t: number, phase: number) => 0.5 - 0.5 * Math.cos(2 * Math.PI * (t / DAY - phase));

/** Expected transactions and baseline flag rate of bucket t (no jitter, no anomaly). */
function expectation(p: RateProfile, t: number, phase: number): { total: number; rate: number } {
  const f = daily(t, phase);
  return { total: p.peak * (p.trough + (1 - p.trough) * f), rate: p.rate * (1 + p.rateCycle * (2 * f - 1)) };
}

/** Rate (or level) multiplier of the anomalies at bucket t. */
function multiplier(anomalies: Anomaly[], t: number): number {
  let m = 1;
  for (const a of anomalies) {
    if (t < a.start || t >= a.end) continue;
    if (a.type === 'drift') m *= 1 + (a.factor - 1) * Math.min(1, (t - a.start + 1) / a.ramp!);
    else if (a.type !== 'burst') m *= a.factor;
  }
  return m;
}

const extraAt = (anomalies: Anomaly[], t: number) => anomalies.reduce((s, a) => s + (a.type === 'burst' && t >= a.start && t < a.end ? a.extra! : 0), 0);

/** Quasi-Poisson log10 p of `observed` flags over a window whose baseline expects per-bucket `expected`. */
function windowLog10P(observed: number, expected: number[], jitter: number): number {
  const e = expected.reduce((s, x) => s + x, 0);
  if (e <= 0) return observed > 0 ? -Infinity : 0;
  // Uniform ±jitter on the rate: var = λ + (jitter²/3)·λ² per bucket.
  const v = e + (jitter ** 2 / 3) * expected.reduce((s, x) => s + x * x, 0);
  const phi = v / e;
  return log10PoissonUpperTail(observed / phi, e / phi);
}

/** Expected flags in [a.start, a.end) with and without the anomaly. */
function expectedWindow(p: RateProfile, phase: number, a: Anomaly): { base: number[]; withAnomaly: number } {
  const base: number[] = [];
  let withAnomaly = 0;
  for (let t = a.start; t < a.end; t++) {
    const x = expectation(p, t, phase);
    const lambda = x.total * x.rate;
    base.push(lambda);
    withAnomaly += Math.min(0.95 * x.total, lambda * multiplier([a], t)) + (a.type === 'burst' ? a.extra! : 0);
  }
  return { base, withAnomaly };
}

/** Grows a spike's factor, then its length, (a sustained anomaly's length, then factor) until its expected flags are significant. */
function makeProvable(p: RateProfile, phase: number, a: Anomaly, caps: { factor: number; length: number }, lengthFirst = false): Anomaly {
  const ok = (x: Anomaly) => {
    const w = expectedWindow(p, phase, x);
    return windowLog10P(w.withAnomaly, w.base, p.jitter) <= -8;
  };
  const b = { ...a };
  const growFactor = () => {
    while (!ok(b) && b.factor < caps.factor) b.factor = Math.min(caps.factor, b.factor * 1.1);
  };
  const growLength = () => {
    while (!ok(b) && b.end - b.start < caps.length) b.end++;
  };
  if (lengthFirst) {
    growLength();
    growFactor();
  } else {
    growFactor();
    growLength();
  }
  return b;
}

export function rateSeries(opts: {
  name: string;
  scenario: Scenario;
  profile: ProfileName;
  length: number;
  seed: number;
  phase?: number;
  /** Anomaly types to inject in turn, one per slot of `every` buckets from `from`, starting at a random point in the first `spread` (fraction) of the slot. */
  inject?: { types: AnomalyType[]; from: number; every: number; spread: number };
  /** Explicit anomalies (e.g. in the first hour). */
  anomalies?: Anomaly[];
}): RateSeries {
  const p: RateProfile = PROFILES[opts.profile];
  const r = new Random(opts.seed);
  const phase = opts.phase ?? r.uniform(0, 1);
  const anomalies: Anomaly[] = [...(opts.anomalies ?? [])];
  if (opts.inject) {
    const { types, from, every, spread } = opts.inject;
    let k = 0;
    for (let slot = from; slot + every <= opts.length; slot += every, k++) {
      const type = types[k % types.length]!;
      const start = slot + Math.floor(r.uniform(0, every * spread));
      anomalies.push(drawAnomaly(r, type, start, p, phase));
    }
  }
  const count: number[] = [];
  const total: number[] = [];
  for (let t = 0; t < opts.length; t++) {
    const x = expectation(p, t, phase);
    const n = r.poisson(x.total);
    const rate = Math.min(0.95, x.rate * r.uniform(1 - p.jitter, 1 + p.jitter) * multiplier(anomalies, t));
    const extra = extraAt(anomalies, t);
    count.push(r.binomial(n, rate) + extra);
    total.push(n + extra);
  }
  for (const a of anomalies) {
    const w = expectedWindow(p, phase, a);
    const observed = count.slice(a.start, a.end).reduce((s, c) => s + c, 0);
    a.provable = windowLog10P(observed, w.base, p.jitter) <= -6;
  }
  return { kind: 'rate', name: opts.name, scenario: opts.scenario, profile: p, count, total, anomalies };
}

function drawAnomaly(r: Random, type: AnomalyType, start: number, p: RateProfile, phase: number): Anomaly {
  switch (type) {
    case 'spike':
      return makeProvable(p, phase, { type, start, end: start + r.int(1, 5), factor: r.uniform(3, 20) }, { factor: 20, length: 5 });
    case 'shift':
      return { type, start, end: start + r.int(30, 180), factor: r.uniform(2, 4) };
    case 'drift': {
      const ramp = r.int(120, 360);
      return { type, start, end: start + ramp + r.int(30, 60), factor: 3, ramp };
    }
    case 'burst':
      return { type, start, end: start + r.int(1, 2), factor: 1, extra: r.int(5, 12) };
    case 'sustained':
      return makeProvable(p, phase, { type, start, end: start + r.int(60, 120), factor: 5 }, { factor: 10, length: 240 }, true);
  }
}

export function levelSeries(opts: {
  name: string;
  scenario: Scenario;
  profile: LevelProfileName;
  length: number;
  seed: number;
  inject?: { types: ('spike' | 'shift' | 'drift')[]; from: number; every: number; spread: number };
}): ValueSeries {
  const p: LevelProfile = LEVEL_PROFILES[opts.profile];
  const r = new Random(opts.seed);
  const phase = r.uniform(0, 1);
  const anomalies: Anomaly[] = [];
  if (opts.inject) {
    const { types, from, every, spread } = opts.inject;
    let k = 0;
    for (let slot = from; slot + every <= opts.length; slot += every, k++) {
      const type = types[k % types.length]!;
      const start = slot + Math.floor(r.uniform(0, every * spread));
      if (type === 'spike') anomalies.push({ type, start, end: start + r.int(1, 5), factor: r.uniform(1.8, 4) });
      else if (type === 'shift') anomalies.push({ type, start, end: start + r.int(30, 180), factor: r.uniform(1.4, 2) });
      else {
        const ramp = r.int(120, 360);
        anomalies.push({ type, start, end: start + ramp + r.int(30, 60), factor: r.uniform(1.6, 2), ramp });
      }
    }
  }
  const values: number[] = [];
  for (let t = 0; t < opts.length; t++) {
    const base = p.level * (1 + p.cycle * (2 * daily(t, phase) - 1));
    values.push(Math.round(base * Math.exp(p.noise * r.normal()) * multiplier(anomalies, t) * 10) / 10);
  }
  return { kind: 'value', name: opts.name, scenario: opts.scenario, profile: p, values, anomalies };
}

/** A series' seed from its name (FNV-1a) and the run's seed: adding a series does not reshuffle the others. */
function seedOf(name: string, base: number): number {
  let h = 0x811c9dc5 ^ base;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The benchmark's series: anomalies after a first day (except the first-hour scenario), clean series of a week each. */
export function benchSeries(quick: boolean, baseSeed = 1): Series[] {
  const out: Series[] = [];
  const rate = (o: Omit<Parameters<typeof rateSeries>[0], 'seed'>) => out.push(rateSeries({ ...o, seed: seedOf(o.name, baseSeed) }));
  const level = (o: Omit<Parameters<typeof levelSeries>[0], 'seed'>) => out.push(levelSeries({ ...o, seed: seedOf(o.name, baseSeed) }));
  const days = (full: number, short: number) => (quick ? short : full) * DAY;
  const main: ProfileName[] = ['hi-3', 'hi-2c', 'hi-0.5', 'mid-1', 'mid-2'];
  for (const profile of main) {
    rate({ name: `spike/${profile}`, scenario: 'spike', profile, length: days(4, 2), inject: { types: ['spike'], from: DAY, every: 360, spread: 0.75 } });
    rate({ name: `shift/${profile}`, scenario: 'shift', profile, length: days(7, 3), inject: { types: ['shift'], from: DAY, every: DAY, spread: 0.6 } });
    rate({ name: `drift/${profile}`, scenario: 'drift', profile, length: days(7, 3), inject: { types: ['drift'], from: DAY, every: DAY, spread: 0.6 } });
  }
  for (const profile of ['low-20', 'low-10', 'low-15', 'low-5'] as const) {
    rate({ name: `low-volume/${profile}`, scenario: 'low-volume', profile, length: days(7, 3), inject: { types: ['burst', 'sustained'], from: DAY, every: DAY / 2, spread: 0.4 } });
  }
  const firstHour: { profile: ProfileName; anomaly: Omit<Anomaly, 'start' | 'end'> & { length: number } }[] = [
    { profile: 'hi-3', anomaly: { type: 'spike', factor: 8, length: 3 } },
    { profile: 'hi-3', anomaly: { type: 'shift', factor: 2.5, length: 60 } },
    { profile: 'hi-0.5', anomaly: { type: 'shift', factor: 3, length: 90 } },
    { profile: 'mid-1', anomaly: { type: 'spike', factor: 10, length: 4 } },
    { profile: 'mid-2', anomaly: { type: 'shift', factor: 3, length: 60 } },
    { profile: 'low-20', anomaly: { type: 'burst', factor: 1, extra: 8, length: 1 } },
    { profile: 'low-10', anomaly: { type: 'sustained', factor: 8, length: 90 } },
  ];
  for (const [k, f] of firstHour.entries()) {
    const start = 20 + k * 5;
    const { length, ...rest } = f.anomaly;
    rate({ name: `first-hour/${f.profile}/${f.anomaly.type}`, scenario: 'first-hour', profile: f.profile, length: DAY, anomalies: [{ ...rest, start, end: start + length }] });
  }
  for (const profile of Object.keys(PROFILES) as ProfileName[]) {
    rate({ name: `clean/${profile}`, scenario: 'clean', profile, length: days(7, 3) });
  }
  for (const profile of Object.keys(LEVEL_PROFILES) as LevelProfileName[]) {
    level({ name: `level/${profile}`, scenario: 'level', profile, length: days(7, 3), inject: { types: ['spike', 'shift', 'drift'], from: DAY, every: DAY / 2, spread: 0.25 } });
    level({ name: `clean/${profile}`, scenario: 'clean', profile, length: days(7, 3) });
  }
  return out;
}
