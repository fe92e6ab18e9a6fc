// The flag rules in ClickHouse, case by case (test/support/flag-cases.ts): all cases share
// one database. Pass 1 (the first, full pass) runs at NOW1 over every case's phase-1 rows;
// pass 2 (incremental, by inserted_at watermark) runs at NOW2 after the phase-2 rows, so
// late events must raise and clear flags, and settle windows that elapse must be judged.
import { beforeAll, describe, expect, it } from 'vitest';
import { FLAGS, type FlagName, type TxVerdict } from '@/lib/analysis/flags';
import { runAnalysisPass, type PassSummary } from '@/lib/server/clickhouse/analysis-pass';
import type { Runtime } from '@/lib/server/runtime';
import { insertEvents, readVerdicts } from '../support/analysis';
import { startTestRuntime } from '../support/engine';
import { FLAG_CASES, models, NOW1, NOW2, observed, SKEW_MS } from '../support/flag-cases';

let rt: Runtime;
let verdicts: Map<string, TxVerdict>;
let first: PassSummary;
let second: PassSummary;

beforeAll(async () => {
  rt = await startTestRuntime();
});

const cases = FLAG_CASES.map((c) => [c.name, c] as const);

describe('pass 1: every case has its phase-1 verdict', () => {
  beforeAll(async () => {
    await insertEvents(rt.db, FLAG_CASES.flatMap((c) => c.phases[0].events));
    first = await runAnalysisPass(rt.db, { models, maxClockSkewMs: SKEW_MS, nowUs: NOW1 });
    verdicts = await readVerdicts(rt.db);
  });

  it('is a full pass over every case', () => {
    expect(first.full).toBe(true);
    expect(first.evaluated).toBe(FLAG_CASES.length);
  });

  it.each(cases)('%s', (_name, c) => {
    const v = verdicts.get(c.txId);
    expect(v, c.txId).toBeDefined();
    expect(observed(v!)).toEqual(c.phases[0].expect);
  });

  it('says why in words (conflicting states)', () => {
    const c = FLAG_CASES.find((x) => x.name.startsWith('conflicting final states'))!;
    expect(verdicts.get(c.txId)!.reasons.map((r) => r.detail)).toEqual([
      'payments ended failed; ledger ended captured',
      'payments ended failed; ledger ended captured',
    ]);
  });
});

describe('pass 2: late events raise and clear flags, elapsed settle windows are judged', () => {
  beforeAll(async () => {
    await insertEvents(rt.db, FLAG_CASES.flatMap((c) => c.phases[1].events));
    second = await runAnalysisPass(rt.db, { models, maxClockSkewMs: SKEW_MS, nowUs: NOW2 });
    verdicts = await readVerdicts(rt.db);
  });

  it.each(cases)('%s', (_name, c) => {
    const v = verdicts.get(c.txId);
    expect(v, c.txId).toBeDefined();
    expect(observed(v!)).toEqual(c.phases[1].expect);
  });

  it('summarizes the flags it raised and cleared', () => {
    expect(second.full).toBe(false);
    expect(second.cleared.divergence).toBeGreaterThanOrEqual(1);
    expect(second.raised.divergence).toBeGreaterThanOrEqual(1);
    expect(second.raised.duplicate_delivery).toBeGreaterThanOrEqual(1);
    // Exactly the changes the cases expect between their two phases.
    const changes = (dir: 'raised' | 'cleared') =>
      Object.fromEntries(
        FLAGS.map((f) => [f, FLAG_CASES.filter((c) => c.phases[0].expect.flags[f] !== c.phases[1].expect.flags[f] && c.phases[1].expect.flags[f] === (dir === 'raised')).length]),
      ) as Record<FlagName, number>;
    expect(second.raised).toEqual(changes('raised'));
    expect(second.cleared).toEqual(changes('cleared'));
  });

  it('re-evaluates only the cases with late rows or an elapsed settle window', () => {
    const touched = FLAG_CASES.filter((c) => c.phases[1].events.length > 0 || !c.phases[0].expect.settled);
    expect(touched.length).toBeGreaterThan(0);
    expect(second.evaluated).toBe(touched.length);
  });
});
