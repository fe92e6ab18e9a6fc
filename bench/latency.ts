// npm run bench:latency [-- --quick --trials N --json FILE]
//
// Detection latency end to end, with default settings: a real txdrift process (server.ts
// when a production UI build exists, else the same runtime, ingest and worker without the
// UI: bench/latency-server.ts) on a fresh embedded engine, a webhook destination declared in
// TXDRIFT_CONFIG pointing at a receiver on 127.0.0.1 (signatures checked with the
// independent `standardwebhooks` library). Hours of payment history (8 or more payment
// shards, edge, ledger; ~0.3% duplicate captures) go through the ingest API, then live traffic keeps
// arriving every 2 s. Each trial injects a burst of duplicate executions on one shard at
// "now" through the ingest API and times from the request until the firing webhook for that
// shard's episode reaches the receiver. Reports p50 / p95 / max.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { generateSecret } from '@/lib/server/alerting/sign';
import { rng } from '../test/support/prng';
import { PAYMENT_MODEL } from '../test/support/models';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    trials: { type: 'string' },
    port: { type: 'string', default: '3297' },
    json: { type: 'string' },
    'history-hours': { type: 'string' },
  },
});
const QUICK = args.quick;
const TRIALS = Number(args.trials ?? (QUICK ? 5 : 8));
const HISTORY_H = Number(args['history-hours'] ?? (QUICK ? 2 : 3));
const PORT = Number(args.port);
// One shard per trial: a shard's episode stays open ~6 minutes after its burst, so a shard is never reused.
const SHARDS = Math.max(8, TRIALS);
const PER_MIN = 40; // payments a minute
const MIN = 60_000;
const rand = rng(7);

let txSeq = 0;
/** One payment: edge, a payments shard, ledger; `dup` captures twice with one idempotency key. */
function payment(ts: number, shard: number, dup: boolean): object[] {
  const tx = `pay-${(txSeq++).toString(36)}`;
  const region = ['eu-west-1', 'us-east-1', 'ap-south-1'][txSeq % 3]!;
  const e = (n: string, service: string, operation: string, state: string, dt: number, extra: object = {}) => ({
    event_id: `${tx}-${n}`, tx_id: tx, tx_type: 'payment', service, operation, state, ts: ts + dt, attributes: { region }, ...extra,
  });
  const svc = `payments-${shard}`;
  return [
    e('1', 'edge', 'receive', 'pending', 0),
    e('2', svc, 'authorize', 'authorized', 40, { idempotency_key: `${tx}-auth` }),
    e('3', svc, 'capture', 'captured', 90, { idempotency_key: `${tx}-cap` }),
    ...(dup ? [e('3b', svc, 'capture', 'captured', 400, { idempotency_key: `${tx}-cap`, attempt: 2 })] : []),
    e('4', 'ledger', 'post', 'captured', 150),
  ];
}

