// The /api/v1 analysis routes on the real embedded engine, fed through the real ingest
// pipeline: trigger a pass, list and page flagged transactions, drill into one, read the
// signals (and check they always equal a recount of the verdicts, also after a pass that
// crashed half-way), propose a model, serve the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as runAnalysis } from '@/app/api/v1/analysis/run/route';
import { GET as suggest } from '@/app/api/v1/model/suggest/route';
import { GET as openapi } from '@/app/api/v1/openapi.json/route';
import { GET as signals } from '@/app/api/v1/signals/route';
import { GET as transaction } from '@/app/api/v1/transactions/[tx_id]/route';
import { GET as transactions } from '@/app/api/v1/transactions/route';
import { buildApp } from '@/ingest/app';
import type { Ingestor } from '@/ingest/ingestor';
import { compileModels } from '@/lib/analysis/model';
import { runAnalysisPass } from '@/lib/server/clickhouse/analysis-pass';
import type { Db } from '@/lib/server/clickhouse/client';
import type { Runtime } from '@/lib/server/runtime';
import { eventually, ndjson, startTestRuntime, tempDir } from '../support/engine';

let rt: Runtime;
let app: FastifyInstance;
let ingestor: Ingestor;
const now = Date.now();
const at = (secondsAgo: number) => now - secondsAgo * 1000;

beforeAll(async () => {
  const dir = tempDir('txdrift-api-config-');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    `${dir}/txdrift.yaml`,
    `models:
  payment:
    states: [pending, authorized, captured, settled, failed, voided]
    transitions: { pending: [authorized, failed, voided], authorized: [captured, failed, voided], captured: [settled, failed] }
    participants: [api, payments, ledger]
    agree: [payments, ledger]
    settle_after: 1s
    repeatable: [notify]
`,
  );
  rt = await startTestRuntime({ TXDRIFT_CONFIG: `${dir}/txdrift.yaml` });
  ({ app, ingestor } = (await buildApp(rt, { ingest: true, segmentAgeMs: 20 })) as { app: FastifyInstance; ingestor: Ingestor });
});

afterAll(async () => {
  await app.close();
  await ingestor.close();
});

async function send(events: object[]) {
  const res = await app.inject({ method: 'POST', url: '/v1/events', payload: ndjson(events), headers: { 'content-type': 'application/x-ndjson' } });
  expect(res.json()).toMatchObject({ rejected: 0 });
  const n = events.length;
  await eventually(async () => Number((await rt.db.query<{ n: number }>(`SELECT count() AS n FROM events WHERE request_id = {r:String}`, { r: res.json().request_id }))[0]!.n) === n);
}

const payment = (tx: string, t: number, extra: { ledgerState?: string; dupCapture?: boolean; noLedger?: boolean } = {}) => [
  { event_id: `${tx}-1`, tx_id: tx, tx_type: 'payment', service: 'api', operation: 'create', state: 'pending', ts: t },
  { event_id: `${tx}-2`, tx_id: tx, tx_type: 'payment', service: 'payments', operation: 'authorize', state: 'authorized', ts: t + 100, idempotency_key: `${tx}-auth` },
  { event_id: `${tx}-3`, tx_id: tx, tx_type: 'payment', service: 'payments', operation: 'capture', state: 'captured', ts: t + 200, idempotency_key: `${tx}-cap` },
  ...(extra.dupCapture ? [{ event_id: `${tx}-3b`, tx_id: tx, tx_type: 'payment', service: 'payments', operation: 'capture', state: 'captured', ts: t + 250, idempotency_key: `${tx}-cap`, attempt: 2 }] : []),
  ...(extra.noLedger ? [] : [{ event_id: `${tx}-4`, tx_id: tx, tx_type: 'payment', service: 'ledger', operation: 'post', state: extra.ledgerState ?? 'captured', ts: t + 300 }]),
];

const get = async (handler: (req: Request) => Promise<Response>, path: string) => {
  const res = await handler(new Request(`http://localhost${path}`));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { message?: string } };
};

