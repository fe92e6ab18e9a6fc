// The traffic generator: transactions arrive as a Poisson process whose rate follows the
// daily volume curve; each runs its flow, faults active at its start touch some of them, and
// delivery decides when each event reaches ingest. `advance(toMs)` returns the emissions due
// before `toMs` in arrival order, so the same generator drives an accelerated backfill and
// live traffic. Keeps the ground truth of what it injected. Pure and deterministic per seed.
import type { FlagName } from '@/lib/analysis/flags';
import { CLIENTS, REGIONS, TX_MIX, volumeFactor, type TxType } from './catalog';
import { deliver, type Emission } from './delivery';
import { FLOWS } from './flows';
import { poisson, prng, weighted, type Prng } from './prng';
import { NOISE_FLAGS, SCENARIOS, type ScenarioName } from './scenarios';
import { TxBuilder } from './tx-builder';

export interface ScheduledScenario {
  name: ScenarioName;
  /** Transactions starting in [fromMs, toMs) can be touched; toMs null = until stopped. */
  fromMs: number;
  toMs: number | null;
}

export interface GeneratorOptions {
  /** Mean transactions per second over a day (the daily curve varies it by ±45 %). */
  rate: number;
  seed: number;
  /** Makes this run's transaction ids distinct from earlier runs' (e.g. the start time in base 36). */
  runId: string;
  /** Epoch ms of the first transaction start. */
  startMs: number;
  scenarios?: ScheduledScenario[];
  /** Keep every transaction's ground truth (tests); counts only when false. Default false. */
  keepTxTruth?: boolean;
}

export interface ScenarioTruth extends ScheduledScenario {
  flags: FlagName[];
  services: string[];
  /** Transactions it touched. */
  transactions: number;
  sampleTxIds: string[];
}

export interface GroundTruth {
  transactions: number;
  events: number;
  byType: Record<string, number>;
  noise: { redeliveredTx: number; lateEvents: number };
  scenarios: ScenarioTruth[];
}

export interface TxTruth {
  tx_id: string;
  tx_type: TxType;
  startMs: number;
  applied: ScenarioName[];
  /** The flags this transaction should carry once settled: its faults' and its noise's. */
  expectedFlags: FlagName[];
}

const SAMPLE_IDS = 10;

export class TrafficGenerator {
  private readonly r: Prng;
  private cursorMs: number;
  private pending: Emission[] = [];
  private counter = 0;
  private readonly scheduled: ScenarioTruth[] = [];
  private readonly totals: GroundTruth = { transactions: 0, events: 0, byType: {}, noise: { redeliveredTx: 0, lateEvents: 0 }, scenarios: [] };
  readonly txTruth = new Map<string, TxTruth>();

  constructor(private readonly opts: GeneratorOptions) {
    if (!(opts.rate > 0)) throw new Error(`rate must be above 0 transactions per second, got ${opts.rate}`);
    this.r = prng(opts.seed);
    this.cursorMs = opts.startMs;
    for (const s of opts.scenarios ?? []) this.schedule(s);
  }

  /** Starts a fault (now or later) for transactions starting in its window. */
  schedule(s: ScheduledScenario): void {
    const spec = SCENARIOS[s.name];
    this.scheduled.push({ ...s, flags: spec.flags, services: spec.services, transactions: 0, sampleTxIds: [] });
  }

  /** Ends every open window of a scenario at `atMs`. */
  stop(name: ScenarioName, atMs: number): void {
    for (const s of this.scheduled) if (s.name === name && (s.toMs === null || s.toMs > atMs)) s.toMs = Math.max(s.fromMs, atMs);
  }

  /** Scenario windows active at `atMs`. */
  activeAt(atMs: number): ScenarioTruth[] {
    return this.scheduled.filter((s) => s.fromMs <= atMs && (s.toMs === null || atMs < s.toMs));
  }

  /** Generates transactions starting before `toMs`; returns the emissions due before it, in arrival order. */
  advance(toMs: number): Emission[] {
    while (this.cursorMs < toMs) {
      const stepEnd = Math.min(toMs, Math.floor(this.cursorMs / 1000) * 1000 + 1000);
      const mean = this.opts.rate * volumeFactor(this.cursorMs) * ((stepEnd - this.cursorMs) / 1000);
      const starts = Array.from({ length: poisson(this.r, mean) }, () => this.cursorMs + this.r.rand() * (stepEnd - this.cursorMs)).sort((a, b) => a - b);
      for (const startMs of starts) this.transaction(startMs);
      this.cursorMs = stepEnd;
    }
    const due: Emission[] = [];
    const later: Emission[] = [];
    for (const e of this.pending) (e.sendAtMs < toMs ? due : later).push(e);
    this.pending = later;
    return due.sort((a, b) => a.sendAtMs - b.sendAtMs);
  }

  /** Everything still in flight (end of a run). */
  flush(): Emission[] {
    const all = this.pending.sort((a, b) => a.sendAtMs - b.sendAtMs);
    this.pending = [];
    return all;
  }

  truth(): GroundTruth {
    return { ...this.totals, byType: { ...this.totals.byType }, scenarios: this.scheduled.map((s) => ({ ...s, sampleTxIds: [...s.sampleTxIds] })) };
  }

  private transaction(startMs: number): void {
    const txType = weighted(this.r, TX_MIX);
    const region = weighted(this.r, REGIONS);
    const attributes = { region, client: weighted(this.r, CLIENTS), amount: Math.round(500 + this.r.rand() * 20_000) / 100, currency: region === 'eu-west-1' ? 'EUR' : 'USD' };
    const txId = `${txType.slice(0, 3)}-${this.opts.runId}-${(this.counter++).toString(36).padStart(6, '0')}`;
    const windows = this.activeAt(startMs).filter((s) => {
      const spec = SCENARIOS[s.name];
      return (spec.txTypes === null || spec.txTypes.includes(txType)) && (!spec.region || spec.region === region) && this.r.rand() < spec.share;
    });
    const faults = new Set(windows.map((s) => s.name));
    const applied = new Set<ScenarioName>();
    const b = new TxBuilder(txId, txType, attributes, this.r);
    FLOWS[txType]({ b, startMs, faults, applied });
    const delivery = deliver(b.built, this.r, faults, applied);
    this.pending.push(...delivery.emissions);

    const t = this.totals;
    t.transactions++;
    t.events += delivery.emissions.length;
    t.byType[txType] = (t.byType[txType] ?? 0) + 1;
    if (delivery.redelivered > 0) t.noise.redeliveredTx++;
    t.noise.lateEvents += delivery.late;
    for (const w of windows) {
      if (!applied.has(w.name)) continue;
      w.transactions++;
      if (w.sampleTxIds.length < SAMPLE_IDS) w.sampleTxIds.push(txId);
    }
    if (this.opts.keepTxTruth) {
      const flags = new Set<FlagName>([...applied].flatMap((n) => SCENARIOS[n].flags));
      if (delivery.redelivered > 0) NOISE_FLAGS.forEach((f) => flags.add(f));
      this.txTruth.set(txId, { tx_id: txId, tx_type: txType, startMs, applied: [...applied], expectedFlags: [...flags].sort() });
    }
  }
}
