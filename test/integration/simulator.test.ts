// `txdrift simulate` against a real ingest over HTTP (real embedded ClickHouse, the demo
// model): events arrive; a batch retried after a lost answer is stored once (same
// Idempotency-Key); a 503 is retried no sooner than its Retry-After. Then the whole
// pipeline (ingest → analysis pass → detection): hours of clean backfilled traffic open no
// anomaly episode, and a dup-storm opens duplicate_execution episodes on payments.
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as anomalies } from '@/app/api/v1/anomalies/route';
import { buildApp } from '@/ingest/app';
import type { Ingestor } from '@/ingest/ingestor';
import { main } from '@/cli/txdrift';
import { runPass } from '@/lib/server/analysis';
import { runDetection } from '@/lib/server/detection';
import type { Runtime } from '@/lib/server/runtime';
import { count, eventually, startTestRuntime } from '../support/engine';

let rt: Runtime;
let app: FastifyInstance;
let ingestor: Ingestor;
let url: string;

beforeAll(async () => {
  rt = await startTestRuntime({ TXDRIFT_CONFIG: path.resolve(import.meta.dirname, '../../config/demo.yaml') });
  ({ app, ingestor } = (await buildApp(rt, { ingest: true, segmentAgeMs: 50 })) as { app: FastifyInstance; ingestor: Ingestor });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
  await ingestor.close();
});

interface Report {
  run_id: string;
  truth: { transactions: number; scenarios: { name: string; fromMs: number; toMs: number; transactions: number; sampleTxIds: string[] }[] };
  stats: { events: number; accepted: number; rejected: number; retries: number; replayed: number; retriedOn: Record<string, number> };
}

async function simulate(args: string[]): Promise<{ status: number; report: Report; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _enc, cb) => (append(String(chunk)), cb()) });
  const status = await main(['simulate', '--json', ...args], { stdin: process.stdin, stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  return { status, report: status === 0 ? (JSON.parse(stdout) as Report) : (null as unknown as Report), stderr };
}

const runEvents = (runId: string) => count(rt.db, 'position(tx_id, {run:String}) > 0', { run: `-${runId}-` });

/** A proxy in front of ingest that misbehaves on the requests the test chooses. */
function proxy(plan: Record<number, '503' | 'lose-answer'>) {
  const seen: { key: string; atMs: number; action?: string }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const action = plan[seen.length + 1];
    seen.push({ key: String(req.headers['idempotency-key']), atMs: Date.now(), action });
    if (action === '503') {
      res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"error":"unavailable","message":"behind"}');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
    const upstream = await fetch(`${url}${req.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) });
    const body = await upstream.text();
    if (action === 'lose-answer') return void res.socket?.destroy(); // stored, but the client never hears so
    res.writeHead(upstream.status, { 'content-type': 'application/json', ...(upstream.headers.get('idempotent-replayed') && { 'idempotent-replayed': 'true' }) }).end(body);
  });
  return new Promise<{ url: string; seen: typeof seen; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

describe('txdrift simulate over HTTP', () => {
  it('delivers every event once, through a 503 and a lost answer, retrying with the same Idempotency-Key', async () => {
    const p = await proxy({ 1: '503', 3: 'lose-answer' });
    const { status, report, stderr } = await simulate(['--url', p.url, '--rate', '3', '--seed', '2', '--backfill', '10m', '--duration', '1s', '--batch', '500']);
    await p.close();
    expect(status, stderr).toBe(0);
    expect(report.stats).toMatchObject({ retries: 2, retriedOn: { '503': 1, network: 1 }, replayed: 1, rejected: 0 });
    expect(report.stats.accepted).toBe(report.stats.events);
    // Each failed request is sent again under its key (backfill batches go two at a time, so look it up).
    const retryOf = (action: string) => {
      const first = p.seen.find((s) => s.action === action)!;
      return { first, again: p.seen.filter((s) => s.key === first.key && s !== first) };
    };
    const unavailable = retryOf('503');
    expect(unavailable.again).toHaveLength(1);
    expect(unavailable.again[0]!.atMs - unavailable.first.atMs).toBeGreaterThanOrEqual(990); // Retry-After: 1
    expect(retryOf('lose-answer').again).toHaveLength(1);
    expect(new Set(p.seen.map((s) => s.key)).size).toBe(p.seen.length - 2);
    await eventually(async () => (await runEvents(report.run_id)) >= report.stats.events);
    await new Promise((r) => setTimeout(r, 300));
    expect(await runEvents(report.run_id)).toBe(report.stats.events);
  });

  it('refuses bad options with a message naming them', async () => {
    const r = await simulate(['--url', url, '--schedule', 'dup-storm@soon']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"dup-storm@soon" is not NAME@+OFFSET[/DURATION]');
  });
});

type Episode = { signal: string; service: string; start: string; sample_tx_ids: string[]; attribution: { key: string; value: string }[] };
async function episodes(): Promise<Episode[]> {
  const res = await anomalies(new Request('http://localhost/api/v1/anomalies?limit=100'));
  return ((await res.json()) as { anomalies: Episode[] }).anomalies;
}

async function analyse(runId: string, events: number) {
  await eventually(async () => (await runEvents(runId)) >= events, 30_000);
  await runPass(rt);
  await runDetection(rt, Date.now());
}

describe('the whole pipeline', () => {
  it('opens no anomaly episode on two hours of clean traffic', async () => {
    const { status, report, stderr } = await simulate(['--url', url, '--rate', '2', '--seed', '3', '--backfill', '2h', '--duration', '1s']);
    expect(status, stderr).toBe(0);
    expect(report.truth.transactions).toBeGreaterThan(3_000);
    await analyse(report.run_id, report.stats.events);
    expect(await episodes()).toEqual([]);
  });

  it('opens duplicate_execution episodes on payments for a dup-storm, and nothing else', async () => {
    const { status, report, stderr } = await simulate(['--url', url, '--rate', '2', '--seed', '4', '--backfill', '1h', '--duration', '1s', '--schedule', 'dup-storm@-30m/10m']);
    expect(status, stderr).toBe(0);
    const storm = report.truth.scenarios[0]!;
    expect(storm.transactions).toBeGreaterThan(30);
    await analyse(report.run_id, report.stats.events);
    const found = await episodes();
    expect(found.map((e) => e.signal)).toEqual(found.map(() => 'duplicate_execution'));
    const payments = found.find((e) => e.service === 'payments')!;
    expect(payments).toBeDefined();
    expect(Math.abs(Date.parse(payments.start) - storm.fromMs)).toBeLessThan(3 * 60_000);
    expect(payments.sample_tx_ids.every((id) => id.includes(`-${report.run_id}-`))).toBe(true);
    expect(payments.attribution[0]).toMatchObject({ key: 'region', value: 'eu-west-1' });
  });
});
