// The in-process demo against a real ingest and engine: it backfills history, then sends
// live traffic, publishes its state (banner, /api/v1/status), stops cleanly, and after a
// restart writes only the gap instead of the whole history again.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as status } from '@/app/api/v1/status/route';
import { buildApp } from '@/ingest/app';
import type { Ingestor } from '@/ingest/ingestor';
import { startDemo } from '@/lib/server/demo';
import { getDemoState, type DemoState } from '@/lib/server/demo-state';
import type { Runtime } from '@/lib/server/runtime';
import { count, eventually, startTestRuntime } from '../support/engine';

let rt: Runtime;
let app: FastifyInstance;
let ingestor: Ingestor;
let port: number;

beforeAll(async () => {
  rt = await startTestRuntime({ TXDRIFT_CONFIG: path.resolve(import.meta.dirname, '../../config/demo.yaml') });
  ({ app, ingestor } = (await buildApp(rt, { ingest: true, segmentAgeMs: 50 })) as { app: FastifyInstance; ingestor: Ingestor });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app.close();
  await ingestor.close();
});

const demoStatus = async () => ((await (await status(new Request('http://localhost/api/v1/status'))).json()) as { demo: DemoState | null }).demo;

describe('the in-process demo', () => {
  it('backfills, goes live, shows its state, and stops on request', async () => {
    const demo = startDemo(rt, port, app.log, { rate: 3, backfillMs: 20 * 60_000, plans: [{ name: 'dup-storm', offsetMs: -10 * 60_000, durationMs: 60 * 60_000 }] });
    await eventually(async () => getDemoState()?.backfilling === true, 10_000);
    expect(getDemoState()).toMatchObject({ active: true, rate: 3, backfillHours: 0.3 });
    await eventually(async () => getDemoState()?.backfilling === false, 30_000);
    const live = await demoStatus();
    expect(live).toMatchObject({ active: true, backfilling: false, scenarios: [expect.objectContaining({ name: 'dup-storm', active: true })] });
    const oldest = Date.now() - 21 * 60_000;
    await eventually(async () => (await count(rt.db, "ts < fromUnixTimestamp64Milli({t:Int64}, 'UTC') + INTERVAL 2 MINUTE", { t: oldest })) > 0);
    await eventually(async () => (await count(rt.db, "ts > now64() - INTERVAL 5 SECOND")) > 0, 15_000);

    await demo.stop();
    expect(getDemoState()).toBeNull();
    expect(await demoStatus()).toBeNull();
    await new Promise((r) => setTimeout(r, 1500));
    const after = await count(rt.db);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await count(rt.db)).toBe(after);
  });

  it('after a restart writes only the gap since the last event, not the whole history again', async () => {
    const demo = startDemo(rt, port, app.log, { rate: 3, backfillMs: 20 * 60_000, plans: [] });
    await eventually(async () => getDemoState()?.backfilling === false, 15_000);
    expect(getDemoState()!.backfillHours).toBe(0);
    await demo.stop();
  });
});
