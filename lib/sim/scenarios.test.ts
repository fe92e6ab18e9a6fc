// Every fault scenario's traffic through the reference flags: each transaction it touched
// carries the flags the scenario claims (attributed to the services it names), untouched
// transactions carry only their noise's flags, and nothing else appears.
import { describe, expect, it } from 'vitest';
import { demoModels } from './demo-model';
import { NOISE_FLAGS, SCENARIO_NAMES, SCENARIOS, type ScenarioName } from './scenarios';
import { raisedFlags, simulateWindow, verdictsAt } from './sim-check';

const T0 = Date.UTC(2026, 10, 30, 14, 0, 0);
const MIN = 60_000;

function run(name: ScenarioName, windowMs: number) {
  return simulateWindow({ rate: 5, seed: 11, runId: name, startMs: T0, scenarios: [{ name, fromMs: T0, toMs: T0 + windowMs }] }, T0 + windowMs + MIN);
}

describe.each(SCENARIO_NAMES.filter((n) => n !== 'ledger-lag'))('%s', (name) => {
  const spec = SCENARIOS[name];
  const { gen, emissions } = run(name, 10 * MIN);
  const truth = gen.truth().scenarios[0]!;
  const verdicts = verdictsAt(emissions, T0 + 60 * MIN);

  it('touches a good share of the eligible transactions, and reports which', () => {
    expect(truth.transactions).toBeGreaterThan(50);
    expect(truth.flags).toEqual(spec.flags);
    expect(truth.sampleTxIds).toHaveLength(10);
    const touched = [...gen.txTruth.values()].filter((t) => t.applied.includes(name));
    expect(touched).toHaveLength(truth.transactions);
    for (const t of touched) {
      if (spec.txTypes) expect(spec.txTypes).toContain(t.tx_type);
    }
  });

  it('gives every touched transaction its flags, attributed to its services, and the others only noise', () => {
    for (const [tx, v] of verdicts) {
      const t = gen.txTruth.get(tx)!;
      expect(raisedFlags(v), tx).toEqual(t.expectedFlags);
      if (!t.applied.includes(name)) {
        expect(t.expectedFlags.every((f) => NOISE_FLAGS.includes(f))).toBe(true);
        continue;
      }
      for (const flag of spec.flags) {
        const reasons = v.reasons.filter((r) => r.flag === flag);
        expect(reasons.length, tx).toBeGreaterThan(0);
        for (const r of reasons) expect(spec.services, `${tx} ${r.rule}`).toContain(r.service);
      }
    }
  });
});

describe('dup-storm', () => {
  it('touches only eu-west-1, as a regional retry misconfiguration would', () => {
    const { emissions, gen } = run('dup-storm', 5 * MIN);
    const touched = new Set([...gen.txTruth.values()].filter((t) => t.applied.length).map((t) => t.tx_id));
    for (const e of emissions) if (touched.has(e.event.tx_id)) expect(e.event.attributes.region).toBe('eu-west-1');
  });
});

describe('ledger-lag', () => {
  // Transactions starting within one minute: all settled after 290 s (the other services'
  // events arrive within about 100 s, settle_after is 2 min), none of the lagged ledger events
  // (5–10 min late) arrived yet.
  const { gen, emissions } = run('ledger-lag', MIN);
  const touched = [...gen.txTruth.values()].filter((t) => t.applied.includes('ledger-lag'));

  it('makes the touched transactions divergent (ledger missing) while the ledger lags', () => {
    expect(touched.length).toBeGreaterThan(60);
    const verdicts = verdictsAt(emissions, T0 + 290_000);
    for (const [tx, v] of verdicts) {
      const t = gen.txTruth.get(tx)!;
      expect(v.settled, tx).toBe(true);
      // Redelivered ledger copies lag too: compare beyond duplicate_delivery.
      const beyondNoise = (flags: string[]) => flags.filter((f) => f !== 'duplicate_delivery');
      expect(beyondNoise(raisedFlags(v)), tx).toEqual(beyondNoise(t.expectedFlags));
      if (t.applied.length) expect(v.reasons.filter((r) => r.flag === 'divergence').map((r) => r.service), tx).toEqual(['ledger']);
    }
  });

  it('is transient: once the ledger caught up the divergence is gone', () => {
    for (const [tx, v] of verdictsAt(emissions, T0 + 30 * MIN)) expect(v.flags.divergence, tx).toBe(false);
  });
});

describe('the scenario catalogue', () => {
  it('names only transaction types the demo model knows', () => {
    const types = [...demoModels().keys()];
    for (const s of Object.values(SCENARIOS)) for (const t of s.txTypes ?? []) expect(types).toContain(t);
  });
});
