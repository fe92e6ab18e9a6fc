// npm run bench:ingest [-- --events N --clients C --batch B --gzip --quick --json FILE]
// (--quick: 100,000 events instead of 1,000,000; --json FILE writes the figures.)
//
// Sends N realistic events over HTTP from C concurrent keep-alive clients to a txdrift
// ingest process (a separate process on the embedded engine, durability on: every 2xx is
// fsync'd), waits until ClickHouse holds every event, and reports events/s, MB/s, p50/p99
// request latency and the server's peak RSS. In the same run it measures the engine's own
// bulk load of the same NDJSON (`INSERT … SELECT … FROM file(…, JSONEachRow)`) into the same
// table definition in a fresh process, and prints the ratio ingest / bulk load.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ndjsonBatches } from './events';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    events: { type: 'string' },
    quick: { type: 'boolean', default: false },
    clients: { type: 'string', default: '8' },
    batch: { type: 'string', default: '1000' },
    gzip: { type: 'boolean', default: false },
    port: { type: 'string', default: '3299' },
    json: { type: 'string' },
  },
});
const N = Number(args.events ?? (args.quick ? '100000' : '1000000'));
const CLIENTS = Number(args.clients);
const BATCH = Number(args.batch);
const PORT = Number(args.port);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function waitReady(proc: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error('ingest server exited');
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/readyz`)).ok) return;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('ingest server not ready');
}

async function spoolBytes(): Promise<number> {
  const body = (await (await fetch(`http://127.0.0.1:${PORT}/readyz`)).json()) as { spool: { bytes: number } };
  return body.spool.bytes;
}

function post(agent: http.Agent, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        path: '/v1/events',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-ndjson', 'content-length': body.length, ...(args.gzip && { 'content-encoding': 'gzip' }) },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'txdrift-bench-ingest-'));
  console.log(`generating ${N.toLocaleString()} events in batches of ${BATCH}…`);
  const ndjsonFile = path.join(work, 'events.ndjson');
  writeFileSync(ndjsonFile, '');
  const bodies: Buffer[] = [];
  let rawBytes = 0;
  for (const b of ndjsonBatches(N, BATCH)) {
    appendFileSync(ndjsonFile, b);
    rawBytes += b.length;
    bodies.push(args.gzip ? gzipSync(b) : b);
  }
  const sentBytes = bodies.reduce((s, b) => s + b.length, 0);

  // BENCH_SERVER_NODE_ARGS adds node flags to the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extraArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...extraArgs, '--import', 'tsx', '--import', './scripts/server-only-hook.mjs', 'server.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: path.join(work, 'data'), PORT: String(PORT), TXDRIFT_ROLE: 'ingest', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitReady(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const latencies: number[] = [];
    let next = 0;
    const clientCpuAtStart = (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
    const serverCpuAtStart = cpuSeconds(server.pid!);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          for (;;) {
            try {
              latencies.push(await post(agent, body));
              break;
            } catch (err) {
              if (!/HTTP (429|503)/.test(String(err))) throw err;
              await new Promise((r) => setTimeout(r, 200));
            }
          }
        }
      }),
    );
    const ackedMs = performance.now() - started;
    while ((await spoolBytes()) > 0) await new Promise((r) => setTimeout(r, 20));
    const committedMs = performance.now() - started;
    const serverCpuS = cpuSeconds(server.pid!);
    const clientCpuS = (process.cpuUsage().user + process.cpuUsage().system) / 1e6 - clientCpuAtStart;
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const peakRssMb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));

    // Count what landed (in the stopped server's engine, via the bulk-load helper process).
    const verify = runHelper(['count', path.join(work, 'data')]);
    const bulk = runHelper(['bulk', path.join(work, 'bulk-data'), ndjsonFile]);

    latencies.sort((a, b) => a - b);
    const result = {
      events: N,
      clients: CLIENTS,
      batch: BATCH,
      gzip: args.gzip,
      stored_rows: verify.rows,
      acked_events_per_s: Math.round(N / (ackedMs / 1000)),
      ingest_events_per_s: Math.round(N / (committedMs / 1000)),
      ingest_mb_per_s: Math.round((rawBytes / 1048576 / (committedMs / 1000)) * 10) / 10,
      wire_mb_per_s: Math.round((sentBytes / 1048576 / (ackedMs / 1000)) * 10) / 10,
      p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
      p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
      peak_rss_mb: Math.round(peakRssMb),
      server_cpu_cores: Math.round(((serverCpuS - serverCpuAtStart) / (committedMs / 1000)) * 100) / 100,
      client_cpu_cores: Math.round((clientCpuS / (committedMs / 1000)) * 100) / 100,
      bulk_events_per_s: Math.round(N / (bulk.ms / 1000)),
      ratio: Math.round((N / (committedMs / 1000) / (N / (bulk.ms / 1000))) * 100) / 100,
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `\ningest ${result.ingest_events_per_s.toLocaleString()} events/s (${result.ingest_mb_per_s} MB/s, committed in ClickHouse), ` +
        `p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, peak RSS ${result.peak_rss_mb} MB; ` +
        `engine bulk load ${result.bulk_events_per_s.toLocaleString()} events/s; ratio ${result.ratio}`,
    );
    if (verify.rows !== N) throw new Error(`expected ${N} rows stored, found ${verify.rows}`);
    if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

function runHelper(helperArgs: string[]): { rows: number; ms: number } {
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--import', './scripts/server-only-hook.mjs', 'bench/bulk-load.ts', ...helperArgs], {
    cwd: root,
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`bulk-load helper failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { rows: number; ms: number };
}

await main();
