// Clean simulated traffic through the reference flags: its ordinary noise (redeliveries,
// late arrivals, provider retries, second notifications, clock jitter) raises only
// duplicate_delivery, and only on the transactions that were redelivered.
import { describe, expect, it } from 'vitest';
import { checkEvent } from '@/lib/domain/event';
import { TrafficGenerator } from './generator';
import { raisedFlags, simulateWindow, verdictsAt } from './sim-check';

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);
const MIN = 60_000;

describe('clean traffic', () => {
  const { gen, emissions } = simulateWindow({ rate: 4, seed: 7, runId: 'clean', startMs: T0 }, T0 + 30 * MIN);
  const truth = gen.truth();

  it('has the mix, volume and noise of a real platform', () => {
    expect(truth.transactions).toBeGreaterThan(4 * 1800 * 0.8);
    expect(truth.transactions).toBeLessThan(4 * 1800 * 1.5);
    expect(truth.byType.payment! / truth.transactions).toBeCloseTo(0.65, 1);
    expect(truth.noise.redeliveredTx).toBeGreaterThan(20);
    expect(truth.noise.lateEvents).toBeGreaterThan(100);
    const services = new Set(emissions.map((e) => e.event.service));
    expect([...services].sort()).toEqual(['api', 'edge', 'ledger', 'notifier', 'payments', 'provider']);
    expect(emissions.some((e) => e.event.status === 'error' && e.event.service === 'provider')).toBe(true);
    expect(truth.scenarios).toEqual([]);
  });

  it('sends events that satisfy the ingest contract', () => {
    for (const { event, sendAtMs } of emissions.slice(0, 2_000)) {
      const check = checkEvent(JSON.parse(JSON.stringify(event)), { nowMs: sendAtMs, maxAgeMs: 30 * 86_400_000 });
      expect(check.ok ? [] : check.problem).toEqual([]);
      expect(check.ok && check.warnings).toEqual([]);
    }
  });

  it('once settled, every transaction carries exactly the flags its noise explains: duplicate_delivery when redelivered', () => {
    const verdicts = verdictsAt(emissions, T0 + 60 * MIN);
    expect(verdicts.size).toBe(truth.transactions);
    let redelivered = 0;
    for (const [tx, v] of verdicts) {
      const expected = gen.txTruth.get(tx)!.expectedFlags;
      expect(raisedFlags(v), tx).toEqual(expected);
      expect(v.settled).toBe(true);
      if (expected.length) redelivered++;
    }
    expect(redelivered).toBe(truth.noise.redeliveredTx);
  });

  it('while in flight, late and still-arriving events raise nothing beyond redeliveries', () => {
    for (const nowMs of [T0 + 5 * MIN, T0 + 17 * MIN + 30_000, T0 + 29 * MIN]) {
      for (const [tx, v] of verdictsAt(emissions, nowMs)) {
        expect(raisedFlags(v).filter((f) => f !== 'duplicate_delivery'), `${tx} at ${nowMs - T0} ms`).toEqual([]);
      }
    }
  });
});

describe('the generator', () => {
  const run = (seed: number) => {
    const gen = new TrafficGenerator({ rate: 3, seed, runId: 'det', startMs: T0 });
    return [...gen.advance(T0 + 2 * MIN), ...gen.flush()].map((e) => [e.event.event_id, e.event.ts, e.sendAtMs]);
  };

  it('is deterministic per seed and differs between seeds', () => {
    expect(run(1)).toEqual(run(1));
    expect(run(2)).not.toEqual(run(1));
  });

  it('returns emissions in arrival order, none due later than asked, in steps or at once alike', () => {
    const stepped = new TrafficGenerator({ rate: 3, seed: 5, runId: 's', startMs: T0 });
    const got: number[] = [];
    for (let t = T0 + 1000; t <= T0 + 3 * MIN; t += 1000) {
      const due = stepped.advance(t);
      for (const e of due) expect(e.sendAtMs).toBeLessThan(t);
      got.push(...due.map((e) => e.sendAtMs));
    }
    expect(got).toEqual([...got].sort((a, b) => a - b));
    const once = new TrafficGenerator({ rate: 3, seed: 5, runId: 's', startMs: T0 });
    const all = once.advance(T0 + 3 * MIN).map((e) => e.sendAtMs);
    expect(got.length).toBe(all.length);
  });

  it('follows the daily curve: the afternoon is busier than the night', () => {
    const count = (hour: number) => new TrafficGenerator({ rate: 5, seed: 3, runId: 'c', startMs: Date.UTC(2026, 10, 30, hour) }).advance(Date.UTC(2026, 10, 30, hour, 10)).length;
    expect(count(15)).toBeGreaterThan(count(3) * 2);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new TrafficGenerator({ rate: 0, seed: 1, runId: 'x', startMs: T0 })).toThrow(/rate must be above 0/);
  });
});