async function ingest(events: object[]): Promise<void> {
  for (let i = 0; i < events.length; i += 5000) {
    const body = events.slice(i, i + 5000).map((e) => JSON.stringify(e)).join('\n') + '\n';
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${PORT}/v1/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
      if (res.ok) break;
      if (res.status !== 429 && res.status !== 503) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function traffic(fromMs: number, toMs: number, dupShare: number): object[] {
  const out: object[] = [];
  const n = Math.round(((toMs - fromMs) / MIN) * PER_MIN);
  for (let i = 0; i < n; i++) out.push(...payment(fromMs + Math.floor(((toMs - fromMs) * i) / n), i % SHARDS, rand() < dupShare));
  return out;
}

/** `recorded`: when the alerting job wrote the notification (the payload's timestamp). */
interface Arrival { at: number; recorded: number; anomalies: { service: string; signal: string }[] }

async function startReceiver(secret: string) {
  const arrivals: Arrival[] = [];
  let bad = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      try {
        const body = new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>) as {
          type: string; timestamp: string; data: { anomalies: Arrival['anomalies'] };
        };
        if (body.type === 'anomaly.firing') arrivals.push({ at, recorded: Date.parse(body.timestamp), anomalies: body.data.anomalies });
      } catch {
        bad += 1;
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, arrivals, bad: () => bad, close: () => server.close() };
}

async function waitReady(proc: ChildProcess): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (proc.exitCode !== null) throw new Error('txdrift exited during start');
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/readyz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('txdrift not ready within 120 s');
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'txdrift-bench-latency-'));
  const secret = generateSecret();
  const receiver = await startReceiver(secret);
  const config = path.join(work, 'txdrift.json');
  writeFileSync(config, JSON.stringify({
    models: { payment: { ...PAYMENT_MODEL, participants: ['edge', 'ledger'], agree: [] } },
    alerting: { destinations: [{ id: 'bench', name: 'bench receiver', type: 'webhook', url: receiver.url, secret_env: 'BENCH_WEBHOOK_SECRET' }] },
  }));
  const withUi = existsSync(path.join(root, '.next', 'BUILD_ID'));
  const entry = withUi ? 'server.ts' : 'bench/latency-server.ts';
  const server = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/server-only-hook.mjs', entry], {
    cwd: root,
    env: {
      ...process.env, NODE_ENV: 'production', PORT: String(PORT), HOST: '127.0.0.1', DATA_DIR: path.join(work, 'data'), TXDRIFT_DEMO: '0',
      TXDRIFT_ALLOW_PRIVATE_WEBHOOKS: '1', TXDRIFT_CONFIG: config, BENCH_WEBHOOK_SECRET: secret, LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let live: NodeJS.Timeout | undefined;
  try {
    await waitReady(server);
    const start = Date.now();
    console.log(`txdrift (${entry}) ready; sending ${HISTORY_H} h of history…`);
    await ingest(traffic(start - HISTORY_H * 3_600_000, start, 0.003));
    let last = start;
    live = setInterval(() => {
      const now = Date.now();
      void ingest(traffic(last, now, 0.003)).catch((err: unknown) => console.error('live traffic:', err));
      last = now;
    }, 2_000);
    // Let the first passes digest the history and any episodes it holds settle before timing.
    await new Promise((r) => setTimeout(r, QUICK ? 30_000 : 45_000));
    const latencies: number[] = [];
    const toRecorded: number[] = [];
    for (let k = 0; k < TRIALS; k++) {
      const shard = k % SHARDS;
      const burst: object[] = [];
      for (let i = 0; i < 30; i++) burst.push(...payment(Date.now() - 500 + i * 10, shard, true));
      const seen = receiver.arrivals.length;
      const t0 = Date.now();
      await ingest(burst);
      const hit = await waitFor(() => receiver.arrivals.slice(seen).find((a) => a.anomalies.some((x) => x.service === `payments-${shard}` && x.signal === 'duplicate_execution')), 120_000);
      const ms = hit.at - t0;
      latencies.push(ms);
      toRecorded.push(hit.recorded - t0);
      console.log(`trial ${k + 1}/${TRIALS}: burst on payments-${shard} → notification recorded after ${((hit.recorded - t0) / 1000).toFixed(2)} s, webhook received after ${(ms / 1000).toFixed(2)} s`);
      await new Promise((r) => setTimeout(r, 5_000 + rand() * 5_000)); // bursts at varied phases of the analysis interval
    }
    report(latencies, toRecorded, entry, receiver.bad());
  } finally {
    clearInterval(live);
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    receiver.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function waitFor<T>(check: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`no firing webhook within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function report(latencies: number[], toRecorded: number[], entry: string, badSignatures: number): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  const recorded = [...toRecorded].sort((a, b) => a - b);
  const s = (ms: number) => Math.round(ms) / 1000;
  const p95 = s(pct(sorted, 95));
  const metrics = [
    { name: 'detection_to_webhook_p50', value: s(pct(sorted, 50)), unit: 's' },
    { name: 'detection_to_webhook_p95', value: p95, unit: 's', target: 15, met: p95 <= 15 },
    { name: 'detection_to_webhook_max', value: s(sorted.at(-1)!), unit: 's' },
    { name: 'detection_to_webhook_min', value: s(sorted[0]!), unit: 's' },
    { name: 'burst_to_notification_recorded_p50', value: s(pct(recorded, 50)), unit: 's' },
    { name: 'burst_to_notification_recorded_p95', value: s(pct(recorded, 95)), unit: 's' },
    { name: 'trials', value: latencies.length, unit: 'count' },
    { name: 'bad_signatures', value: badSignatures, unit: 'count', target: 0, met: badSignatures === 0 },
  ];
  console.table(metrics);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify({ bench: 'latency', quick: QUICK, date: new Date().toISOString(), entry, metrics }, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
