// Ingest → real embedded ClickHouse: stored types, partial acceptance, limits, gzip,
// idempotent retries and backpressure, through the HTTP routes (Fastify inject).
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@/ingest/app';
import type { Ingestor } from '@/ingest/ingestor';
import type { Runtime } from '@/lib/server/runtime';
import { count, event, eventually, ndjson, startTestRuntime } from '../support/engine';

let rt: Runtime;
let app: FastifyInstance;
let ingestor: Ingestor;

beforeAll(async () => {
  rt = await startTestRuntime();
  const built = await buildApp(rt, { ingest: true, segmentAgeMs: 20 });
  app = built.app;
  ingestor = built.ingestor!;
});

afterAll(async () => {
  await app.close();
  await ingestor.close();
});

const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/events', payload, headers: { 'content-type': 'application/x-ndjson', ...headers } });

describe('stored rows', () => {
  it('keeps every field with its ClickHouse type', async () => {
    const res = await post(
      ndjson([
        {
          event_id: 'typed-1', tx_id: 'pay-typed', service: 'payments', operation: 'capture\tretry', ts: '2026-11-27T00:00:01.654321Z',
          tx_type: 'payment', state: 'captured', status: 'error', seq: 0, idempotency_key: 'cap-1', attempt: 2,
          causation_id: 'typed-0', trace_id: 'AB'.repeat(16), span_id: 'cd'.repeat(8), attributes: { amount: 12.5, region: 'eu', note: "it's\ta\nmulti\\line {'x'}" }, shard: 4,
        },
        { event_id: 'typed-2', tx_id: 'pay-typed', service: 'ledger', operation: 'post', ts: Date.UTC(2026, 10, 27, 0, 0, 2) },
      ]),
    );
    expect(res.statusCode).toBe(200);
    await eventually(async () => (await count(rt.db, `tx_id = 'pay-typed'`)) === 2);
    const rows = await rt.db.query<Record<string, unknown>>(
      `SELECT event_id, operation, ts, toTypeName(ts) AS ts_type, status, toTypeName(status) AS status_type, seq, toTypeName(seq) AS seq_type,
              tx_type, state, idempotency_key, attempt, causation_id, trace_id, span_id, attributes, received_at > ts AS after
       FROM events WHERE tx_id = 'pay-typed' ORDER BY event_id`,
    );
    expect(rows[0]).toMatchObject({
      event_id: 'typed-1', operation: 'capture\tretry', ts: '2026-11-27 00:00:01.654321', ts_type: "DateTime64(6, 'UTC')", status: 'error', status_type: "Enum8('ok' = 1, 'error' = 2)",
      seq: 0, seq_type: 'Nullable(UInt64)', tx_type: 'payment', state: 'captured', idempotency_key: 'cap-1', attempt: 2, causation_id: 'typed-0',
      trace_id: 'ab'.repeat(16), span_id: 'cd'.repeat(8), attributes: { amount: '12.5', region: 'eu', note: "it's\ta\nmulti\\line {'x'}", shard: '4' }, after: 1,
    });
    expect(rows[1]).toMatchObject({ event_id: 'typed-2', ts: '2026-11-27 00:00:02.000000', status: 'ok', seq: null, tx_type: 'default', state: '', attempt: 1 });
  });

  it('keeps genuine duplicates: the same event_id sent twice is stored twice', async () => {
    const e = event({ event_id: 'redelivered-1' });
    expect((await post(ndjson([e]))).statusCode).toBe(200);
    expect((await post(ndjson([e]))).statusCode).toBe(200);
    await eventually(async () => (await count(rt.db, `event_id = 'redelivered-1'`)) === 2);
  });
});