/** Signals as stored (committed deltas) and as recounted from the current verdicts: must be equal. */
async function signalsMatchVerdicts(db: Db) {
  const cols = 'transactions, unsettled, flagged, duplicate_delivery, duplicate_execution, ordering, divergence';
  const stored = await db.query(
    `SELECT minute, service, ${cols.split(', ').map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM signal_tx
     WHERE pass_id <= (SELECT maxIf(pass_id, status = 'committed') FROM analysis_passes)
     GROUP BY minute, service HAVING ${cols.split(', ').map((c) => `${c} != 0`).join(' OR ')} ORDER BY minute, service`,
  );
  const flags = ['duplicate_delivery', 'duplicate_execution', 'ordering', 'divergence'];
  const attributed = (f: string) => `if(service = '', ${f}, has(arrayMap(r -> r.service, arrayFilter(r -> r.flag = '${f}', reasons)), service))`;
  const recount = await db.query(
    `SELECT minute, service, count() AS transactions, sum(NOT settled) AS unsettled,
            sum(${flags.map((f) => `a_${f}`).join(' OR ')}) AS flagged, ${flags.map((f) => `sum(a_${f}) AS ${f}`).join(', ')}
     FROM (SELECT toStartOfMinute(first_ts) AS minute, arrayJoin(arrayConcat([''], counted_services)) AS service, settled,
                  ${flags.map((f) => `${attributed(f)} AS a_${f}`).join(', ')}
           FROM tx_flags FINAL)
     GROUP BY minute, service ORDER BY minute, service`,
  );
  expect(stored).toEqual(recount);
  return stored.length;
}

