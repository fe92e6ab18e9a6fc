// Detection end to end on the real engine: two hours of ordinary payment traffic, a five
// minute burst of duplicate captures concentrated in one region, then recovery. Analysis
// flags the transactions; detection must open exactly one episode on
// duplicate_execution × payments with its evidence and attribution, resolve it after
// recovery, and serve it through the API. An absolute rule catches a single duplicate.
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as anomaly } from '@/app/api/v1/anomalies/[id]/route';
import { GET as anomalies } from '@/app/api/v1/anomalies/route';
import type { AnalysisEvent } from '@/lib/analysis/reference';
import { runPass } from '@/lib/server/analysis';
import { runDetection } from '@/lib/server/detection';
import type { Runtime } from '@/lib/server/runtime';
import { startTestRuntime, tempDir } from '../support/engine';
import { paymentEvents } from '../support/payment-events';

let rt: Runtime;
const MIN = 60_000;
const now = Math.floor(Date.now() / MIN) * MIN - 5 * MIN;
const INCIDENT = { from: now - 40 * MIN, to: now - 35 * MIN };


beforeAll(async () => {
  const dir = tempDir('txdrift-detect-config-');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    `${dir}/txdrift.yaml`,
    `models:
  payment:
    states: [pending, captured]
    transitions: { pending: [captured] }
    participants: [api, payments, ledger]
    settle_after: 1m
detection:
  rules:
    - { signal: duplicate_execution, service: ledger }
`,
  );
  rt = await startTestRuntime({ TXDRIFT_CONFIG: `${dir}/txdrift.yaml` });
  const events: AnalysisEvent[] = [];
  for (let m = now - 120 * MIN; m < now; m += MIN) {
    for (let k = 0; k < 20; k++) {
      const inIncident = m >= INCIDENT.from && m < INCIDENT.to;
      const duplicate = inIncident && k % 5 < 2; // 40% of the incident's payments captured twice
      events.push(...paymentEvents(`t${m}-${k}`, m + k * 2000, duplicate, duplicate ? 'eu-west-1' : ['us-east-1', 'eu-west-1', 'ap-south-1'][k % 3]!));
    }
  }
  await insertEventsWithAttributes(events);
  await runPass(rt);
});

async function insertEventsWithAttributes(events: AnalysisEvent[]) {
  // The shared insertEvents writes no attributes; attribution needs them.
  const withAttrs = events as (AnalysisEvent & { attributes: Record<string, string> })[];
  const rows = withAttrs.map((e) =>
    JSON.stringify({
      ts: e.tsUs, received_at: e.receivedAtUs, inserted_at: e.insertedAtUs, tx_id: e.tx_id, event_id: e.event_id, service: e.service,
      operation: e.operation, tx_type: e.tx_type, state: e.state, status: e.status, seq: e.seq, idempotency_key: e.idempotency_key,
      attempt: 1, causation_id: e.causation_id, trace_id: '', span_id: '', attributes: e.attributes, request_id: 'detect-test',
    }),
  );
  await rt.db.insertRaw({ table: 'events', format: 'JSONEachRow', body: Buffer.from(rows.join('\n') + '\n'), settings: { insert_deduplicate: 0 } });
}

const get = async (handler: (req: Request) => Promise<Response>, path: string) => {
  const res = await handler(new Request(`http://localhost${path}`));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { message?: string } };
};

describe('detection', () => {
  it('opens one episode for the duplicate-capture burst on payments, with evidence, and resolves it after recovery', async () => {
    const summary = await runDetection(rt, now);
    expect(summary.episodes).toBeGreaterThanOrEqual(1);
    const { body } = await get(anomalies, '/api/v1/anomalies?signal=duplicate_execution&service=payments');
    const list = body.anomalies as { id: string; status: string; start: string; resolved_at: string | null; flagged: number; affected: number; observed: number; expected: number; peak_score: number; sample_tx_ids: string[]; attribution: { key: string; value: string; lift: number }[] }[];
    expect(list).toHaveLength(1);
    const a = list[0]!;
    expect(Date.parse(a.start)).toBe(INCIDENT.from);
    expect(a.status).toBe('resolved');
    expect(Date.parse(a.resolved_at!)).toBeLessThan(now);
    expect(a.flagged).toBe(40); // 8 duplicates a minute for 5 minutes
    expect(a.affected).toBe(40);
    expect(a.sample_tx_ids).toHaveLength(20);
    expect(a.observed).toBeCloseTo(0.4, 2);
    expect(a.expected).toBeLessThan(0.01);
    expect(a.peak_score).toBeGreaterThan(0.5);
    expect(a.attribution[0]).toMatchObject({ key: 'region', value: 'eu-west-1' });
  });

  it('raises nothing on the ordinary hours around it', async () => {
    const { body } = await get(anomalies, '/api/v1/anomalies');
    const others = (body.anomalies as { signal: string; service: string }[]).filter((a) => a.signal !== 'duplicate_execution');
    expect(others).toEqual([]);
  });

  it('is stable: scoring again updates the same episode instead of opening another', async () => {
    await runDetection(rt, now);
    const { body } = await get(anomalies, '/api/v1/anomalies?signal=duplicate_execution&service=payments');
    expect(body.anomalies).toHaveLength(1);
  });

  it('an absolute rule makes one duplicate on ledger an anomaly', async () => {
    const t = now - 10 * MIN;
    const dup = paymentEvents('ledger-dup', t, false, 'us-east-1');
    const extra = { ...dup[2]!, event_id: 'ledger-dup-3b', tsUs: dup[2]!.tsUs + 1000 };
    const extra2 = { ...dup[2]!, event_id: 'ledger-dup-3c', tsUs: dup[2]!.tsUs + 2000 };
    await insertEventsWithAttributes([...dup, extra, extra2]);
    await runPass(rt);
    await runDetection(rt, now);
    const { body } = await get(anomalies, '/api/v1/anomalies?signal=duplicate_execution&service=ledger');
    expect(body.anomalies).toEqual([expect.objectContaining({ kind: 'rule', flagged: 1, sample_tx_ids: ['ledger-dup'] })]);
  });

  it('serves one episode with the series around it and pages its affected transactions', async () => {
    const list = (await get(anomalies, '/api/v1/anomalies?signal=duplicate_execution&service=payments')).body.anomalies as { id: string }[];
    const id = list[0]!.id;
    const page1 = await get((r) => anomaly(r, { params: Promise.resolve({ id }) }), `/api/v1/anomalies/${id}?limit=30`);
    expect(page1.status).toBe(200);
    const affected = page1.body.affected as { total: number; tx_ids: string[]; next_after?: string };
    expect(affected.total).toBe(40);
    expect(affected.tx_ids).toHaveLength(30);
    const page2 = await get((r) => anomaly(r, { params: Promise.resolve({ id }) }), `/api/v1/anomalies/${id}?limit=30&after=${affected.next_after!}`);
    expect((page2.body.affected as { tx_ids: string[] }).tx_ids).toHaveLength(10);
    const series = page1.body.series as { buckets: { ts: string; flags: { duplicate_execution: { count: number } } }[] };
    expect(series.buckets.reduce((s, b) => s + b.flags.duplicate_execution.count, 0)).toBe(40);
    expect(series.buckets.length).toBeGreaterThan(120);
    expect((await get((r) => anomaly(r, { params: Promise.resolve({ id: 'anm_nope' }) }), '/api/v1/anomalies/anm_nope')).status).toBe(404);
    expect((await get(anomalies, '/api/v1/anomalies?status=sideways')).body.message).toContain('parameter status');
  });
});
