// npm run bench:ui [-- --quick] [--size N] [--repeat 30] [--json FILE]
//
// The overview with a big history: a payment history of 10 M events (1 M with --quick) is
// generated inside the engine (bench/ui-seed.ts), analysed and scored; then the production
// server (`npm start`'s entry) serves it and we measure, over the last 24 hours of the
// history:
//  - the overview's API calls (signals with bands at the UI's step, 10 min, per-service breakdown,
//    anomalies), each answered --repeat times after a warm-up: p95 per call and overall
//    (target ≤ 300 ms);
//  - time to interactive of the overview in Chromium: from navigation start until the
//    overview is hydrated (its controls answer input; target ≤ 1.5 s, judged on the median),
//    and until every drift chart has drawn its lines (reported against the same target),
//    cold browser cache, --repeat/5 loads after one warm-up. Also reports first byte and
//    DOMContentLoaded. The load average is printed: other processes on the machine count.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { stepMinutesFor, stepParam } from '@/lib/format/time-range';

const root = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, size: { type: 'string' }, repeat: { type: 'string', default: '30' }, json: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const SIZE = Number(args.size ?? (args.quick ? 1_000_000 : 10_000_000));
const REPEAT = Math.max(5, Number(args.repeat));
const API_P95_TARGET_MS = 300;
const TTI_TARGET_MS = 1500;
const log = (m: string) => console.error(`[bench:ui] ${m}`);

interface Metric { name: string; value: number; unit: string; target?: number; met?: boolean }

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number) => Math.round(x * 10) / 10;

async function waitReady(base: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('server not ready after 180 s');
}

async function timeCall(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t;
}

async function measureApi(base: string, from: number, to: number): Promise<Metric[]> {
  const calls = {
    signals_bands: `${base}/api/v1/signals/bands?from=${from}&to=${to}&step=${stepParam(stepMinutesFor(to - from))}`,
    breakdown: `${base}/api/v1/breakdown?from=${from}&to=${to}`,
    anomalies: `${base}/api/v1/anomalies?from=${from}&to=${to}`,
  };
  const all: number[] = [];
  const metrics: Metric[] = [];
  for (const [name, url] of Object.entries(calls)) {
    for (let i = 0; i < 2; i++) await timeCall(url);
    const samples: number[] = [];
    for (let i = 0; i < REPEAT; i++) samples.push(await timeCall(url));
    all.push(...samples);
    const p95 = round(pct(samples, 95));
    log(`${name}: p50 ${round(pct(samples, 50))} ms, p95 ${p95} ms`);
    metrics.push({ name: `api_${name}_p95_24h`, value: p95, unit: 'ms', target: API_P95_TARGET_MS, met: p95 <= API_P95_TARGET_MS });
  }
  const p95 = round(pct(all, 95));
  metrics.unshift({ name: 'overview_api_p95_24h', value: p95, unit: 'ms', target: API_P95_TARGET_MS, met: p95 <= API_P95_TARGET_MS });
  return metrics;
}

async function measureTti(base: string, from: number, to: number): Promise<Metric[]> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const url = `${base}/?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
  const samples: number[] = [];
  const ttfb: number[] = [];
  const dcl: number[] = [];
  const interactive: number[] = [];
  try {
    for (let i = 0; i < Math.max(3, Math.round(REPEAT / 5)) + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      await page.waitForFunction(() => document.querySelector('[data-testid="overview"][data-hydrated="1"]') !== null, undefined, { timeout: 30_000, polling: 10 });
      const hydratedMs = await page.evaluate(() => performance.now());
      await page.waitForFunction(() => document.querySelectorAll('[data-testid^="drift-"] .recharts-line').length >= 4, undefined, { timeout: 30_000 });
      const ms = await page.evaluate(() => performance.now());
      const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return { ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd };
      });
      if (i > 0) {
        // the first load warms the server's code paths
        samples.push(ms);
        interactive.push(hydratedMs);
        ttfb.push(nav.ttfb);
        dcl.push(nav.dcl);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const tti = round(pct(interactive, 50));
  const drawn = round(pct(samples, 50));
  log(`time to interactive (hydrated): median ${tti} ms, max ${round(Math.max(...interactive))} ms; all charts drawn: median ${drawn} ms, max ${round(Math.max(...samples))} ms ` +
    `over ${samples.length} cold loads (first byte ${round(pct(ttfb, 50))} ms, DOMContentLoaded ${round(pct(dcl, 50))} ms)`);
  return [
    { name: 'overview_ttfb_median', value: round(pct(ttfb, 50)), unit: 'ms' },
    { name: 'overview_dom_content_loaded_median', value: round(pct(dcl, 50)), unit: 'ms' },
    { name: 'overview_tti_median', value: tti, unit: 'ms', target: TTI_TARGET_MS, met: tti <= TTI_TARGET_MS },
    { name: 'overview_tti_max', value: round(Math.max(...interactive)), unit: 'ms' },
    { name: 'overview_charts_drawn_median', value: drawn, unit: 'ms', target: TTI_TARGET_MS, met: drawn <= TTI_TARGET_MS },
  ];
}

async function main(): Promise<void> {
  const data = mkdtempSync(path.join(tmpdir(), 'txdrift-bench-ui-'));
  const config = path.join(data, 'txdrift.json');
  let server: ChildProcess | null = null;
  try {
    log(`generating ${SIZE.toLocaleString('en')} events in ${data}`);
    const seed = spawnSync(process.execPath, ['--import', 'tsx', '--import', './scripts/server-only-hook.mjs', 'bench/ui-seed.ts', '--size', String(SIZE), '--data', path.join(data, 'db'), '--config', config], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const history = JSON.parse(seed.stdout.trim().split('\n').at(-1) ?? 'null') as { events: number; history_end_ms: number; generate_ms: number; pass_ms: number } | null;
    if (!history) throw new Error(`seed failed (exit ${seed.status})`);
    if (spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('next build failed');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--import', 'tsx', '--import', './scripts/server-only-hook.mjs', 'server.ts'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: path.join(data, 'db'), TXDRIFT_CONFIG: config, TXDRIFT_DEMO: '0', LOG_LEVEL: 'warn', ANALYSIS_INTERVAL: '1h' },
    });
    await waitReady(base, server);
    const to = Math.floor(history.history_end_ms / 60_000) * 60_000;
    const from = to - 86_400_000;
    const metrics: Metric[] = [
      { name: 'events_stored', value: history.events, unit: 'events' },
      ...(await measureApi(base, from, to)),
      ...(await measureTti(base, from, to)),
    ];
    metrics.push({ name: 'load_average_1m', value: round(loadavg()[0]!), unit: 'load' });
    const out = { bench: 'ui', quick: args.quick, date: new Date().toISOString(), metrics };
    console.log(JSON.stringify(out, null, 2));
    if (args.json) writeFileSync(args.json, JSON.stringify(out, null, 2) + '\n');
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    if (!args.keep) rmSync(data, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('bench:ui failed:', err);
  process.exit(1);
});