describe('analysis through the API', () => {
  it('runs a pass on demand and answers with its summary', async () => {
    await send([...payment('pay-ok', at(120)), ...payment('pay-dup', at(110), { dupCapture: true }), ...payment('pay-nolg', at(100), { noLedger: true })]);
    await new Promise((r) => setTimeout(r, 1100)); // let the 1 s settle window of the model elapse
    const { status, body } = await get(runAnalysis, '/api/v1/analysis/run');
    expect(status).toBe(200);
    expect(body).toMatchObject({ evaluated: 3, raised: { duplicate_execution: 1, divergence: 1, duplicate_delivery: 0, ordering: 0 } });
    expect(await signalsMatchVerdicts(rt.db)).toBeGreaterThan(0);
  });

  it('lists flagged transactions newest first, filters by flag and service, and pages with a cursor', async () => {
    const all = await get(transactions, '/api/v1/transactions');
    expect((all.body.transactions as { tx_id: string }[]).map((t) => t.tx_id)).toEqual(['pay-nolg', 'pay-dup']);
    const dup = await get(transactions, '/api/v1/transactions?flag=duplicate_execution');
    expect(dup.body.transactions).toEqual([
      expect.objectContaining({
        tx_id: 'pay-dup',
        tx_type: 'payment',
        services: ['api', 'ledger', 'payments'],
        flags: [{ flag: 'duplicate_execution', rule: 'duplicate_execution', service: 'payments', reason: 'capture executed 2 times with idempotency key pay-dup-cap' }],
      }),
    ]);
    expect((await get(transactions, '/api/v1/transactions?service=ledger')).body.transactions).toHaveLength(1);
    const page1 = await get(transactions, '/api/v1/transactions?limit=1');
    expect((page1.body.transactions as unknown[]).length).toBe(1);
    const page2 = await get(transactions, `/api/v1/transactions?limit=1&cursor=${page1.body.next_cursor as string}`);
    expect((page2.body.transactions as { tx_id: string }[])[0]!.tx_id).toBe('pay-dup');
    expect(page2.body.next_cursor).toBeUndefined();
  });

  it.each([
    ['limit=5000', 'parameter limit'],
    ['flag=sideways', 'parameter flag'],
    ['from=yesterday', 'parameter from'],
    ['from=2026-11-27T10:00:00Z&to=2026-11-27T09:00:00Z', 'parameter from: must be earlier than to'],
    ['cursor=garbage', 'parameter cursor'],
  ])('answers 400 naming the parameter for %s', async (query, message) => {
    const res = await get(transactions, `/api/v1/transactions?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it('shows one transaction: events with arrival times, last states, reasons with event ids', async () => {
    const { status, body } = await get((r) => transaction(r, { params: Promise.resolve({ tx_id: 'pay-dup' }) }), '/api/v1/transactions/pay-dup');
    expect(status).toBe(200);
    expect((body.events as { event_id: string; received_at: string }[]).map((e) => e.event_id)).toEqual(['pay-dup-1', 'pay-dup-2', 'pay-dup-3', 'pay-dup-3b', 'pay-dup-4']);
    expect((body.events as { received_at: string }[])[0]!.received_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(body.flags).toEqual(['duplicate_execution']);
    expect(body.reasons).toEqual([expect.objectContaining({ rule: 'duplicate_execution', event_ids: ['pay-dup-3', 'pay-dup-3b'] })]);
    expect(body.last_states).toEqual([
      expect.objectContaining({ service: 'api', state: 'pending' }),
      expect.objectContaining({ service: 'ledger', state: 'captured' }),
      expect.objectContaining({ service: 'payments', state: 'captured', event_id: 'pay-dup-3b' }),
    ]);
    const missing = await get((r) => transaction(r, { params: Promise.resolve({ tx_id: 'nope' }) }), '/api/v1/transactions/nope');
    expect(missing.status).toBe(404);
  });

  it('a late ledger event clears divergence, and the signals follow', async () => {
    await send([{ event_id: 'pay-nolg-4', tx_id: 'pay-nolg', tx_type: 'payment', service: 'ledger', operation: 'post', state: 'captured', ts: at(100) + 300 }]);
    await new Promise((r) => setTimeout(r, 1100));
    const { body } = await get(runAnalysis, '/api/v1/analysis/run');
    expect(body).toMatchObject({ cleared: { divergence: 1 } });
    expect((await get(transactions, '/api/v1/transactions?flag=divergence')).body.transactions).toEqual([]);
    await signalsMatchVerdicts(rt.db);
  });

  it('serves per-minute signals, and coarser steps sum the counts exactly', async () => {
    const from = new Date(Math.floor(at(600) / 60_000) * 60_000).toISOString();
    const to = new Date(Math.ceil(now / 60_000) * 60_000 + 60_000).toISOString();
    const fine = await get(signals, `/api/v1/signals?from=${from}&to=${to}`);
    const buckets = fine.body.buckets as { events: number; transactions: number; flags: { duplicate_execution: { count: number; rate: number } } }[];
    expect(buckets.reduce((s, b) => s + b.transactions, 0)).toBe(3);
    expect(buckets.reduce((s, b) => s + b.events, 0)).toBe(13); // 4 + 5 + 3, and the late ledger event
    expect(buckets.reduce((s, b) => s + b.flags.duplicate_execution.count, 0)).toBe(1);
    const hour = await get(signals, `/api/v1/signals?from=${from}&to=${to}&step=1h`);
    const coarse = hour.body.buckets as typeof buckets;
    expect(coarse.reduce((s, b) => s + b.transactions, 0)).toBe(3);
    const withDup = coarse.find((b) => b.flags.duplicate_execution.count > 0)!;
    expect(withDup.flags.duplicate_execution.rate).toBeCloseTo(1 / withDup.transactions);
    const payments = await get(signals, `/api/v1/signals?from=${from}&to=${to}&service=payments`);
    expect((payments.body.buckets as typeof buckets).reduce((s, b) => s + b.flags.duplicate_execution.count, 0)).toBe(1);
    const ledger = await get(signals, `/api/v1/signals?from=${from}&to=${to}&service=ledger`);
    expect((ledger.body.buckets as typeof buckets).reduce((s, b) => s + b.flags.duplicate_execution.count, 0)).toBe(0);
    expect((await get(signals, '/api/v1/signals?step=7x')).status).toBe(400);
    expect((await get(signals, '/api/v1/signals?step=1m&from=2020-01-01T00:00:00Z')).body.message).toContain('parameter step');
  });

  it('stays correct when a pass dies half-way, and when passes repeat', async () => {
    await send(payment('pay-crash', at(50), { ledgerState: 'authorized' }));
    await new Promise((r) => setTimeout(r, 1100));
    let statements = 0;
    const dying: Db = {
      ...rt.db,
      command: async (sql, params) => {
        if (sql.includes('INSERT INTO signal_tx') && ++statements === 1) {
          await rt.db.command(sql, params); // the deltas land…
          throw new Error('process killed'); // …and the pass never commits
        }
        return rt.db.command(sql, params);
      },
    };
    const models = compileModels(rt.config);
    await expect(runAnalysisPass(dying, { models, maxClockSkewMs: 0 })).rejects.toThrow('process killed');
    const again = await get(runAnalysis, '/api/v1/analysis/run');
    expect(again.body).toMatchObject({ raised: { divergence: 1 } });
    await signalsMatchVerdicts(rt.db);
    await get(runAnalysis, '/api/v1/analysis/run');
    await get(runAnalysis, '/api/v1/analysis/run');
    await signalsMatchVerdicts(rt.db);

    // Killed after the commit, before the verdicts were applied: the next pass finishes it.
    await send(payment('pay-crash2', at(40), { dupCapture: true }));
    const dyingAfterCommit: Db = {
      ...rt.db,
      command: async (sql, params) => {
        if (sql.startsWith('INSERT INTO tx_flags')) throw new Error('process killed');
        return rt.db.command(sql, params);
      },
    };
    await expect(runAnalysisPass(dyingAfterCommit, { models, maxClockSkewMs: 0 })).rejects.toThrow('process killed');
    await get(runAnalysis, '/api/v1/analysis/run');
    await signalsMatchVerdicts(rt.db);
    expect((await get(transactions, '/api/v1/transactions?flag=duplicate_execution')).body.transactions).toEqual(
      expect.arrayContaining([expect.objectContaining({ tx_id: 'pay-crash2' })]),
    );
    const conflict = await get((r) => transaction(r, { params: Promise.resolve({ tx_id: 'pay-crash' }) }), '/api/v1/transactions/pay-crash');
    expect((conflict.body.reasons as { rule: string; service: string }[]).map((r) => [r.rule, r.service])).toEqual([
      ['invalid_transition', 'ledger'], // ledger reported authorized after payments' captured
      ['conflicting_states', 'payments'],
      ['conflicting_states', 'ledger'],
    ]);
  });
});

describe('model suggestion and OpenAPI', () => {
  it('proposes a model from observed payments as YAML', async () => {
    const { status, body } = await get(suggest, '/api/v1/model/suggest?tx_type=payment');
    expect(status).toBe(200);
    expect(body.transactions).toBe(5);
    expect(body.yaml).toContain('models:\n  payment:\n');
    expect(body.yaml).toMatch(/states:\n\s+- pending\n\s+- authorized\n\s+- captured/);
    expect((await get(suggest, '/api/v1/model/suggest')).body.message).toContain('parameter tx_type');
    expect((await get(suggest, '/api/v1/model/suggest?tx_type=refund')).status).toBe(404);
  });

  it('describes every route', async () => {
    const doc = (await (await openapi()).json()) as { paths: Record<string, unknown>; components: { schemas: { Event: { required: string[] } } } };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/api/v1/analysis/run', '/api/v1/transactions', '/api/v1/transactions/{tx_id}', '/api/v1/signals', '/api/v1/model/suggest']),
    );
    expect(doc.components.schemas.Event.required).toEqual(['event_id', 'tx_id', 'service', 'operation', 'ts']);
  });
});
