// Runs the simulator against a txdrift server: first the backfill (the last `backfillMs` of
// history generated and sent as fast as ingest takes it, a few batches in flight), then
// live traffic in real time, one tick a second, until `durationMs` has passed or the signal
// aborts. Fault plans are relative to the start of live traffic. Used by `txdrift simulate`
// and by the in-process demo.
import 'server-only';
import type { Emission } from '@/lib/sim/delivery';
import { TrafficGenerator, type GroundTruth, type ScenarioTruth } from '@/lib/sim/generator';
import { windowsFrom, type ScenarioPlan } from '@/lib/sim/schedule';
import { IngestSender, type SenderOptions, type SenderStats } from './sender';

export interface SimulationOptions {
  url: string;
  token?: string;
  /** Mean transactions per second. */
  rate: number;
  seed: number;
  /** Distinguishes this run's ids and idempotency keys from other runs'. */
  runId: string;
  plans: ScenarioPlan[];
  /** History to write before live traffic, ms (0 = none). */
  backfillMs: number;
  /** Live traffic duration, ms; null = until aborted. */
  durationMs: number | null;
  /** Events per request; default 2 000. */
  batchEvents?: number;
  /** Backfill requests in flight; default 2. */
  concurrency?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  onState?: (state: SimulationState) => void;
  sender?: Partial<SenderOptions>;
}

export interface SimulationState {
  phase: 'backfill' | 'live' | 'stopped';
  liveStartMs: number;
  scenarios: (ScenarioTruth & { active: boolean })[];
  eventsSent: number;
}

export interface SimulationReport {
  liveStartMs: number;
  endedMs: number;
  backfillMs: number;
  truth: GroundTruth;
  stats: SenderStats;
}

const MIN = 60_000;

export async function runSimulation(o: SimulationOptions): Promise<SimulationReport> {
  const liveStartMs = Date.now();
  const gen = new TrafficGenerator({ rate: o.rate, seed: o.seed, runId: o.runId, startMs: liveStartMs - o.backfillMs, scenarios: windowsFrom(o.plans, liveStartMs) });
  const sender = new IngestSender({ url: o.url, token: o.token, keyPrefix: `txdrift-sim-${o.runId}`, ...o.sender });
  const batch = o.batchEvents ?? 2_000;
  const log = o.log ?? (() => {});
  const state = (phase: SimulationState['phase'], atMs: number): SimulationState => ({
    phase,
    liveStartMs,
    scenarios: gen.truth().scenarios.map((s) => ({ ...s, active: s.fromMs <= atMs && (s.toMs === null || atMs < s.toMs) })),
    eventsSent: sender.stats.events,
  });

  if (o.backfillMs > 0) {
    o.onState?.(state('backfill', liveStartMs));
    log(`backfill: writing ${formatSpan(o.backfillMs)} of history at ${o.rate} tx/s …`);
    const started = Date.now();
    await backfill(gen, sender, liveStartMs - o.backfillMs, liveStartMs, batch, o.concurrency ?? 2, o.signal, log);
    log(`backfill: ${sender.stats.events} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  const endMs = o.durationMs === null ? Infinity : Date.now() + o.durationMs;
  let active: boolean[] | null = null; // null: publish the first live state
  if (!o.signal?.aborted) log(`live: ${o.rate} tx/s${o.durationMs === null ? ' until stopped' : ` for ${formatSpan(o.durationMs)}`}`);
  while (!o.signal?.aborted && Date.now() < endMs) {
    const now = Date.now();
    const s = state('live', now);
    if (active === null || s.scenarios.some((x, i) => x.active !== active![i])) {
      s.scenarios.forEach((x, i) => x.active !== (active?.[i] ?? false) && log(`fault: ${x.name} ${x.active ? 'started' : 'ended'}`));
      active = s.scenarios.map((x) => x.active);
      o.onState?.(s);
    }
    await sendAll(sender, gen.advance(now), batch);
    await pause(1000 - (Date.now() % 1000), o.signal);
  }
  o.onState?.(state('stopped', Date.now()));
  return { liveStartMs, endedMs: Date.now(), backfillMs: o.backfillMs, truth: gen.truth(), stats: sender.stats };
}

async function backfill(gen: TrafficGenerator, sender: IngestSender, fromMs: number, toMs: number, batch: number, concurrency: number, signal: AbortSignal | undefined, log: (l: string) => void) {
  const inflight = new Set<Promise<void>>();
  let failure: unknown = null;
  let buffer: Emission[] = [];
  let nextReport = fromMs + (toMs - fromMs) / 4;
  const flush = async (events: Emission[]) => {
    while (inflight.size >= concurrency) await Promise.race(inflight);
    if (failure) throw failure;
    const p: Promise<void> = sender
      .send(events.map((e) => e.event))
      .catch((err: unknown) => void (failure ??= err))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };
  for (let t = fromMs; t < toMs && !signal?.aborted; t += MIN) {
    buffer.push(...gen.advance(Math.min(t + MIN, toMs)));
    while (buffer.length >= batch) {
      await flush(buffer.slice(0, batch));
      buffer = buffer.slice(batch);
    }
    if (t >= nextReport) {
      log(`backfill: ${Math.round(((t - fromMs) / (toMs - fromMs)) * 100)} %`);
      nextReport += (toMs - fromMs) / 4;
    }
  }
  if (buffer.length) await flush(buffer);
  await Promise.all(inflight);
  if (failure) throw failure;
}

async function sendAll(sender: IngestSender, due: Emission[], batch: number) {
  for (let i = 0; i < due.length; i += batch) await sender.send(due.slice(i, i + batch).map((e) => e.event));
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function formatSpan(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % MIN === 0) return `${ms / MIN} min`;
  return `${Math.round(ms / 1000)} s`;
}
