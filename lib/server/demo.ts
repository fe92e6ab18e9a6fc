// The built-in demo: with TXDRIFT_DEMO=1 (the default) and every role in one process,
// `npm start` runs the simulator against its own ingest over loopback HTTP, with the demo
// model (config/demo.yaml) as the runtime's config unless TXDRIFT_CONFIG is set. It first
// backfills a few hours of history (less when recent history is already there, e.g. after
// a restart) so baselines exist, then sends live traffic and cycles through every fault
// scenario so anomalies appear within minutes. Its state goes to setDemoState() for the UI
// banner and /api/v1/status. Never fatal to the server: failures are logged.
import 'server-only';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { SCENARIO_NAMES, type ScenarioName } from '@/lib/sim/scenarios';
import type { ScenarioPlan } from '@/lib/sim/schedule';
import { getIngestSummary } from './clickhouse/events';
import { setDemoState, type DemoScenarioState } from './demo-state';
import type { Env } from './env';
import type { Runtime } from './runtime';
import { runSimulation, type SimulationState } from './simulator/driver';

/** The demo model, relative to the repository root. */
export const DEMO_CONFIG_FILE = 'config/demo.yaml';

/** Mean transactions per second of demo traffic. */
export const DEMO_RATE = 3;
/** History written at start: enough for baselines (detection judges after 10 minutes). */
export const DEMO_BACKFILL_MS = 3 * 3_600_000;
const MIN = 60_000;
/** Order, start within each cycle and length of the demo's faults; the cycle repeats. */
const CYCLE_MS = 45 * MIN;
const FAULTS: [ScenarioName, number, number][] = [
  ['dup-storm', 2, 4],
  ['clock-skew', 8, 3],
  ['ledger-lag', 13, 4],
  ['stale-capture', 20, 3],
  ['redelivery-storm', 26, 3],
  ['reorder', 32, 3],
  ['ledger-drop', 38, 4],
];
const CYCLES = 7 * 24 * (60 / 45); // a week of cycles

export function isDemoEnabled(env: Env): boolean {
  return env.TXDRIFT_DEMO === '1' && env.TXDRIFT_ROLE === 'all';
}

/** The config file to load: the user's; else the demo model when the demo runs (its traffic needs it). */
export function configFileFor(env: Env, root: string): string | undefined {
  return env.TXDRIFT_CONFIG ?? (isDemoEnabled(env) ? path.join(root, DEMO_CONFIG_FILE) : undefined);
}

/** The demo's fault plan relative to the start of live traffic: every scenario, once per cycle. */
export function demoPlans(): ScenarioPlan[] {
  const plans: ScenarioPlan[] = [];
  for (let c = 0; c < CYCLES; c++) {
    for (const [name, atMin, forMin] of FAULTS) plans.push({ name, offsetMs: c * CYCLE_MS + atMin * MIN, durationMs: forMin * MIN });
  }
  return plans;
}

export interface Demo {
  stop(): Promise<void>;
}

export interface DemoOptions {
  rate?: number;
  /** Upper bound of the history written at start; default DEMO_BACKFILL_MS. */
  backfillMs?: number;
  plans?: ScenarioPlan[];
}

export function startDemo(rt: Runtime, port: number, log: FastifyBaseLogger, opts: DemoOptions = {}): Demo {
  const rate = opts.rate ?? DEMO_RATE;
  const stop = new AbortController();
  const startedAt = new Date().toISOString();
  let backfillHours = 0;
  const publish = (s: SimulationState) =>
    setDemoState({ active: s.phase !== 'stopped', startedAt, rate, backfillHours, backfilling: s.phase === 'backfill', scenarios: nearby(s) });

  const run = (async () => {
    const backfillMs = await backfillNeeded(rt, opts.backfillMs ?? DEMO_BACKFILL_MS);
    backfillHours = Math.round((backfillMs / 3_600_000) * 10) / 10;
    log.info({ rate, backfillHours, scenarios: SCENARIO_NAMES }, 'demo: simulated traffic starting (TXDRIFT_DEMO=0 turns it off)');
    const report = await runSimulation({
      url: `http://${loopbackHost(rt.env.HOST)}:${port}`,
      token: rt.env.INGEST_TOKEN,
      rate,
      seed: Date.now() % 1_000_000,
      runId: `demo${Math.floor(Date.now() / 1000).toString(36)}`,
      plans: opts.plans ?? demoPlans(),
      backfillMs,
      durationMs: null,
      signal: stop.signal,
      onState: publish,
      log: (line) => log.info(`demo: ${line}`),
      sender: { maxAttempts: Infinity, onRetry: ({ status, waitMs }) => log.debug({ status, waitMs }, 'demo: batch retried') },
    });
    log.info({ events: report.stats.events, transactions: report.truth.transactions }, 'demo: stopped');
  })().catch((err: unknown) => {
    log.error({ err }, 'demo: simulated traffic failed and stopped; the server keeps running');
    setDemoState(null);
  });

  return {
    async stop() {
      stop.abort();
      await run;
      setDemoState(null);
    },
  };
}

/** The full backfill on an empty store; after a restart only the gap since the last event received. */
async function backfillNeeded(rt: Runtime, maxMs: number): Promise<number> {
  const { lastReceivedAt } = await getIngestSummary(rt.db);
  const sinceLast = lastReceivedAt ? Date.now() - Date.parse(lastReceivedAt) : Infinity;
  return Math.max(0, Math.min(maxMs, Math.floor(sinceLast / MIN) * MIN));
}

/** The windows worth showing: active, ended within the hour, or starting within the hour. */
function nearby(s: SimulationState): DemoScenarioState[] {
  const now = Date.now();
  return s.scenarios
    .filter((x) => x.active || (x.toMs !== null && x.toMs > now - 60 * MIN && x.fromMs < now + 60 * MIN))
    .map((x) => ({ name: x.name, start: new Date(x.fromMs).toISOString(), end: x.toMs === null ? null : new Date(x.toMs).toISOString(), active: x.active }));
}

function loopbackHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
