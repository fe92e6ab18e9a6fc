// The background worker runs analysis passes on its own, every ANALYSIS_INTERVAL, without
// overlapping, and stops cleanly.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Runtime } from '@/lib/server/runtime';
import { backgroundJobs, startWorker, type Worker } from '@/lib/server/worker';
import { insertEvents } from '../support/analysis';
import { eventually, startTestRuntime } from '../support/engine';

let rt: Runtime;
let worker: Worker;
const log = { info: () => undefined, error: (o: object, msg: string) => console.error(msg, o) };

beforeAll(async () => {
  rt = await startTestRuntime({ ANALYSIS_INTERVAL: '200ms' });
});

afterAll(async () => {
  await worker?.stop();
});

it('runs analysis passes every ANALYSIS_INTERVAL and flags what arrives meanwhile', async () => {
  const nowUs = Date.now() * 1000;
  const row = (id: string) => ({
    event_id: id, tx_id: 'w-1', service: 'payments', operation: 'capture', tsUs: nowUs - 5e6, seq: null, status: 'ok' as const,
    state: 'captured', idempotency_key: 'cap-1', causation_id: '', tx_type: 'default', receivedAtUs: nowUs, insertedAtUs: nowUs,
  });
  worker = startWorker(rt, backgroundJobs(rt), log);
  await eventually(async () => (await rt.db.query(`SELECT 1 FROM analysis_passes WHERE status = 'committed'`)).length >= 2, 10_000);
  await insertEvents(rt.db, [row('w-a'), row('w-b')]);
  await eventually(async () => (await rt.db.query(`SELECT 1 FROM tx_flags FINAL WHERE tx_id = 'w-1' AND duplicate_execution = 1`)).length === 1, 10_000);
  await worker.stop();
  const [{ n }] = (await rt.db.query<{ n: number | string }>(`SELECT countIf(status = 'started') - countIf(status = 'committed') AS n FROM analysis_passes`)) as [{ n: number }];
  expect(Number(n)).toBe(0); // every started pass committed: stop() waited for the running one
});