describe('partial acceptance and limits', () => {
  it('stores the valid lines and lists the rejected ones', async () => {
    const good = [event({ tx_id: 'partial' }), event({ tx_id: 'partial' })];
    const res = await post([JSON.stringify(good[0]), '{"event_id":1}', 'not json', JSON.stringify(good[1])].join('\n'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      accepted: 2,
      rejected: 2,
      errors: [
        { line: 2, field: 'event_id', message: 'expected a string, got a number' },
        { line: 3, field: null, message: expect.stringMatching(/not valid JSON/) },
      ],
    });
    await eventually(async () => (await count(rt.db, `tx_id = 'partial'`)) === 2);
  });

  it('answers 400 and stores nothing when no line is valid', async () => {
    const res = await post('{"event_id":"x","tx_id":"none-valid"}\n[]');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', accepted: 0, rejected: 2, errors: [{ line: 1, field: 'service' }, { line: 2 }] });
    await new Promise((r) => setTimeout(r, 200));
    expect(await count(rt.db, `tx_id = 'none-valid'`)).toBe(0);
  });

  it('answers 400 for an empty body', async () => {
    const res = await post('');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/empty body/);
  });

  it('accepts a JSON array', async () => {
    const res = await post(JSON.stringify([event({ tx_id: 'array' }), event({ tx_id: 'array' })]), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.json()).toMatchObject({ accepted: 2, rejected: 0 });
    await eventually(async () => (await count(rt.db, `tx_id = 'array'`)) === 2);
  });

  it('refuses other content types with 415', async () => {
    const res = await post(ndjson([event()]), { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toMatch(/application\/x-ndjson/);
  });

  it('refuses a body over 32 MiB with 413', async () => {
    const line = JSON.stringify(event({ attributes: { pad: 'x'.repeat(8000) } }));
    const body = Buffer.from(`${line}\n`.repeat(Math.ceil((33 * 1048576) / line.length)));
    const res = await post(body);
    expect(res.statusCode).toBe(413);
    expect(res.json().message).toMatch(/32 MiB/);
  });
});

describe('gzip', () => {
  it('accepts a gzip body', async () => {
    const res = await post(gzipSync(ndjson([event({ tx_id: 'gz' }), event({ tx_id: 'gz' }), event({ tx_id: 'gz' })])), { 'content-encoding': 'gzip' });
    expect(res.json()).toMatchObject({ accepted: 3 });
    await eventually(async () => (await count(rt.db, `tx_id = 'gz'`)) === 3);
  });

  it('refuses a body that only claims to be gzip', async () => {
    const res = await post(ndjson([event()]), { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/not valid gzip/);
  });

  it('refuses a small gzip body that inflates past 32 MiB with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(40 * 1048576, 0x20));
    expect(bomb.length).toBeLessThan(1048576);
    const res = await post(bomb, { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
  });

  it('refuses other encodings with 415', async () => {
    const res = await post(ndjson([event()]), { 'content-encoding': 'br' });
    expect(res.statusCode).toBe(415);
  });
});

describe('Idempotency-Key', () => {
  it('stores a retried request once and answers it with the original result', async () => {
    const body = ndjson([event({ tx_id: 'idem-1' }), event({ tx_id: 'idem-1' }), 'broken']);
    const first = await post(body, { 'idempotency-key': 'retry-1' });
    const second = await post(body, { 'idempotency-key': 'retry-1' });
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    await eventually(async () => (await count(rt.db, `tx_id = 'idem-1'`)) === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(await count(rt.db, `tx_id = 'idem-1'`)).toBe(2);
  });

  it('stores concurrent retries with one key once', async () => {
    const body = ndjson([event({ tx_id: 'idem-2' })]);
    const answers = await Promise.all([1, 2, 3, 4].map(() => post(body, { 'idempotency-key': 'retry-2' })));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.json().request_id)).size).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await count(rt.db, `tx_id = 'idem-2'`)).toBe(1);
  });

  it('refuses the same key with a different body', async () => {
    await post(ndjson([event({ tx_id: 'idem-3' })]), { 'idempotency-key': 'retry-3' });
    const res = await post(ndjson([event({ tx_id: 'idem-3' })]), { 'idempotency-key': 'retry-3' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/different body/);
  });

  it('recognises a key whose answer is only in ClickHouse (after a restart)', async () => {
    const body = ndjson([event({ tx_id: 'idem-4' })]);
    const first = await post(body, { 'idempotency-key': 'retry-4' });
    await eventually(async () => (await rt.db.query(`SELECT 1 FROM ingest_requests WHERE idempotency_key = 'retry-4'`)).length === 1);
    // A fresh store (as after a restart) knows nothing in memory.
    const { IdempotencyStore } = await import('@/ingest/idempotency');
    const found = await new IdempotencyStore(rt.db).find('retry-4', Date.now());
    expect(found?.response).toBe(first.body);
  });
});

describe('backpressure', () => {
  it('answers 503 with Retry-After while acknowledged data waits for ClickHouse', async () => {
    const { app: tight, ingestor: ing } = await buildApp(rt, { ingest: true, segmentAgeMs: 1_000, maxBacklogBytes: 1 });
    try {
      const inject = (tx: string) =>
        tight.inject({ method: 'POST', url: '/v1/events', payload: ndjson([event({ tx_id: tx })]), headers: { 'content-type': 'application/x-ndjson' } });
      expect((await inject('bp-1')).statusCode).toBe(200);
      const refused = await inject('bp-2');
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('2');
      await eventually(async () => !ing!.isBehind());
      expect((await inject('bp-3')).statusCode).toBe(200);
    } finally {
      await tight.close();
      await ing!.close();
    }
  });
});

describe('health', () => {
  it('reports ready and exposes Prometheus metrics', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { clickhouse: 'ok' } });
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/^txdrift_ingest_events_accepted_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^txdrift_ingest_events_rejected_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^txdrift_ingest_requests_total\{status="413"\} 2$/m);
    expect(metrics).toMatch(/^txdrift_ingest_insert_duration_seconds_count [1-9]/m);
    expect(metrics).toMatch(/^txdrift_ingest_spool_bytes \d+$/m);
    expect(metrics).toMatch(/^txdrift_process_resident_memory_bytes \d+/m);
  });
});
