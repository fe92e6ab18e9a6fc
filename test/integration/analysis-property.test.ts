// The SQL path (ClickHouse) and the reference implementation must give identical verdicts
// (flags, settledness, reasons with their event ids) on random histories: redeliveries
// (copies that may even differ in content), retries, equal timestamps, missing seq,
// causation links, unknown tx types, and late events arriving after a first pass (so the
// incremental path re-evaluates them).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModels } from '@/lib/analysis/model';
import { evaluateTransaction, type AnalysisEvent } from '@/lib/analysis/reference';
import { runAnalysisPass } from '@/lib/server/clickhouse/analysis-pass';
import type { Runtime } from '@/lib/server/runtime';
import { canonical, insertEvents, readVerdicts } from '../support/analysis';
import { paymentConfig } from '../support/models';
import { startTestRuntime } from '../support/engine';

const config = paymentConfig({ settleAfter: '60s', maxClockSkew: '2ms' });
const models = compileModels(config);
const SKEW_MS = 2;

const eventArb = fc.record({
  service: fc.constantFrom('edge', 'payments', 'ledger', 'notifier'),
  // Few operations and services, so same-operation collisions (duplicates, repeatables) are common.
  operation: fc.constantFrom('authorize', 'capture', 'notify', 'notify', 'post', 'void'),
  status: fc.constantFrom('ok', 'ok', 'ok', 'error') as fc.Arbitrary<'ok' | 'error'>,
  state: fc.constantFrom('', '', 'pending', 'authorized', 'captured', 'settled', 'failed', 'voided', 'bogus'),
  seq: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  key: fc.constantFrom('', '', 'k1', 'k2'),
  causeOf: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }),
  tsMs: fc.integer({ min: 0, max: 6 }),
  arrivalS: fc.integer({ min: 0, max: 4 }),
  type: fc.constantFrom('default', 'default', 'payment', 'payment', 'mystery'),
  late: fc.boolean(),
});
const copyArb = fc.record({ of: fc.nat(), arrivalS: fc.integer({ min: 0, max: 5 }), mutate: fc.boolean(), late: fc.boolean() });
const txArb = fc.record({ events: fc.array(eventArb, { minLength: 1, maxLength: 8 }), copies: fc.array(copyArb, { maxLength: 3 }) });
type TxSpec = typeof txArb extends fc.Arbitrary<infer T> ? T : never;

let rt: Runtime;
let run = 0;
// Real time (start of the current hour): event times must stay inside the retention window.
let clockUs = Math.floor(Date.now() / 3_600_000) * 3_600_000 * 1000;

beforeAll(async () => {
  rt = await startTestRuntime();
});

/** Builds rows for one random transaction; `late` rows arrive after the first pass. */
function buildTx(id: string, spec: TxSpec, baseUs: number, lateBaseUs: number): AnalysisEvent[] {
  const events = spec.events.map((e, i): AnalysisEvent & { late: boolean } => {
    const arrival = (e.late ? lateBaseUs : baseUs) + e.arrivalS * 1_000_000;
    return {
      event_id: `${id}-e${i}`,
      tx_id: id,
      service: e.service,
      operation: e.operation,
      tsUs: baseUs - 300_000_000 + e.tsMs * 1000,
      seq: e.seq,
      status: e.status,
      state: e.state,
      idempotency_key: e.key,
      causation_id: e.causeOf === null ? '' : `${id}-e${e.causeOf}`,
      tx_type: e.type,
      receivedAtUs: arrival,
      insertedAtUs: arrival + 1000,
      late: e.late,
    };
  });
  const copies = spec.copies.map((c) => {
    const orig = events[c.of % events.length]!;
    const arrival = (c.late ? lateBaseUs : baseUs) + c.arrivalS * 1_000_000;
    return { ...orig, ...(c.mutate && { state: 'captured', status: 'ok' as const, seq: 9 }), receivedAtUs: arrival, insertedAtUs: arrival + 1000, late: c.late };
  });
  return [...events, ...copies];
}

async function checkAgainstReference(rows: AnalysisEvent[], nowUs: number) {
  const sql = await readVerdicts(rt.db);
  const byTx = new Map<string, AnalysisEvent[]>();
  for (const r of rows) byTx.set(r.tx_id, [...(byTx.get(r.tx_id) ?? []), r]);
  for (const [txId, txRows] of byTx) {
    const expected = evaluateTransaction(txRows, models, { nowUs, maxClockSkewUs: SKEW_MS * 1000 });
    const got = sql.get(txId);
    expect(got, `verdict for ${txId}`).toBeDefined();
    expect(canonical(got!), `verdict for ${txId} with rows ${JSON.stringify(txRows)}`).toEqual(canonical(expected));
  }
}

describe('SQL verdicts equal the reference implementation', () => {
  it('on random histories, across a first pass and an incremental pass with late events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(txArb, { minLength: 10, maxLength: 40 }), fc.integer({ min: 0, max: 200 }), async (txs, laterS) => {
        run += 1;
        const baseUs = clockUs;
        const firstNowUs = baseUs + 10_000_000;
        const lateBaseUs = firstNowUs + 20_000_000;
        const secondNowUs = lateBaseUs + 10_000_000 + laterS * 1_000_000;
        clockUs = secondNowUs + 1_000_000;

        const all = txs.flatMap((spec, i) => buildTx(`r${run}-t${i}`, spec, baseUs, lateBaseUs));
        const early = all.filter((r) => !(r as { late?: boolean }).late);
        const late = all.filter((r) => (r as { late?: boolean }).late);

        await insertEvents(rt.db, early.map(strip));
        await runAnalysisPass(rt.db, { models, maxClockSkewMs: SKEW_MS, nowUs: firstNowUs });
        await checkAgainstReference(early.map(strip), firstNowUs);

        await insertEvents(rt.db, late.map(strip));
        await runAnalysisPass(rt.db, { models, maxClockSkewMs: SKEW_MS, nowUs: secondNowUs });
        await checkAgainstReference(all.map(strip), secondNowUs);
      }),
      { numRuns: 20, endOnFailure: true },
    );
  }, 240_000);
});

function strip(r: AnalysisEvent & { late?: boolean }): AnalysisEvent {
  const { late: _late, ...rest } = r;
  return rest;
}
