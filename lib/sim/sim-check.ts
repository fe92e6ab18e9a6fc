// Runs simulated traffic through the reference flag implementation: the check the simulator's
// tests (and anyone changing a flow) use to hold the ground truth to DESIGN.md's flags. Pure.
import type { FlagName, TxVerdict } from '@/lib/analysis/flags';
import { evaluateTransaction } from '@/lib/analysis/reference';
import { analysisRows, byTransaction } from './analysis-rows';
import type { Emission } from './delivery';
import { demoConfig, demoModels } from './demo-model';
import { TrafficGenerator, type GeneratorOptions } from './generator';

export interface SimRun {
  gen: TrafficGenerator;
  emissions: Emission[];
}

/** Generates traffic from `opts.startMs` to `untilMs` and everything still in flight after it. */
export function simulateWindow(opts: Omit<GeneratorOptions, 'keepTxTruth'>, untilMs: number): SimRun {
  const gen = new TrafficGenerator({ ...opts, keepTxTruth: true });
  const emissions = [...gen.advance(untilMs), ...gen.flush()];
  return { gen, emissions };
}

/** Every transaction's verdict with the emissions that arrived before `nowMs`. */
export function verdictsAt(emissions: Emission[], nowMs: number): Map<string, TxVerdict> {
  const models = demoModels();
  const maxClockSkewUs = demoConfig().max_clock_skew * 1000;
  const arrived = emissions.filter((e) => e.sendAtMs < nowMs);
  const out = new Map<string, TxVerdict>();
  for (const [tx, rows] of byTransaction(analysisRows(arrived))) {
    out.set(tx, evaluateTransaction(rows, models, { nowUs: nowMs * 1000, maxClockSkewUs }));
  }
  return out;
}

export const raisedFlags = (v: TxVerdict): FlagName[] =>
  (Object.keys(v.flags) as FlagName[]).filter((f) => v.flags[f]).sort();
