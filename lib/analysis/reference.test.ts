// The reference implementation against the table of flag cases (test/support/flag-cases.ts):
// every case evaluated on its phase-1 rows at NOW1, then on all its rows at NOW2.
import { describe, expect, it } from 'vitest';
import { FLAG_CASES, models, NOW1, NOW2, observed, SKEW_MS } from '@/test/support/flag-cases';
import { evaluateTransaction } from './reference';

const evaluate = (rows: Parameters<typeof evaluateTransaction>[0], nowUs: number) =>
  evaluateTransaction(rows, models, { nowUs, maxClockSkewUs: SKEW_MS * 1000 });

describe('flag cases', () => {
  it('fit the two shared clocks, with one tx_id per case', () => {
    expect(new Set(FLAG_CASES.map((c) => c.txId)).size).toBe(FLAG_CASES.length);
    for (const c of FLAG_CASES) {
      const [p1, p2] = c.phases;
      expect(p1.events.length, c.name).toBeGreaterThan(0);
      for (const e of p1.events) expect(e.insertedAtUs, c.name).toBeLessThanOrEqual(NOW1);
      for (const e of p2.events) {
        expect(e.insertedAtUs, c.name).toBeGreaterThan(NOW1);
        expect(e.insertedAtUs, c.name).toBeLessThanOrEqual(NOW2);
      }
      for (const e of [...p1.events, ...p2.events]) expect(e.tx_id, c.name).toBe(c.txId);
    }
  });
});

describe('evaluateTransaction on the flag cases', () => {
  describe.each(FLAG_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const [p1, p2] = c.phases;

    it('after phase 1', () => {
      expect(observed(evaluate(p1.events, NOW1))).toEqual(p1.expect);
    });

    it('after phase 2', () => {
      expect(observed(evaluate([...p1.events, ...p2.events], NOW2))).toEqual(p2.expect);
    });
  });

  it('says why in words (conflicting states)', () => {
    const c = FLAG_CASES.find((x) => x.name.startsWith('conflicting final states'))!;
    const v = evaluate(c.phases[0].events, NOW1);
    expect(v.reasons.map((r) => r.detail)).toEqual(['payments ended failed; ledger ended captured', 'payments ended failed; ledger ended captured']);
  });

  it('counts every received row, copies included', () => {
    const c = FLAG_CASES.find((x) => x.name.startsWith('a late redelivery'))!;
    const all = [...c.phases[0].events, ...c.phases[1].events];
    expect(evaluate(all, NOW2).received).toBe(all.length);
    expect(evaluate(all, NOW2).services).toEqual(['edge', 'ledger', 'payments']);
  });
});
