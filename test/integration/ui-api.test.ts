// The UI's own /api/v1 routes on the real embedded engine: search by any id, signals with
// the detector's expected band (a burst must sit above it, quiet minutes inside it), the
// per-service breakdown (which service drives the drift), and the configured models.
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as breakdown } from '@/app/api/v1/breakdown/route';
import { GET as models } from '@/app/api/v1/models/route';
import { GET as search } from '@/app/api/v1/search/route';
import { GET as bands } from '@/app/api/v1/signals/bands/route';
import type { AnalysisEvent } from '@/lib/analysis/reference';
import { runPass } from '@/lib/server/analysis';
import type { Runtime } from '@/lib/server/runtime';
import { insertEvents } from '../support/analysis';
import { startTestRuntime, tempDir } from '../support/engine';
import { paymentEvents } from '../support/payment-events';

let rt: Runtime;
const MIN = 60_000;
const now = Math.floor(Date.now() / MIN) * MIN - 5 * MIN;
const BURST = { from: now - 20 * MIN, to: now - 17 * MIN };


beforeAll(async () => {
  const dir = tempDir('txdrift-ui-api-config-');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${dir}/txdrift.yaml`, `models:\n  payment:\n    states: [pending, captured]\n    transitions: { pending: [captured] }\n    participants: [api, payments, ledger]\n    settle_after: 1m\n`);
  rt = await startTestRuntime({ TXDRIFT_CONFIG: `${dir}/txdrift.yaml` });
  const events: AnalysisEvent[] = [];
  for (let m = now - 90 * MIN; m < now; m += MIN) {
    for (let k = 0; k < 20; k++) events.push(...paymentEvents(`t${m}-${k}`, m + k * 2000, m >= BURST.from && m < BURST.to && k % 2 === 0));
  }
  await insertEvents(rt.db, events);
  await runPass(rt);
});

async function get<T>(handler: (req: Request) => Promise<Response>, path: string): Promise<{ status: number; body: T }> {
  const res = await handler(new Request(`http://localhost${path}`));
  return { status: res.status, body: (await res.json()) as T };
}

type Bucket = { ts: string; transactions: number; flags: Record<string, { count: number; rate: number }>; bands: Record<string, { expected: number; lower: number; upper: number; anomalous: boolean }> };

describe('ui api', () => {
  it('finds a transaction by its id, an event id or an idempotency key, with its flags', async () => {
    const tx = `t${BURST.from}-0`;
    for (const [q, kind] of [[tx, 'tx_id'], [`${tx}-2b`, 'event_id'], [`${tx}-cap`, 'idempotency_key']] as const) {
      const { status, body } = await get<{ matches: { tx_id: string; matched: string[]; flags: string[]; services: string[]; events: number }[] }>(search, `/api/v1/search?q=${encodeURIComponent(q)}`);
      expect(status).toBe(200);
      expect(body.matches).toHaveLength(1);
      expect(body.matches[0]).toMatchObject({ tx_id: tx, matched: [kind], flags: ['duplicate_execution'], services: ['api', 'ledger', 'payments'], events: 4 });
    }
    expect((await get<{ matches: unknown[] }>(search, '/api/v1/search?q=nope')).body.matches).toEqual([]);
    const bad = await get<{ message: string }>(search, '/api/v1/search');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('parameter q');
  });

  it('draws the expected band: the burst minutes sit above it, the quiet ones inside', async () => {
    const { status, body } = await get<{ step_minutes: number; buckets: Bucket[] }>(bands, `/api/v1/signals/bands?from=${now - 60 * MIN}&to=${now}&step=1m`);
    expect(status).toBe(200);
    expect(body.buckets).toHaveLength(60);
    const burst = body.buckets.filter((b) => Date.parse(b.ts) >= BURST.from && Date.parse(b.ts) < BURST.to);
    expect(burst).toHaveLength(3);
    for (const b of burst) {
      expect(b.flags.duplicate_execution!.count).toBe(10);
      expect(b.flags.duplicate_execution!.rate).toBeGreaterThan(b.bands.duplicate_execution!.upper);
      expect(b.bands.duplicate_execution!.anomalous).toBe(true);
    }
    const quiet = body.buckets.filter((b) => Date.parse(b.ts) < BURST.from - 5 * MIN);
    expect(quiet.every((b) => !b.bands.duplicate_execution!.anomalous)).toBe(true);
  });

  it('rolls the band up to coarser steps and rejects ranges with too many buckets', async () => {
    const aligned = Math.floor(now / (5 * MIN)) * 5 * MIN;
    const { body } = await get<{ buckets: Bucket[] }>(bands, `/api/v1/signals/bands?from=${aligned - 60 * MIN}&to=${aligned}&step=5m`);
    expect(body.buckets).toHaveLength(12);
    expect(body.buckets.some((b) => b.bands.duplicate_execution!.anomalous)).toBe(true);
    const bad = await get<{ message: string }>(bands, `/api/v1/signals/bands?from=${now - 7 * 1440 * MIN}&to=${now}&step=1m`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('parameter step');
  });

  it('breaks the range down per service: payments carries the duplicate executions', async () => {
    const { body } = await get<{ services: { service: string; transactions: number; events: number; flags: Record<string, { count: number }> }[] }>(breakdown, `/api/v1/breakdown?from=${now - 90 * MIN}&to=${now}`);
    expect(body.services.map((s) => s.service).sort()).toEqual(['api', 'ledger', 'payments']);
    const payments = body.services.find((s) => s.service === 'payments')!;
    expect(body.services[0]!.service).toBe('payments');
    expect(payments.flags.duplicate_execution!.count).toBe(30);
    expect(payments.transactions).toBe(90 * 20);
    expect(payments.events).toBe(90 * 20 + 30);
  });

  it('serves the configured models', async () => {
    const { body } = await get<{ models: Record<string, { states: string[]; participants: string[] }> }>(models as never, '/api/v1/models');
    expect(body.models.payment).toMatchObject({ states: ['pending', 'captured'], participants: ['api', 'payments', 'ledger'] });
  });
});
